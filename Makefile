# Two commands from a fresh clone that has python3: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
PORT ?= 8000

.PHONY: run test lint-openapi openapi lock image-check bench bench-costs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.run

# The OpenAPI linters, pinned in package.json and package-lock.json; npm installs
# them into node_modules/ (no install scripts: they only run the linters).
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

run: $(VENV)/.run
	$(BIN)/briefing db upgrade
	$(BIN)/briefing ingest seeds/
	$(BIN)/briefing serve --bind 127.0.0.1:$(PORT)

test: $(VENV)/.dev
	$(BIN)/ruff check service tests deploy bench
	$(BIN)/ruff format --check service tests deploy bench
	$(BIN)/mypy
	$(BIN)/hadolint Dockerfile
	$(MAKE) --no-print-directory lint-openapi
	$(BIN)/coverage run -m pytest $(PYTEST_ARGS)
	$(BIN)/coverage report

# redocly's recommended rules (redocly.yaml) and spectral's (.spectral.yaml):
# any warning fails.
lint-openapi: node_modules/.installed
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
	  node_modules/.bin/redocly lint --format=stylish openapi.yaml
	node_modules/.bin/spectral lint --quiet --fail-severity=warn openapi.yaml

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

# Benchmarks against a bare Flask app, Datasette and nginx (docs/benchmarks.md),
# search against Datasette's full-text search (docs/search.md), web pages in
# (docs/html.md).
bench: $(VENV)/.run
	$(BIN)/python bench/run.py
	$(BIN)/python bench/search_bench.py
	$(BIN)/python bench/html_ingest.py

# Only the cost table: instructions per request and per article under callgrind
# (a few minutes); rewrites its own section of docs/benchmarks.md.
bench-costs: $(VENV)/.run
	$(BIN)/python bench/costs.py --twice

clean:
	rm -rf $(VENV) node_modules instance .pytest_cache .mypy_cache .ruff_cache .hypothesis
