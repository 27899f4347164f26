"""Distances on the earth (the WGS84 geodesic) and the cheap boxes that pre-filter them in SQL."""
from __future__ import annotations

import math
from dataclasses import dataclass

from pyproj import Geod

from coop.core.errors import DomainError

KM_PER_DEGREE_LAT = 110.574  # the shortest degree of latitude (at the equator): a safe bound
EARTH_MEAN_RADIUS_KM = 6371.0088
# The sphere's great-circle distance differs from the WGS84 geodesic by less than 0.56 %:
# a point whose spherical distance exceeds the radius by more than this is surely outside.
SPHERE_MARGIN = 1.006
_WGS84 = Geod(ellps="WGS84")
# Where a pin may lie: a box around the Netherlands (a click in the sea or abroad is a slip).
NL_BOX = (50.7, 53.6, 3.3, 7.3)  # min lat, max lat, min lon, max lon


@dataclass(frozen=True)
class Box:
    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The geodesic distance between two (lat, lon) points in kilometres on WGS84.

    geopy's `geodesic(a, b).km` computes it with geographiclib (Karney's algorithm in Python,
    about 80 µs); pyproj runs the same algorithm in C (GeographicLib's geodesic.c, about 1 µs),
    equal to within a few nanometres, and ranking asks it for every candidate shown.
    """
    return _WGS84.inv(a[1], a[0], b[1], b[0])[2] / 1000.0


def sphere_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance on the mean sphere (haversine): a cheap pre-check before
    distance_km, within SPHERE_MARGIN of it."""
    lat1, lat2 = math.radians(a[0]), math.radians(b[0])
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2)
    return 2 * EARTH_MEAN_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def km_per_degree_lon(lat: float) -> float:
    return 111.320 * max(math.cos(math.radians(lat)), 1e-6)


def bounding_box(lat: float, lon: float, km: float) -> Box:
    """A box that surely contains every point within `km` of (lat, lon); a slight overshoot."""
    # The margin keeps the box a superset of the geodesic circle (the ellipsoid is not a sphere).
    dlat = km / KM_PER_DEGREE_LAT * 1.01
    dlon = km / km_per_degree_lon(lat + math.copysign(dlat, lat)) * 1.01
    return Box(lat - dlat, lat + dlat, lon - dlon, lon + dlon)


def check_coordinates(lat, lon) -> tuple[float, float]:
    """Parse and check a pin: numbers, latitude −90…90, longitude −180…180 (Dutch messages)."""
    try:
        lat_f = float(str(lat).replace(",", "."))
    except (TypeError, ValueError):
        raise DomainError("De breedtegraad is geen getal.", "lat") from None
    try:
        lon_f = float(str(lon).replace(",", "."))
    except (TypeError, ValueError):
        raise DomainError("De lengtegraad is geen getal.", "lon") from None
    if not math.isfinite(lat_f) or not -90 <= lat_f <= 90:
        raise DomainError("De breedtegraad moet tussen -90 en 90 liggen.", "lat")
    if not math.isfinite(lon_f) or not -180 <= lon_f <= 180:
        raise DomainError("De lengtegraad moet tussen -180 en 180 liggen.", "lon")
    return lat_f, lon_f


def in_netherlands(lat: float, lon: float) -> bool:
    min_lat, max_lat, min_lon, max_lon = NL_BOX
    return min_lat <= lat <= max_lat and min_lon <= lon <= max_lon


def check_pin(lat, lon) -> tuple[float, float]:
    """check_coordinates, and the point must lie within the Netherlands (NL_BOX)."""
    lat_f, lon_f = check_coordinates(lat, lon)
    if not in_netherlands(lat_f, lon_f):
        raise DomainError("Deze plek ligt niet in Nederland. Klik op de kaart op de juiste plek, "
                          "of vul de breedtegraad (50,7 tot 53,6) en de lengtegraad (3,3 tot 7,3) in.", "lat")
    return lat_f, lon_f
