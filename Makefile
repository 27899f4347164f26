# The two commands: `make run` serves the demo village, `make test` lints and runs every test.
# Both set up what they need first (a virtualenv in .venv; for tests also PostgreSQL and
# Chromium from Debian's packages).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test lint bench setup db demo provision clean-db

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

setup: $(STAMP)

db: setup
	$(BIN)/flask --app coop db upgrade

demo: db
	$(BIN)/flask --app coop demo

run: demo
	HOST=$(HOST) PORT=$(PORT) BIN=$(BIN) scripts/run.sh

provision:
	@scripts/provision-test.sh

lint: setup
	$(BIN)/ruff check . && $(BIN)/mypy coop

test: setup lint provision
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: setup provision
	$(BIN)/python -m pytest -q -m bench tests/perf $(PYTEST_ARGS)
	$(BIN)/python -m tests.perf.followups_bench

clean-db:
	rm -f instance/coop.sqlite instance/coop.sqlite-wal instance/coop.sqlite-shm
