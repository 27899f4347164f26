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
        # Every src and href is our own (a random token may spell "cdn", an address may not).
        for address in re.findall(r'(?:src|href)="([^"]*)"', html):
            assert not re.match(r"(?:https?:)?//", address), address
        assert "bootstrap" not in html.lower()
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


def _nonce(response) -> str:
    return re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)


def _map_script(html: str) -> tuple[str, str]:
    """(the nonce on the script that holds the map's code, that code)."""
    found = re.search(r'<script nonce="([^"]+)">(\s*var map_.*?)</script>', html, re.S)
    assert found, "no map script"
    return found.group(1), found.group(2)


def test_the_village_map_is_drawn_once_and_takes_each_responses_nonce(session, village, coordinator, client_as):
    client = client_as(coordinator)
    first, second = client.get("/kaart"), client.get("/kaart")
    (nonce1, code1), (nonce2, code2) = _map_script(first.text), _map_script(second.text)
    assert code1 == code2  # the same figure (its element ids are random when drawn anew)
    assert nonce1 == _nonce(first) and nonce2 == _nonce(second) and nonce1 != nonce2


def test_a_moved_village_centre_draws_the_village_map_anew(session, village, coordinator, client_as):
    client = client_as(coordinator)
    before = _map_script(client.get("/kaart").text)[1]
    assert f"center: [{village.centre_lat}, {village.centre_lon}]" in before
    village.centre_lat, village.centre_lon = 52.2, 5.4
    session.commit()
    after = _map_script(client.get("/kaart").text)[1]
    assert "center: [52.2, 5.4]" in after and after != before


def test_the_request_map_shows_the_candidates_of_now(session, make, village, coordinator, make_request,
                                                    client_as):
    req = make_request(description="Eerste tekst")
    make.volunteer(village, first_name="Aafke", lat=req.lat + 0.001, lon=req.lon)
    session.commit()
    client = client_as(coordinator)
    before = client.get(f"/hulpvragen/{req.id}/koppelen")
    nonce1, code1 = _map_script(before.text)
    assert "Aafke" in code1 and "Eerste tekst" in code1 and "__coop_rows_" not in code1
    make.volunteer(village, first_name="Bartel", lat=req.lat + 0.002, lon=req.lon)
    req.description = "Andere tekst"
    session.commit()
    after = client.get(f"/hulpvragen/{req.id}/koppelen")
    nonce2, code2 = _map_script(after.text)
    assert "Aafke" in code2 and "Bartel" in code2 and "Andere tekst" in code2 and "Eerste tekst" not in code2
    assert nonce2 == _nonce(after) != nonce1


def test_the_map_cache_is_bounded_and_keyed(app):
    from coop.geo import maps
    drawn = []

    def build(lat):
        def make():
            drawn.append(lat)
            return maps.make_map((lat, 5.3), 14, "/tiles/{z}/{x}/{y}.png", "kaart")
        return make
    with app.test_request_context():
        for i in range(maps.CACHE_MAX + 10):
            maps.render_cached(("test", i), build(50.0 + i / 100))
        assert len(maps._cache) <= maps.CACHE_MAX
        again = maps.render_cached(("test", maps.CACHE_MAX + 9), build(0.0))
        assert drawn[-1] != 0.0 and f"center: [{50.0 + (maps.CACHE_MAX + 9) / 100}, 5.3]" in again.script
        maps.render_cached(("test", 0), build(60.0))  # the oldest was dropped: drawn again
        assert drawn[-1] == 60.0
