"""Addresses to coordinates. The gazetteer (offline) always answers first; the geocoder named
in config (GEOCODER = gazetteer | pdok | nominatim) is asked next, and its answers, misses
included, are cached in the database. A network failure is a miss, never an error: the
coordinator then sets the pin on the map by hand.
"""
from __future__ import annotations

import json
import logging
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from coop.core.errors import DomainError
from coop.core.validation import normalise_postcode
from coop.extensions import db
from coop.geo.distance import in_netherlands
from coop.geo.models import GazetteerAddress, GeocodeCache

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Address:
    street: str | None = None
    house_number: str | None = None
    postcode: str | None = None
    place: str | None = None

    @classmethod
    def of(cls, obj) -> Address:
        """The address fields of a User or a HelpRequest."""
        return cls(obj.street, obj.house_number, obj.postcode, obj.place)

    @property
    def query(self) -> str:
        street = " ".join(p for p in (self.street, self.house_number) if p)
        return ", ".join(p for p in (street, self.postcode, self.place) if p)


@dataclass(frozen=True)
class Found:
    lat: float
    lon: float
    label: str
    source: str


def _postcode(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return normalise_postcode(value)
    except DomainError:
        return None


class Gazetteer:
    """The village's own address table: postcode + house number, else street + house number."""

    name = "gazetteer"

    def lookup(self, address: Address) -> Found | None:
        number = (address.house_number or "").strip().upper()
        if not number:
            return None
        postcode = _postcode(address.postcode)
        if postcode:
            row = db.session.scalar(select(GazetteerAddress).where(
                GazetteerAddress.postcode == postcode, GazetteerAddress.house_number == number))
            if row is not None:
                return self._found(row)
        if address.street:
            stmt = select(GazetteerAddress).where(
                func.lower(GazetteerAddress.street) == address.street.strip().lower(),
                GazetteerAddress.house_number == number)
            if address.place:
                stmt = stmt.where(func.lower(GazetteerAddress.place) == address.place.strip().lower())
            rows = db.session.scalars(stmt.limit(2)).all()
            if len(rows) == 1:  # two villages with the same street: ambiguous, no guess
                return self._found(rows[0])
        return None

    @staticmethod
    def _found(row: GazetteerAddress) -> Found:
        return Found(row.lat, row.lon, f"{row.street} {row.house_number}, {row.postcode} {row.place}", "gazetteer")


class PdokGeocoder:
    """PDOK Locatieserver (the Dutch BAG address service; no key). Its free-text search."""

    name = "pdok"

    def __init__(self, url: str, user_agent: str, timeout: float = 5.0):
        self.url, self.user_agent, self.timeout = url, user_agent, timeout

    def lookup(self, address: Address) -> Found | None:
        params = urllib.parse.urlencode({"q": address.query, "fq": "type:adres", "rows": 1,
                                         "fl": "weergavenaam,centroide_ll"})
        req = urllib.request.Request(f"{self.url}?{params}", headers={"User-Agent": self.user_agent,
                                                                       "Accept": "application/json"})
        with urllib.request.urlopen(req, timeout=self.timeout) as response:  # noqa: S310 (configured URL)
            data = json.load(response)
        docs = (data.get("response") or {}).get("docs") or []
        if not docs:
            return None
        lon, lat = _parse_point(docs[0].get("centroide_ll", ""))
        return Found(lat, lon, docs[0].get("weergavenaam", address.query), self.name)


def _parse_point(wkt: str) -> tuple[float, float]:
    """'POINT(5.31 52.08)' → (5.31, 52.08)."""
    inner = wkt.strip()
    if not inner.upper().startswith("POINT(") or not inner.endswith(")"):
        raise ValueError(f"not a WKT point: {wkt!r}")
    x, y = inner[6:-1].split()
    return float(x), float(y)


class NominatimGeocoder:
    """OpenStreetMap's Nominatim through geopy, at most one request per second (its policy)."""

    name = "nominatim"
    _limiters: dict[tuple, object] = {}
    _lock = threading.Lock()

    def __init__(self, domain: str, scheme: str, user_agent: str, timeout: float = 5.0):
        self.key = (domain, scheme, user_agent)
        self.timeout = timeout

    def _geocode(self):
        # One rate limiter per server, shared by every request this process handles.
        with self._lock:
            if self.key not in self._limiters:
                from geopy.extra.rate_limiter import RateLimiter
                from geopy.geocoders import Nominatim
                domain, scheme, agent = self.key
                client = Nominatim(user_agent=agent, domain=domain, scheme=scheme, timeout=self.timeout)
                self._limiters[self.key] = RateLimiter(client.geocode, min_delay_seconds=1.0,
                                                       max_retries=0, swallow_exceptions=False)
            return self._limiters[self.key]

    def lookup(self, address: Address) -> Found | None:
        location = self._geocode()(address.query, country_codes="nl", exactly_one=True)
        if location is None:
            return None
        return Found(location.latitude, location.longitude, location.address, self.name)


def online_geocoder():
    """The online geocoder chosen in config, or None when the gazetteer is all we use."""
    cfg = current_app.config
    agent = cfg["GEOCODER_USER_AGENT"]
    if cfg["GEOCODER"] == "pdok":
        return PdokGeocoder(cfg["PDOK_URL"], agent)
    if cfg["GEOCODER"] == "nominatim":
        return NominatimGeocoder(cfg["NOMINATIM_DOMAIN"], cfg["NOMINATIM_SCHEME"], agent)
    return None


def geocode(address: Address, village_id: int | None = None) -> Found | None:
    """Coordinates for `address` in the Netherlands, or None when no geocoder knows it there
    (never raises)."""
    found = _geocode(address, village_id)
    if found is not None and not in_netherlands(found.lat, found.lon):
        log.warning("geocoder %s placed %r outside the Netherlands", found.source, address.query)
        return None
    return found


def _geocode(address: Address, village_id: int | None) -> Found | None:
    if not address.query:
        return None
    found = Gazetteer().lookup(address)
    if found is not None:
        return found
    online = online_geocoder()
    if online is None:
        return None
    query = address.query.lower()[:300]
    cached = db.session.scalar(select(GeocodeCache).where(GeocodeCache.provider == online.name,
                                                          GeocodeCache.query == query))
    if cached is not None:
        if cached.lat is None or cached.lon is None:
            return None
        return Found(cached.lat, cached.lon, cached.label or "", online.name)
    try:
        found = online.lookup(address)
    except Exception as err:  # network down, timeout, odd answer: a miss, not a failure
        log.warning("geocoder %s failed for %r: %s", online.name, query, err)
        return None
    try:
        with db.session.begin_nested():  # another worker may have cached the same query just now
            db.session.add(GeocodeCache(provider=online.name, query=query, village_id=village_id,
                                        lat=found.lat if found else None, lon=found.lon if found else None,
                                        label=(found.label or "")[:300] if found else None))
    except IntegrityError:
        pass
    return found
