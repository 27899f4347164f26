"""folium maps inside our own pages, under our Content-Security-Policy, every asset from static/vendor/.

Each map and layer made here carries its own `default_js` / `default_css` (folium's list of
(name, url) a JSCSSMixin element links), pointing at static/vendor/: Leaflet for the map, the
markercluster plugin for the point layers. That is all the page needs, because folium's
other defaults serve features we do not use: jQuery and Bootstrap (for folium's own popups
and standalone page) and awesome-markers with Font Awesome and glyphicons (folium's icons;
every pin here is a Leaflet divIcon drawn by static/js/map.js).

`PointLayer` puts its points in one JSON array that the browser turns into markers, or names
a GeoJSON URL that static/js/map.js fetches (the village map: thousands of points stay out of
the page). map.js builds each popup from that data with textContent: user text never becomes
HTML. `render()` lets folium render its figure, then takes the parts our template places:
the links folium collected in the figure's header, the figure's html (the map's <div>) and its
script (the inline code the template puts under the response's CSP nonce).

Rendering a folium figure costs milliseconds, so `render_cached` keeps the parts of a figure
by a key that holds everything the figure is drawn from, in a small cache per process: a
changed input (a village's centre, the tile server) is a new key, so no process can serve a
stale map, and no other process needs telling. A layer's points can be left out of the
figure (`FILLED`) and put into the cached script when it is used. The parts hold no nonce:
the template adds the response's own to the <script> it writes.
"""
from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace

import folium
from branca.element import CssLink, Figure, JavascriptLink
from flask import url_for
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.template import Template
from markupsafe import Markup

from coop.core import safejson

# (folium's asset name, path under static/). The names are folium's own, so an element of
# folium that wants the same file finds it already linked.
MAP_JS = [("leaflet", "vendor/leaflet/leaflet.js")]
MAP_CSS = [("leaflet_css", "vendor/leaflet/leaflet.css")]
CLUSTER_JS = [("markerclusterjs", "vendor/leaflet.markercluster/leaflet.markercluster.js")]
CLUSTER_CSS = [("markerclustercss", "vendor/leaflet.markercluster/MarkerCluster.css"),
               ("markerclusterdefaultcss", "vendor/leaflet.markercluster/MarkerCluster.Default.css")]


def vendored_paths() -> list[str]:
    """Every file under static/ that the maps link."""
    return [path for _, path in MAP_JS + MAP_CSS + CLUSTER_JS + CLUSTER_CSS]


def _urls(assets: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(name, url_for("static", filename=path)) for name, path in assets]


def safe_json(value) -> str:
    """JSON that cannot close the <script> it sits in (coop/core/safejson.py)."""
    return safejson.dumps(value, separators=(",", ":"))


FILLED = object()  # a PointLayer's rows, given at render_cached time: the figure is kept without them
_SALT = secrets.token_hex(8)  # no user text can spell a placeholder


def _placeholder(kind: str) -> str:
    return f"__coop_rows_{kind}_{_SALT}__"


class PointLayer(JSCSSMixin, Layer):
    """Many points as one data array; markers, popups and radii are made in static/js/map.js.

    kind: "request" | "helper" | "candidate" (a helper numbered as in the list) | "radius" (the
    radius of the candidate chosen in the list, shown one at a time) | "focus" (the request).
    source: a URL of GeoJSON (same origin) that static/js/map.js fetches and adds to the layer,
    its features of this kind (properties.layer): the page itself then carries no points.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = CoopMap.layer({{ this.kind_json }}, {{ this.data_json }},
                                                      {{ this.cluster_json }}, {{ this.source_json }});
        {% endmacro %}""")

    def __init__(self, kind: str, rows, name: str, cluster: bool = True, show: bool = True,
                 source: str | None = None):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "PointLayer"
        self.default_js = _urls(CLUSTER_JS)
        self.default_css = _urls(CLUSTER_CSS)
        self.kind_json = safe_json(kind)
        self.data_json = _placeholder(kind) if rows is FILLED else safe_json(rows)
        self.cluster_json = "true" if cluster else "false"
        self.source_json = safe_json(source)


@dataclass(frozen=True)  # shared from the cache: nobody may change them
class MapParts:
    css: list[str]   # stylesheet URLs, in folium's order
    js: list[str]    # script URLs, in folium's order
    html: Markup     # the map's <div>
    script: Markup   # folium's inline code, for a <script> with the response's nonce


def make_map(center: tuple[float, float], zoom: int, tile_url: str, attribution: str) -> folium.Map:
    # A tile layer with max_zoom is required: without one the cluster plugin has no maxZoom.
    # No folium scale: it shows miles too. map.js adds a metric one to every map.
    fmap = folium.Map(location=list(center), zoom_start=zoom, tiles=None, control_scale=False)
    fmap.default_js = _urls(MAP_JS)
    fmap.default_css = _urls(MAP_CSS)
    folium.TileLayer(tiles=tile_url, attr=attribution, name="Kaart", max_zoom=19, control=False).add_to(fmap)
    return fmap


def render(fmap: folium.Map) -> MapParts:
    """The map in the parts our template places (templates/matching/_map_head.html).

    Of the figure's header only the links are taken: the rest is folium's standalone page (a
    viewport meta tag, full-page html/body and #map rules, two Leaflet switches left at their
    defaults) and our page has its own layout (static/css/map.css).
    """
    folium.LayerControl(collapsed=False).add_to(fmap)
    figure = fmap.get_root()
    assert isinstance(figure, Figure)  # a Map's root is always the page it draws itself into
    figure.render()  # every element puts its links, <div> and code into the figure's parts
    links = list(figure.header._children.values())
    css = [link.url for link in links if isinstance(link, CssLink)]
    js = [link.url for link in links if isinstance(link, JavascriptLink)]
    static = url_for("static", filename="")
    foreign = [url for url in css + js if not url.startswith(static)]
    if foreign:
        # A folium element with its CDN defaults: the CSP would block it, and no page may
        # depend on a network it cannot reach. Give the element its files from static/vendor/.
        raise ValueError(f"folium links files outside static/: {foreign}")
    return MapParts(css=css, js=js, html=Markup(figure.html.render()), script=Markup(figure.script.render()))


CACHE_MAX = 64  # figures kept per process (a village map each, the request maps seen last)
_cache: OrderedDict[Hashable, MapParts] = OrderedDict()
_cache_lock = threading.Lock()


def render_cached(key: Hashable, build: Callable[[], folium.Map], rows: dict[str, list] | None = None) -> MapParts:
    """render(build()), kept under `key` (with where static/ is served): the key must hold
    every input of the figure. `rows` fills the layers built with FILLED, by kind."""
    full_key = (key, url_for("static", filename=""))
    with _cache_lock:
        parts = _cache.get(full_key)
        if parts is not None:
            _cache.move_to_end(full_key)
    if parts is None:
        parts = render(build())
        with _cache_lock:
            _cache[full_key] = parts
            while len(_cache) > CACHE_MAX:
                _cache.popitem(last=False)
    if not rows:
        return parts
    script = str(parts.script)
    for kind, data in rows.items():
        script = script.replace(_placeholder(kind), safe_json(data))
    return replace(parts, script=Markup(script))
