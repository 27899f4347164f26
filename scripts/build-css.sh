#!/usr/bin/env bash
# Compile static/scss/coop.scss (GOV.UK Frontend with our colours, font and header) into
# static/css/coop.css. A development step only: the compiled file is committed, so the app
# and CI never need Node.
#
#   scripts/build-css.sh                 # installs the pinned sass + govuk-frontend first
#   scripts/build-css.sh NODE_MODULES    # reuse an existing install (scripts/vendor-assets.sh)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"

if [ $# -ge 1 ]; then
    node_modules="$1"
else
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    cp "$repo/scripts/assets/package.json" "$repo/scripts/assets/package-lock.json" "$work/"
    (cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
    node_modules="$work/node_modules"
fi

mkdir -p "$repo/static/css"
# --quiet-deps: govuk-frontend 5 still uses @import internally; its deprecation warnings
# are not ours to fix. Our own file is compiled with every warning shown.
"$node_modules/.bin/sass" \
    --load-path="$node_modules" \
    --style=compressed \
    --no-source-map \
    --quiet-deps \
    --silence-deprecation=import \
    "$repo/static/scss/coop.scss" "$repo/static/css/coop.css"

echo "build-css: wrote static/css/coop.css ($(wc -c <"$repo/static/css/coop.css") bytes)"
