#!/usr/bin/env bash
# Reproduce static/vendor/ (and tests/vendor/axe-core/) from the npm registry.
# Versions are pinned, with integrity hashes, in scripts/assets/package.json and
# package-lock.json; change a version there (see static/vendor/README.md), then run this.
# Only the dist files the app loads are copied, each package with its licence.
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
rm -rf "$vendor/govuk-frontend" "$vendor/leaflet" "$vendor/leaflet.markercluster" \
    "$vendor/jquery" "$vendor/bootstrap" "$vendor/bootstrap-glyphicons" \
    "$vendor/fontawesome-free" "$vendor/leaflet.awesome-markers" "$vendor/folium" \
    "$repo/tests/vendor/axe-core"
mkdir -p "$vendor"

# copy SRC_DIR DEST_DIR FILE...: copy files keeping their relative paths
copy() {
    local src="$1" dest="$2"
    shift 2
    for f in "$@"; do
        mkdir -p "$dest/$(dirname "$f")"
        cp -R "$src/$f" "$dest/$f"
    done
}

# GOV.UK Frontend: the ES module and the images. The fonts are left out (we use a
# system font stack, never GDS Transport), and so is the "rebrand" image set.
# The npm package carries no licence file; its package.json says MIT, and this is the
# licence text of its repository.
g="$nm/govuk-frontend/dist/govuk"
copy "$g" "$vendor/govuk-frontend" govuk-frontend.min.js assets/manifest.json assets/images
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

# Everything below is what folium loads from CDNs by default (see folium-assets.json).
copy "$nm/leaflet" "$vendor/leaflet" LICENSE
copy "$nm/leaflet/dist" "$vendor/leaflet" leaflet.js leaflet.css images

copy "$nm/leaflet.markercluster" "$vendor/leaflet.markercluster" MIT-LICENCE.txt
copy "$nm/leaflet.markercluster/dist" "$vendor/leaflet.markercluster" \
    leaflet.markercluster.js MarkerCluster.css MarkerCluster.Default.css

copy "$nm/jquery" "$vendor/jquery" LICENSE.txt
copy "$nm/jquery/dist" "$vendor/jquery" jquery.min.js

copy "$nm/bootstrap" "$vendor/bootstrap" LICENSE
copy "$nm/bootstrap/dist" "$vendor/bootstrap" css/bootstrap.min.css js/bootstrap.bundle.min.js

# folium's default marker icons use the "glyphicon" prefix, from Bootstrap 3's separate
# glyphicons sheet. Bootstrap 3.4.1 only ships it inside bootstrap.css, so the
# @font-face and .glyphicon rules are cut out of that file (through the last icon rule).
b3="$nm/bootstrap3"
mkdir -p "$vendor/bootstrap-glyphicons/css"
copy "$b3" "$vendor/bootstrap-glyphicons" LICENSE
copy "$b3/dist" "$vendor/bootstrap-glyphicons" fonts
{
    sed -n '1,5p' "$b3/dist/css/bootstrap.css"
    awk '
        /^@font-face \{$/ { held = $0; next }
        held != "" && !on { if ($0 ~ /Glyphicons Halflings/) { on = 1; print held } held = "" }
        on && /^\* \{$/ { exit }
        on { print }
    ' "$b3/dist/css/bootstrap.css"
} >"$vendor/bootstrap-glyphicons/css/bootstrap-glyphicons.css"
grep -q 'glyphicon-menu-up:before' "$vendor/bootstrap-glyphicons/css/bootstrap-glyphicons.css" || {
    echo "vendor-assets: could not cut the glyphicons rules out of bootstrap.css" >&2
    exit 1
}

copy "$nm/@fortawesome/fontawesome-free" "$vendor/fontawesome-free" LICENSE.txt css/all.min.css webfonts

copy "$nm/leaflet.awesome-markers" "$vendor/leaflet.awesome-markers" LICENSE
copy "$nm/leaflet.awesome-markers/dist" "$vendor/leaflet.awesome-markers" \
    leaflet.awesome-markers.min.js leaflet.awesome-markers.css images

# folium's rotation classes for awesome markers live in its own repository, not on npm:
# one rule per whole degree, generated here.
mkdir -p "$vendor/folium"
{
    echo "/* Rotation classes for awesome-marker icons (folium's \"rotation_angle\"). */"
    for deg in $(seq 0 359); do
        echo ".fa-rotate-$deg{-ms-transform:rotate(${deg}deg);-webkit-transform:rotate(${deg}deg);transform:rotate(${deg}deg)}"
    done
} >"$vendor/folium/leaflet.awesome.rotate.css"

# axe-core runs only inside the browser tests: never served from static/.
copy "$nm/axe-core" "$repo/tests/vendor/axe-core" axe.min.js LICENSE

"$repo/scripts/build-css.sh" "$nm"

echo "vendor-assets: done; review with: git status static/vendor tests/vendor static/css"
