#!/usr/bin/env bash
# Reproduce static/vendor/ (and tests/vendor/axe-core/) from the npm registry.
# Versions are pinned, with integrity hashes, in scripts/assets/package.json and
# package-lock.json; change a version there (see static/vendor/README.md), then run this.
# Only the files a page loads are copied, each package with its licence
# (tests/core/test_vendor.py checks that every copied file is referenced).
# Finally static/css/coop.css is rebuilt from the same install.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cp "$repo/scripts/assets/package.json" "$repo/scripts/assets/package-lock.json" "$work/"
# --ignore-scripts: nothing from a package runs on this machine; sass ships its compiler
# as plain JavaScript.
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
nm="$work/node_modules"

vendor="$repo/static/vendor"
# Start from an empty static/vendor/ (but its README): a file dropped below disappears.
mkdir -p "$vendor"
find "$vendor" -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
rm -rf "$repo/tests/vendor/axe-core"

# copy SRC_DIR DEST_DIR FILE...: copy files keeping their relative paths
copy() {
    local src="$1" dest="$2"
    shift 2
    for f in "$@"; do
        mkdir -p "$dest/$(dirname "$f")"
        cp -R "$src/$f" "$dest/$f"
    done
}

# GOV.UK Frontend: the ES module and the one image our compiled stylesheet points to. The
# fonts are left out (we use a system font stack, never GDS Transport), and so are the
# favicons, app icons and manifest (our own favicon is static/favicon.svg).
# The npm package carries no licence file; its package.json says MIT, and this is the
# licence text of its repository.
g="$nm/govuk-frontend/dist/govuk"
copy "$g" "$vendor/govuk-frontend" govuk-frontend.min.js assets/images/govuk-crest.svg
cat >"$vendor/govuk-frontend/LICENCE.txt" <<'LICENCE'
The MIT License (MIT)

Copyright (C) 2018 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
LICENCE

# What the folium maps load instead of folium's CDN defaults (coop/geo/maps.py): Leaflet and
# its markercluster plugin, nothing else. Of Leaflet's images only those leaflet.css points
# to: its default marker's retina image and shadow are fetched only for L.Icon.Default, and
# every pin here is a divIcon.
copy "$nm/leaflet" "$vendor/leaflet" LICENSE
copy "$nm/leaflet/dist" "$vendor/leaflet" leaflet.js leaflet.css \
    images/layers.png images/layers-2x.png images/marker-icon.png

copy "$nm/leaflet.markercluster" "$vendor/leaflet.markercluster" MIT-LICENCE.txt
copy "$nm/leaflet.markercluster/dist" "$vendor/leaflet.markercluster" \
    leaflet.markercluster.js MarkerCluster.css MarkerCluster.Default.css

# axe-core runs only inside the browser tests: never served from static/.
copy "$nm/axe-core" "$repo/tests/vendor/axe-core" axe.min.js LICENSE

"$repo/scripts/build-css.sh" "$nm"

echo "vendor-assets: done; review with: git status static/vendor tests/vendor static/css"
