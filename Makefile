# Two commands from a fresh clone that has python3: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: run test openapi lock image-check bench clean

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
	$(BIN)/ruff check service tests deploy bench
	$(BIN)/ruff format --check service tests deploy bench
	$(BIN)/mypy
	$(BIN)/hadolint Dockerfile
	$(BIN)/coverage run -m pytest $(PYTEST_ARGS)
	$(BIN)/coverage report

openapi: $(VENV)/.run
	$(BIN)/briefing openapi-yaml > openapi.yaml

# Rewrite constraints.txt: the pinned runtime dependencies the image installs.
lock: | $(BIN)/python
	rm -rf $(VENV)/lock && $(PYTHON) -m venv $(VENV)/lock
	$(VENV)/lock/bin/pip install --quiet .
	{ echo "# Pinned versions of every runtime dependency, for the image (make lock rewrites it)."; \
	  $(VENV)/lock/bin/pip freeze --exclude briefing; } > constraints.txt
	rm -rf $(VENV)/lock

# Build the image with a real Docker engine and run it (tests/test_image.py): needs
# root, installs docker.io and debootstrap when missing, starts its own dockerd.
image-check: $(VENV)/.dev
	$(BIN)/pytest -m image tests/test_image.py -p no:cacheprovider $(PYTEST_ARGS)

# Benchmarks against a bare Flask app, Datasette and nginx; writes docs/benchmarks.md.
bench: $(VENV)/.run
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache .hypothesis
