"""Respijtzorg: carers and the person they care for, respite requests, series and shifts,
CarerQol check-ins, calendar feed tokens, the village's expense settings and the yearly
limits of the volunteer allowance."""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Index, Numeric, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.core.clock import LOCAL, now
from coop.core.models import TaskCategory, User
from coop.core.types import UTCDateTime
from coop.extensions import Model
from coop.people.models import HoursEntry

# SOFA roles of a carer (Vilans, MantelzorgNL): what the coordinator records, and the verb that goes with it.
SOFA = {
    "S": "Samenwerken: partner in de zorg",
    "O": "Ondersteunen: heeft zelf hulp nodig",
    "F": "Faciliteren: de persoonlijke relatie",
    "A": "Afstemmen: deskundige die de naaste het best kent",
}


class CarerProfile(Model):
    """A mantelzorger and the one person they care for (the care recipient)."""

    __tablename__ = "carer_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    care_recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    relationship_label: Mapped[str] = mapped_column(String(60), default="")
    care_hours_week: Mapped[int] = mapped_column(default=0)
    # "Wat moet de vrijwilliger weten": only the coordinator and the volunteer on shift see these.
    routines: Mapped[str] = mapped_column(Text, default="")
    what_calms: Mapped[str] = mapped_column(Text, default="")
    who_to_call: Mapped[str] = mapped_column(Text, default="")
    # Recorded by the coordinator only.
    sofa_roles: Mapped[list] = mapped_column(JSON, default=list)
    support_needs: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)

    carer: Mapped[User] = relationship(foreign_keys=[user_id])
    care_recipient: Mapped[User] = relationship(foreign_keys=[care_recipient_id])


class ShiftSeries(Model):
    """How a request repeats: weekly or fortnightly from first_date until `until` (local dates)."""

    __tablename__ = "shift_series"

    WEEKLY, FORTNIGHTLY = "weekly", "fortnightly"
    LABELS = {WEEKLY: "elke week", FORTNIGHTLY: "om de week"}

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    freq: Mapped[str] = mapped_column(String(12))
    first_date: Mapped[date] = mapped_column(Date)
    until: Mapped[date] = mapped_column(Date)
    exceptions: Mapped[list] = mapped_column(JSON, default=list)  # ISO dates left out
    # True when the series had no end or was too long and was cut at the cap.
    capped: Mapped[bool] = mapped_column(default=False)


class RespiteRequest(Model):
    """A carer's ask for respite: one afternoon or a series, and what it is for."""

    __tablename__ = "respite_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    carer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    care_recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    category_id: Mapped[int] = mapped_column(ForeignKey("task_categories.id"))
    series_id: Mapped[int | None] = mapped_column(ForeignKey("shift_series.id"))
    start_time: Mapped[time] = mapped_column(Time)  # local wall-clock time
    end_time: Mapped[time] = mapped_column(Time)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    carer: Mapped[User] = relationship(foreign_keys=[carer_id])
    care_recipient: Mapped[User] = relationship(foreign_keys=[care_recipient_id])
    category: Mapped[TaskCategory] = relationship()
    series: Mapped[ShiftSeries | None] = relationship()
    shifts: Mapped[list[RespiteShift]] = relationship(
        back_populates="respite_request", order_by="RespiteShift.starts_at", cascade="all, delete-orphan")

    @property
    def kind_label(self) -> str:
        return ShiftSeries.LABELS[self.series.freq] if self.series else "eenmalig"


class RespiteShift(Model):
    """One occurrence: a volunteer takes over from the carer from starts_at to ends_at (UTC)."""

    __tablename__ = "respite_shifts"
    __table_args__ = (Index("ix_respite_shifts_volunteer_start", "volunteer_id", "starts_at"),
                      Index("ix_respite_shifts_village_start", "village_id", "starts_at"))

    OPEN, BOOKED, CANCELLED = "open", "booked", "cancelled"
    LABELS = {OPEN: "nog geen vrijwilliger", BOOKED: "geregeld", CANCELLED: "afgezegd"}

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"))
    request_id: Mapped[int] = mapped_column(ForeignKey("respite_requests.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(10), default=OPEN)
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    respite_request: Mapped[RespiteRequest] = relationship(back_populates="shifts")
    volunteer: Mapped[User | None] = relationship()

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(LOCAL)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(LOCAL)

    @property
    def hours(self) -> Decimal:
        return (Decimal((self.ends_at - self.starts_at).total_seconds()) / Decimal(3600)).quantize(Decimal("0.01"))

    @property
    def is_past(self) -> bool:
        return self.ends_at <= now()


class CarerQolCheckin(Model):
    """One CarerQol-7D + VAS check-in (iMTA). Dimensions: 0 geen, 1 een beetje, 2 veel."""

    __tablename__ = "carerqol_checkins"
    __table_args__ = (Index("ix_carerqol_carer_taken", "carer_id", "taken_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    carer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    filled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    fulfilment: Mapped[int]
    support: Mapped[int]
    relational: Mapped[int]
    mental_health: Mapped[int]
    daily_activities: Mapped[int]
    financial: Mapped[int]
    physical_health: Mapped[int]
    vas: Mapped[int]
    flag_reasons: Mapped[list] = mapped_column(JSON, default=list)

    carer: Mapped[User] = relationship(foreign_keys=[carer_id])
    filled_by: Mapped[User | None] = relationship(foreign_keys=[filled_by_id])


class CalendarFeed(Model):
    """A volunteer's private iCalendar feed. Only a hash of the secret token is stored."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class AllowanceLimits(Model):
    """The Belastingdienst's limits of the tax-free volunteer allowance for one calendar year.

    National figures, not a village's: the migration ships the known years and the admin adds
    each new one. A statement always uses the row of the year its hours fall in.
    """

    __tablename__ = "allowance_limits"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    month_max: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    year_max: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    hourly_max: Mapped[Decimal] = mapped_column(Numeric(5, 2))  # volunteers of 21 and over
    hourly_max_young: Mapped[Decimal] = mapped_column(Numeric(5, 2))  # under 21
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)


class ExpenseSettings(Model):
    """The village's km rate, its hourly allowance and its own maxima of the volunteer allowance
    (coordinator sets them). An own maximum left empty is the legal limit of the year; a village
    may only choose lower ones."""

    __tablename__ = "expense_settings"

    DEFAULTS = {"km_rate": Decimal("0.23"), "own_month_max": None, "own_year_max": None,
                "hourly_rate": Decimal("0"), "hourly_rate_young": Decimal("0")}

    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), primary_key=True)
    km_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=DEFAULTS["km_rate"])
    own_month_max: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    own_year_max: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    # Paid per hour on top of km and costs, within the same maxima; 0 means none.
    hourly_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=DEFAULTS["hourly_rate"],
                                                 server_default="0")
    hourly_rate_young: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=DEFAULTS["hourly_rate_young"],
                                                       server_default="0")
    # The single maxima the release before the yearly limits reads: written with the maxima that
    # hold in the year of saving, so that release keeps working while a deploy rolls; not read here.
    allowance_month_max: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    allowance_year_max: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)


# A finished shift or a completed request counts once per helper, even when two scheduler runs
# or two clicks record it at the same time (the table belongs to people; the rule to respite).
Index("uq_hours_entries_source", HoursEntry.source_type, HoursEntry.source_id, HoursEntry.helper_id, unique=True)
