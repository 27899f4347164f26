"""The maps: vendored assets only, the CSP nonce on folium's inline code, user text escaped."""
from __future__ import annotations

import re


def test_request_text_is_escaped_in_the_map_and_assets_are_local(session, village, coordinator, volunteer,
                                                                 make_request, client_as):
    req = make_request(description="<script>alert(1)</script>")
    session.commit()
    for url in (f"/hulpvragen/{req.id}/koppelen", "/kaart"):
        response = client_as(coordinator).get(url)
        html = response.text
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in html
        nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
            assert 'src="/static/' in tag or f'nonce="{nonce}"' in tag or 'type="module" src="/static/' in tag, tag
        assert "cdn" not in html.lower() and "bootstrap" not in html.lower()
        assert "CoopMap.layer" in html and "vendor/leaflet.markercluster" in html
    # The village map's points come as GeoJSON (not HTML): the text is data there, as typed.
    points = client_as(coordinator).get("/kaart/punten")
    assert points.mimetype == "application/geo+json"
    assert "<script>alert(1)</script>" in [f["properties"].get("text") for f in points.json["features"]]


def test_village_map_with_many_points_stays_small(app, session, make, village):
    from coop.geo import maps
    rows = [[52.0 + i * 1e-4, 5.3, i, "searching", "week", "Boodschappen – Bep", "tekst", f"/h/{i}/koppelen",
             "zoekt helper", "deze week"] for i in range(500)]
    with app.test_request_context():
        fmap = maps.make_map((52.0, 5.3), 14, "/tiles/{z}/{x}/{y}.png", "kaart")
        maps.PointLayer("request", rows, "Hulpvragen").add_to(fmap)
        parts = maps.render(fmap)
    assert parts.script.count("CoopMap.layer") == 1  # one layer object, not one per marker
