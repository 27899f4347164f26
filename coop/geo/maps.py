"""folium maps served under our Content-Security-Policy, with every asset from static/vendor/.

`use_vendored_assets()` swaps folium's CDN defaults for our own files (lazily, at the first
map, or from create_app). `PointLayer` puts thousands of points in one JSON array that the
browser turns into markers (static/js/map.js builds each popup from that data with
textContent: user text never becomes HTML). `render()` splits folium's page into head, body
and script, drops the parts that would restyle our page, and puts the response's nonce on
the inline <script> and <style> it keeps.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import folium
from folium.plugins import FastMarkerCluster, MarkerCluster
from folium.template import Template
from markupsafe import Markup

_ASSETS_FILE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "folium-assets.json"
_configured: str | None = None


def use_vendored_assets(static_url_path: str = "/static") -> None:
    """Point folium at static/vendor/ instead of CDNs. Idempotent; cheap after the first call."""
    global _configured
    if _configured == static_url_path:
        return
    assets = json.loads(_ASSETS_FILE.read_text())

    def url(name: str) -> tuple[str, str]:
        return name, f"{static_url_path}/{assets[name]}"
    # Leaflet only: folium's default Bootstrap and jQuery would restyle the whole page, and our
    # markers are plain Leaflet (no awesome-markers icons).
    folium.Map.default_js = [url("leaflet")]
    folium.Map.default_css = [url("leaflet_css")]
    cluster_js = [url("markerclusterjs")]
    cluster_css = [url("markerclustercss"), url("markerclusterdefaultcss")]
    for cls in (MarkerCluster, FastMarkerCluster, PointLayer):
        cls.default_js, cls.default_css = cluster_js, cluster_css
    _configured = static_url_path


def safe_json(value) -> str:
    """JSON that cannot close the <script> it sits in (<, >, & and ' as \\u escapes)."""
    return (json.dumps(value, separators=(",", ":"), ensure_ascii=False)
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


class PointLayer(MarkerCluster):
    """Many points as one data array; markers, popups and radii are made in static/js/map.js.

    kind: "request" | "helper" | "radius" (circles of the candidates' radius) | "focus".
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = CoopMap.layer({{ this.kind_json }}, {{ this.data_json }},
                                                      {{ this.cluster_json }});
        {% endmacro %}""")

    def __init__(self, kind: str, rows: list, name: str, cluster: bool = True, show: bool = True):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "PointLayer"
        self.kind_json = safe_json(kind)
        self.data_json = safe_json(rows)
        self.cluster_json = "true" if cluster else "false"


@dataclass
class MapParts:
    head: Markup
    body: Markup
    script: Markup


def make_map(center: tuple[float, float], zoom: int, tile_url: str, attribution: str) -> folium.Map:
    # A tile layer with max_zoom is required: without one the cluster plugin has no maxZoom.
    fmap = folium.Map(location=list(center), zoom_start=zoom, tiles=None, control_scale=True)
    folium.TileLayer(tiles=tile_url, attr=attribution, name="Kaart", max_zoom=19, control=False).add_to(fmap)
    return fmap


_HEAD = re.compile(r"<head>(.*)</head>", re.S)
_BODY = re.compile(r"<body>(.*)</body>", re.S)
_SCRIPT_AFTER = re.compile(r"</body>\s*(<script>.*</script>)\s*</html>", re.S)
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def _part(pattern: re.Pattern[str], html: str) -> str:
    """The first group of `pattern` in folium's page; a clear error if folium's output changed."""
    found = pattern.search(html)
    if found is None:
        raise ValueError(f"folium's page has no match for {pattern.pattern!r}")
    return found.group(1)


def render(fmap: folium.Map, nonce: str) -> MapParts:
    """The map in three parts for our template, inline code carrying the response's nonce."""
    folium.LayerControl(collapsed=False).add_to(fmap)
    html = fmap.get_root().render()
    head = _part(_HEAD, html)
    head = re.sub(r"<meta[^>]*>", "", head)

    def keep_style(match: re.Match) -> str:
        css = match.group(1)
        # folium's full-page rules (html, body {…}, #map {…}) would break our layout.
        if "html, body" in css or re.search(r"#map\s*\{", css):
            return ""
        return f'<style nonce="{nonce}">{css}</style>'
    head = _STYLE.sub(keep_style, head)
    head = head.replace("<script>", f'<script nonce="{nonce}">')
    body = _part(_BODY, html)
    script = _part(_SCRIPT_AFTER, html).replace("<script>", f'<script nonce="{nonce}">', 1)
    return MapParts(Markup(head.strip()), Markup(body.strip()), Markup(script))
