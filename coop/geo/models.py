"""The gazetteer (a village's own address table) and the cache of online geocoder answers."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coop.core.clock import now
from coop.core.models import User
from coop.core.types import UTCDateTime
from coop.extensions import Model

# Candidate search pre-filters helpers by a box around the request: this index serves it.
Index("ix_users_village_lat_lon", User.village_id, User.lat, User.lon)


class GazetteerAddress(Model):
    """One address of the village with its coordinates (imported from CSV; works offline)."""

    __tablename__ = "gazetteer_addresses"
    __table_args__ = (UniqueConstraint("postcode", "house_number"),
                      Index("ix_gazetteer_street", "street", "house_number"))

    id: Mapped[int] = mapped_column(primary_key=True)
    postcode: Mapped[str] = mapped_column(String(7))  # "3712 AB"
    house_number: Mapped[str] = mapped_column(String(12))
    street: Mapped[str] = mapped_column(String(120))
    place: Mapped[str] = mapped_column(String(80))
    lat: Mapped[float]
    lon: Mapped[float]


class GeocodeCache(Model):
    """An online geocoder's answer, kept so the same address never asks twice (also misses)."""

    __tablename__ = "geocode_cache"
    __table_args__ = (UniqueConstraint("provider", "query"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(20))
    query: Mapped[str] = mapped_column(String(300))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    label: Mapped[str | None] = mapped_column(String(300))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
