#!/usr/bin/env bash
# Production-style serving: the database migrated, static files collected, then gunicorn with
# WEB_CONCURRENCY workers beside one scheduler process; both stop together.
set -euo pipefail
BIN=${BIN:-.venv/bin}
export STATIC_COLLECTED=${STATIC_COLLECTED:-1}

"$BIN/flask" --app coop db upgrade
"$BIN/flask" --app coop collect-static

"$BIN/flask" --app coop scheduler &
scheduler=$!
trap 'kill "$scheduler" 2>/dev/null || true' EXIT INT TERM

echo "coop draait op http://${BIND:-127.0.0.1:8000}/ met ${WEB_CONCURRENCY:-2} workers (stoppen: Ctrl+C)"
"$BIN/gunicorn" -c python:coop.ops.gunicorn_conf coop.wsgi:app
