"""folium through its own API: each map links our vendored files, folium itself stays as it is."""
from __future__ import annotations

import folium
import pytest
from folium.plugins import MarkerCluster

from coop import create_app
from coop.geo import maps
from tests.conftest import TEST_CONFIG


@pytest.fixture
def request_context(tmp_path):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/m.sqlite"})
    with app.test_request_context():
        yield


def _map():
    return maps.make_map((52.08, 5.31), 14, "/tiles/{z}/{x}/{y}.png", "kaart")


def test_a_map_links_leaflet_and_markercluster_from_static_vendor_only(request_context):
    fmap = _map()
    maps.PointLayer("helper", [[52.08, 5.31, 1, "volunteer", "Kees", "vrijwilliger", "/mensen/1"]],
                    "Helpers").add_to(fmap)
    parts = maps.render(fmap)
    assert parts.js == ["/static/vendor/leaflet/leaflet.js",
                        "/static/vendor/leaflet.markercluster/leaflet.markercluster.js"]
    assert parts.css == ["/static/vendor/leaflet/leaflet.css",
                         "/static/vendor/leaflet.markercluster/MarkerCluster.css",
                         "/static/vendor/leaflet.markercluster/MarkerCluster.Default.css"]
    assert parts.html.count("<div") == 1 and f'id="{fmap.get_name()}"' in parts.html
    # folium's standalone page (full-page styles, its own inline switches) stays out.
    assert "<style" not in parts.html + parts.script and "<script" not in parts.script
    assert "L_NO_TOUCH" not in parts.script and "L.map(" in parts.script
    assert parts.script.count("CoopMap.layer(") == 1 and "L.control.layers" in parts.script


def test_folium_own_defaults_are_left_untouched(request_context):
    maps.render(_map())
    assert any("cdn" in url for _, url in folium.Map.default_js)  # set per map, never on the class
    assert all(url.startswith("https://") for _, url in MarkerCluster.default_js)


def test_an_element_with_cdn_defaults_is_refused(request_context):
    fmap = _map()
    MarkerCluster().add_to(fmap)  # folium's own plugin, with its CDN links
    with pytest.raises(ValueError, match="outside static"):
        maps.render(fmap)
