#!/usr/bin/env bash
# Serve the demo: the scheduler in its own process beside the web server, both stopped together.
set -euo pipefail
BIN=${BIN:-.venv/bin}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-5000}
# Links in the mails the scheduler prints point at this server.
export BASE_URL=${BASE_URL:-http://$HOST:$PORT}

"$BIN/flask" --app coop scheduler &
scheduler=$!
trap 'kill "$scheduler" 2>/dev/null || true' EXIT INT TERM

"$BIN/flask" --app coop demo-logins
echo
echo "De coöperatie draait op http://$HOST:$PORT/  (stoppen: Ctrl+C)"
"$BIN/flask" --app coop run --host "$HOST" --port "$PORT"
