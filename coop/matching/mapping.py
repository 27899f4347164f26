"""The two maps of matching: the whole village, and one request with its candidates."""
from __future__ import annotations

from flask import current_app, url_for

from coop.core.models import Village
from coop.extensions import db
from coop.geo import maps
from coop.matching import queries
from coop.matching.candidates import Ranking, request_point
from coop.requests.models import HelpRequest


def _base(center, zoom):
    cfg = current_app.config
    return maps.make_map(center, zoom, cfg["TILE_URL"], cfg["TILE_ATTRIBUTION"])


def _prefixes() -> tuple[str, str]:
    match_url = url_for("matching.match", request_id=0)  # …/hulpvragen/0/koppelen
    person_url = url_for("people.show", person_id=0)
    return match_url[: -len("0/koppelen")], person_url[:-1]


def village_map(village: Village) -> maps.MapParts:
    """Open requests by urgency and state, helpers by kind, each group its own layer."""
    fmap = _base((village.centre_lat, village.centre_lon), 14)
    request_prefix, person_prefix = _prefixes()
    maps.PointLayer("request", queries.request_points(village.id, request_prefix), "Hulpvragen").add_to(fmap)
    maps.PointLayer("helper", queries.helper_points(village.id, person_prefix), "Helpers").add_to(fmap)
    return maps.render(fmap)


def request_map(req: HelpRequest, ranking: Ranking) -> maps.MapParts:
    """Centred on the request; its candidates and the radius each of them travels."""
    point = request_point(req)
    if point is None:
        village = db.session.get_one(Village, req.village_id)
        point = (village.centre_lat, village.centre_lon)
    fmap = _base(point, 15)
    _, person_prefix = _prefixes()
    if request_point(req):
        maps.PointLayer("focus", [[point[0], point[1], f"{req.category.name} – {req.resident.first_name}",
                                   req.description[:140]]], "Deze hulpvraag", cluster=False).add_to(fmap)
    helpers = [[c.helper.lat, c.helper.lon, c.helper.id, c.helper.kind, c.helper.name,
                " · ".join(c.reasons), f"{person_prefix}{c.helper.id}"] for c in ranking.candidates]
    maps.PointLayer("helper", helpers, "Kandidaten", cluster=False).add_to(fmap)
    radii = [[c.helper.lat, c.helper.lon, c.helper.radius_km * 1000, c.helper.name] for c in ranking.candidates]
    maps.PointLayer("radius", radii, "Straal van de kandidaten", cluster=False).add_to(fmap)
    return maps.render(fmap)
