# The two commands: `make run` serves the demo village, `make test` lints and runs every test.
# Both set up what they need first (a virtualenv in .venv; for tests also PostgreSQL and
# Chromium from Debian's packages).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run serve test lint bench load setup db demo provision clean-db screenshots

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

# Production-style: gunicorn (WEB_CONCURRENCY workers, BIND) and the scheduler against
# DATABASE_URL; see README.md, "Production".
serve: setup
	BIN=$(BIN) scripts/serve.sh

provision:
	@scripts/provision-test.sh

lint: setup
	$(BIN)/ruff check . && $(BIN)/mypy coop

test: setup lint provision
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: setup provision
	$(BIN)/python -m pytest -q -m bench tests/perf $(PYTEST_ARGS)
	$(BIN)/python -m tests.perf.followups_bench

# The load test: 20 villages, 10,000 helpers, 100,000 requests on a throwaway PostgreSQL,
# gunicorn at 1, 2 and 4 workers, wrk on loopback (BENCHMARKS.md, "Load").
load: setup provision
	@command -v wrk >/dev/null || { [ "$$(id -u)" -eq 0 ] && apt-get update -qq && apt-get install -y -qq wrk >/dev/null; } \
		|| { echo "load: install wrk (apt-get install wrk)" >&2; exit 1; }
	$(BIN)/python -m tests.perf.load $(LOAD_ARGS)

# Phone-view pictures (375 × 667) of a few pages into docs/screenshots/, from a fresh demo.
screenshots: setup provision
	$(BIN)/python scripts/screenshots.py

clean-db:
	rm -f instance/coop.sqlite instance/coop.sqlite-wal instance/coop.sqlite-shm
