# Two commands do everything: `make run` and `make test` (see README.md).
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: install run init test test-postgres lint bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	@# CPU torch first (a local wheel here); an unpinned torch would pull the multi-GB CUDA build.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(VENV)/bin/advisor serve

init: install
	$(VENV)/bin/advisor init --demo

test: install
	$(VENV)/bin/python -m pytest -q

# The whole suite again with every database-facing test (store, API, CLI, reports, risk, sentiment
# monitor) on the local PostgreSQL.
test-postgres: install
	TEST_DATABASE_URL=$(PG_URL) $(VENV)/bin/python -m pytest -q

lint: install
	$(VENV)/bin/ruff check api assistant knowledge_base models store tests bench
	$(VENV)/bin/mypy

clean:
	rm -rf artifacts .pytest_cache .mypy_cache .ruff_cache
