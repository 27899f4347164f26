#!/usr/bin/env bash
# Render the app icons from our own SVGs with ImageMagick (Debian: imagemagick, and
# librsvg2-bin, which ImageMagick uses to read SVG).
# A development step only: the PNGs are committed, like static/css/coop.css.
#
#   static/favicon.svg     the browser tab icon (rounded square), also as a 32 px PNG
#   static/icons/icon.svg  the full-bleed square for home screens: the heart sits well
#                          inside the middle 80 %, so it also serves as a maskable icon
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
convert=/usr/bin/convert
[ -x "$convert" ] || { echo "build-icons: apt-get install imagemagick librsvg2-bin" >&2; exit 1; }

render() {  # render SVG SIZE OUT
    "$convert" -background none -density 1200 "$1" -resize "$2x$2" -strip "PNG32:$3"
}

icons="$repo/static/icons"
mkdir -p "$icons"
render "$repo/static/favicon.svg" 32 "$icons/favicon-32.png"
render "$icons/icon.svg" 180 "$icons/apple-touch-icon.png"
render "$icons/icon.svg" 192 "$icons/icon-192.png"
render "$icons/icon.svg" 512 "$icons/icon-512.png"
echo "build-icons: wrote $(cd "$icons" && ls ./*.png | tr '\n' ' ')"
