"""Distances on the earth (geodesic, via geopy) and the cheap boxes that pre-filter them in SQL."""
from __future__ import annotations

import math
from dataclasses import dataclass

from geopy.distance import geodesic

from coop.core.errors import DomainError

KM_PER_DEGREE_LAT = 110.574  # the shortest degree of latitude (at the equator): a safe bound


@dataclass(frozen=True)
class Box:
    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The geodesic distance between two (lat, lon) points in kilometres."""
    return geodesic(a, b).km


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
