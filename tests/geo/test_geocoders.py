"""Geocoding offline: the gazetteer from CSV; PDOK and Nominatim against local fake servers."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from coop.core.errors import DomainError
from coop.geo.distance import check_coordinates, distance_km
from coop.geo.geocoders import Address, geocode
from coop.geo.importer import import_rows
from coop.geo.models import GazetteerAddress, GeocodeCache

CSV = [["postcode", "huisnummer", "straat", "plaats", "lat", "lon"],
       ["3712 AB", "5", "Dorpsstraat", "Austerlitz", "52.0805", "5.3107"],
       ["3712ab", "7", "Dorpsstraat", "Austerlitz", "52,0806", "5,3109"],
       ["3712 AB", "9", "Dorpsstraat", "Austerlitz", "95", "5.3"],
       ["", "1", "Kerkweg", "Austerlitz", "52.08", "5.31"],
       ["3712 AC", "2", "Kerkweg", "Austerlitz", "abc", "5.31"]]


def test_gazetteer_import_reports_bad_rows_and_finds_addresses(session):
    report = import_rows(CSV)
    assert (report.added, report.updated) == (2, 0)
    assert [line for line, _ in report.bad] == [4, 5, 6]
    assert "tussen -90 en 90" in report.bad[0][1] and "postcode is leeg" in report.bad[1][1]
    assert geocode(Address(postcode="3712ab", house_number="5")).lat == 52.0805
    assert geocode(Address(street="dorpsstraat", house_number="7", place="Austerlitz")).lon == 5.3109
    assert geocode(Address(street="Nergensweg", house_number="1")) is None
    assert import_rows(CSV).updated == 2  # importing again updates, never duplicates


def test_import_needs_the_columns(session):
    with pytest.raises(DomainError, match="kolom 'lat'"):
        import_rows([["postcode", "huisnummer", "straat", "plaats", "lon"]])


def test_distance_and_coordinates():
    assert distance_km((52.0805, 5.3107), (52.0905, 5.3107)) == pytest.approx(1.113, abs=0.01)
    with pytest.raises(DomainError):
        check_coordinates("52", "181")
    assert check_coordinates("52,1", "5.3") == (52.1, 5.3)


class FakeServer:
    """A loopback HTTP server answering like PDOK or Nominatim; records what it was asked."""

    def __init__(self, answer):
        self.requests = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                outer.requests.append((parts.path, parse_qs(parts.query), self.headers.get("User-Agent")))
                body = json.dumps(answer(parts.path, parse_qs(parts.query))).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()


@pytest.fixture
def config(app):
    saved = dict(app.config)
    yield app.config
    app.config.clear()
    app.config.update(saved)


def test_pdok_answer_is_used_and_cached(session, config):
    server = FakeServer(lambda path, q: {"response": {"numFound": 1, "docs": [
        {"weergavenaam": "Kerkweg 3, 3712AA Austerlitz", "centroide_ll": "POINT(5.3111 52.0811)"}]}}
        if "Kerkweg" in q["q"][0] else {"response": {"numFound": 0, "docs": []}})
    try:
        config.update(GEOCODER="pdok", PDOK_URL=f"http://127.0.0.1:{server.port}/search/v3_1/free")
        found = geocode(Address(street="Kerkweg", house_number="3", place="Austerlitz"))
        assert (found.lat, found.lon, found.source) == (52.0811, 5.3111, "pdok")
        assert geocode(Address(street="Kerkweg", house_number="3", place="Austerlitz")).lat == 52.0811
        assert len(server.requests) == 1  # the second answer came from the cache
        assert server.requests[0][1]["fq"] == ["type:adres"] and "coop" in server.requests[0][2]
        assert geocode(Address(street="Nergens", house_number="1")) is None
        assert session.scalar(select(func.count()).select_from(GeocodeCache)) == 2  # the miss is cached too
    finally:
        server.close()


def test_nominatim_through_geopy_with_user_agent(session, config):
    server = FakeServer(lambda path, q: [{"lat": "52.0822", "lon": "5.3122", "display_name": "Lindelaan 4",
                                          "place_id": 1, "boundingbox": ["52", "53", "5", "6"]}])
    try:
        config.update(GEOCODER="nominatim", NOMINATIM_DOMAIN=f"127.0.0.1:{server.port}", NOMINATIM_SCHEME="http")
        found = geocode(Address(street="Lindelaan", house_number="4", place="Austerlitz"))
        assert (found.lat, found.lon, found.source) == (52.0822, 5.3122, "nominatim")
        path, query, agent = server.requests[0]
        assert path == "/search" and query["countrycodes"] == ["nl"] and agent.startswith("coop-")
    finally:
        server.close()


def test_network_down_is_a_miss_not_an_error(session, config):
    config.update(GEOCODER="pdok", PDOK_URL="http://127.0.0.1:1/free")
    assert geocode(Address(street="Kerkweg", house_number="3")) is None
    assert session.scalar(select(func.count()).select_from(GazetteerAddress)) == 0


def test_distance_is_geopys_geodesic_and_the_sphere_stays_within_its_margin():
    from geopy.distance import geodesic

    from coop.geo.distance import SPHERE_MARGIN, sphere_km
    pairs = [((52.0805, 5.3107), (52.0905, 5.3207)), ((52.08, 5.31), (52.40, 5.31)),
             ((52.08, 5.31), (52.08, 5.70)), ((0.0, 0.0), (0.3, 0.3)), ((-33.9, 18.4), (-34.2, 18.9))]
    for a, b in pairs:
        exact = distance_km(a, b)
        assert exact == pytest.approx(geodesic(a, b).km, rel=1e-12)
        assert exact / SPHERE_MARGIN <= sphere_km(a, b) <= exact * SPHERE_MARGIN
