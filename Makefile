# Two commands from a fresh clone that has python3: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: run test lint openapi clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.run

run: $(VENV)/.run
	$(BIN)/briefing db upgrade
	$(BIN)/briefing ingest seeds/
	$(BIN)/briefing serve

test: $(VENV)/.dev
	$(BIN)/ruff check service tests
	$(BIN)/ruff format --check service tests
	$(BIN)/mypy
	$(BIN)/coverage run -m pytest $(PYTEST_ARGS)
	$(BIN)/coverage report

openapi: $(VENV)/.run
	$(BIN)/briefing openapi-yaml > openapi.yaml

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache .hypothesis
