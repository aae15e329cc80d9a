# Journée — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
ORGANISER ?= admin@journee.local
# Test processes (pytest-xdist): two cores; `auto` for one per core, 0 for none.
PYTEST_WORKERS ?= 2

.PHONY: run test test-fast test-postgres lint bench bench-postgres install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test,postgres]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# A random key of this installation's own, kept out of git (instance/ is ignored).
instance/secret_key:
	mkdir -p instance
	umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_hex(32))' > $@

run: install instance/secret_key
	$(BIN)/journee init
	$(BIN)/journee demo --if-empty
	$(BIN)/journee create-organiser $(ORGANISER) --admin --if-none
	$(BIN)/journee run --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/pytest -n $(PYTEST_WORKERS)

# Everything but the browser and slow tests (markers: pyproject.toml), on two cores.
test-fast: install-test
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser and not slow"

# The code's habits (ruff: pyflakes, isort, bugbear) and the package layers (import-linter).
lint: install-test
	$(BIN)/ruff check journee tests benchmarks migrations scripts
	$(BIN)/lint-imports

# The same suite on a throwaway PostgreSQL cluster (needs Debian's postgresql package).
test-postgres: install-test
	PYTEST_WORKERS=$(PYTEST_WORKERS) scripts/test-postgres

bench: install-test
	@status=0; for script in benchmarks/bench_*.py; do \
	  echo "== $$script"; $(BIN)/python $$script || status=1; done; exit $$status

# The registration rush on SQLite and on a throwaway PostgreSQL cluster.
bench-postgres: install-test
	scripts/bench-postgres

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
