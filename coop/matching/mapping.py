"""The two maps of matching: the whole village, and one request with its candidates."""
from __future__ import annotations

from flask import current_app, url_for

from coop.core.models import Village
from coop.extensions import db
from coop.geo import maps
from coop.matching import queries
from coop.matching.candidates import Ranking, request_point
from coop.requests.models import HelpRequest


def _tiles() -> tuple[str, str]:
    cfg = current_app.config
    return cfg["TILE_URL"], cfg["TILE_ATTRIBUTION"]


def _base(center, zoom, tiles: tuple[str, str]):
    return maps.make_map(center, zoom, *tiles)


def _prefixes() -> tuple[str, str]:
    match_url = url_for("matching.match", request_id=0)  # …/hulpvragen/0/koppelen
    person_url = url_for("people.show", person_id=0)
    return match_url[: -len("0/koppelen")], person_url[:-1]


LIST_MAX = 50  # points listed on the page itself, per group (the list without a map)


def village_map(village: Village) -> maps.MapParts:
    """Open requests by urgency and state, helpers by kind, each group its own layer. The
    points come from village_points (static/js/map.js fetches them): a village has thousands,
    and the page stays small and quick to draw. The figure depends on the village's centre,
    the tiles and the URL of the points alone: it is drawn once per process for each."""
    centre, tiles, source = (village.centre_lat, village.centre_lon), _tiles(), url_for("matching.village_map_points")

    def build():
        fmap = _base(centre, 14, tiles)
        maps.PointLayer("request", [], "Hulpvragen", source=source).add_to(fmap)
        maps.PointLayer("helper", [], "Helpers", source=source).add_to(fmap)
        return fmap
    return maps.render_cached(("village", village.id, centre, tiles, source), build)


def village_list(village: Village) -> dict:
    """The points as lists on the page, for those without the map (no JavaScript, a screen
    reader): the most urgent requests and the helpers by name, LIST_MAX of each; `more_*` says
    whether there are more."""
    request_prefix, person_prefix = _prefixes()
    requests = queries.request_points(village.id, request_prefix, LIST_MAX + 1, urgent_first=True)
    helpers = queries.helper_points(village.id, person_prefix, LIST_MAX + 1, by_name=True)
    return {"requests": requests[:LIST_MAX], "more_requests": len(requests) > LIST_MAX,
            "helpers": helpers[:LIST_MAX], "more_helpers": len(helpers) > LIST_MAX}


def village_points(village: Village) -> dict:
    """Every point of the village map as one GeoJSON FeatureCollection; each feature's
    `layer` property says which layer it belongs to ("request" or "helper")."""
    request_prefix, person_prefix = _prefixes()
    features = [_feature(r[0], r[1], layer="request", id=r[2], status=r[3], urgency=r[4], title=r[5], text=r[6],
                         url=r[7], status_label=r[8], urgency_label=r[9])
                for r in queries.request_points(village.id, request_prefix)]
    features += [_feature(h[0], h[1], layer="helper", id=h[2], kind=h[3], name=h[4], detail=h[5], url=h[6])
                 for h in queries.helper_points(village.id, person_prefix)]
    return {"type": "FeatureCollection", "features": features}


def _feature(lat: float, lon: float, **properties) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties}


def request_map(req: HelpRequest, ranking: Ranking) -> maps.MapParts:
    """Centred on the request, opening on a view that holds it and every candidate. Each
    candidate's marker carries their number in the list; only the radius of the candidate
    chosen (or focused) in the list is drawn (static/js/map.js), not a wash of all of them."""
    point = request_point(req)
    if point is None:
        village = db.session.get_one(Village, req.village_id)
        point = (village.centre_lat, village.centre_lon)
    located, tiles = request_point(req) is not None, _tiles()
    _, person_prefix = _prefixes()
    candidates = ranking.candidates
    rows = {"candidate": [[c.helper.lat, c.helper.lon, c.helper.id, c.helper.kind, f"{n}. {c.helper.name}",
                           " · ".join(c.reasons), f"{person_prefix}{c.helper.id}", n]
                          for n, c in enumerate(candidates, 1)],
            "radius": [[c.helper.lat, c.helper.lon, c.helper.radius_km * 1000, c.helper.name, c.helper.id]
                       for c in candidates]}
    if located:
        rows["focus"] = [[point[0], point[1], f"{req.category.name} – {req.resident.first_name}",
                          req.description[:140]]]

    def build():  # the figure without its points: kept per place, the points filled in each time
        fmap = _base(point, 15, tiles)
        if located:
            maps.PointLayer("focus", maps.FILLED, "Deze hulpvraag", cluster=False).add_to(fmap)
        # map.js opens the view on the request and every candidate (the figure is cached, the
        # candidates are not), and draws only the radius of the one chosen in the list.
        maps.PointLayer("candidate", maps.FILLED, "Kandidaten", cluster=False).add_to(fmap)
        maps.PointLayer("radius", maps.FILLED, "Straal van de gekozen kandidaat", cluster=False).add_to(fmap)
        return fmap
    return maps.render_cached(("request", tuple(point), located, tiles), build, rows)
