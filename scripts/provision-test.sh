#!/usr/bin/env bash
# Make sure the system packages the test suite needs are present on a Debian 12 machine:
# a PostgreSQL server (tests start a throwaway cluster with initdb/pg_ctl), Chromium
# (browser tests drive Debian's build; nothing is ever downloaded by Playwright), and Java
# with npm for the Nu Html Checker (vnu.jar, the exact version pinned in
# tests/vendor/vnu/package.json and its lock file, installed there with `npm ci`).
# Idempotent and quiet when everything is already installed.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

missing=()

# PostgreSQL: any major version will do, the fixture picks the newest bin dir.
if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
    missing+=(postgresql)
fi

if [ ! -x /usr/bin/chromium ]; then
    missing+=(chromium)
fi

# Without a font, screenshots render text as boxes.
if ! dpkg-query -W -f='${Status}' fonts-dejavu-core 2>/dev/null | grep -q 'ok installed'; then
    missing+=(fonts-dejavu-core)
fi

# The HTML checker of tests/e2e/test_every_page.py runs on Java; npm installs it.
if ! command -v java >/dev/null; then
    missing+=(default-jre-headless)
fi
if ! command -v npm >/dev/null; then
    missing+=(npm)
fi

vnu_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/vendor/vnu"
install_vnu() {
    [ -f "$vnu_dir/node_modules/vnu-jar/build/dist/vnu.jar" ] && return 0
    echo "provision-test: installing the Nu Html Checker (npm ci in tests/vendor/vnu)" >&2
    (cd "$vnu_dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
}

if [ ${#missing[@]} -eq 0 ]; then
    install_vnu
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "provision-test: missing system packages: ${missing[*]}" >&2
    echo "provision-test: run as root, or: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi

echo "provision-test: installing ${missing[*]}" >&2
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_vnu
echo "provision-test: done" >&2
