"""An activity (ontmoeting), its sign-ups with the waiting list, and the volunteers who help at it."""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Numeric, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.core.clock import LOCAL, now
from coop.core.models import User
from coop.core.types import UTCDateTime
from coop.extensions import Model

COFFEE, MEAL, EXERCISE, OUTING = "coffee", "meal", "exercise", "outing"
KINDS = {COFFEE: "Koffieochtend", MEAL: "Samen eten", EXERCISE: "Bewegen", OUTING: "Uitje"}

PLANNED, CANCELLED = "planned", "cancelled"
STATUS_LABELS = {PLANNED: "gaat door", CANCELLED: "gaat niet door"}

SIGNED_UP, WAITING, WITHDRAWN = "signed_up", "waiting", "withdrawn"
SIGNUP_LABELS = {SIGNED_UP: "aangemeld", WAITING: "op de wachtlijst", WITHDRAWN: "afgemeld"}
ACTIVE = (SIGNED_UP, WAITING)


class Activity(Model):
    """One activity on one day; times are local wall-clock times (Europe/Amsterdam)."""

    __tablename__ = "activities"
    __table_args__ = (Index("ix_activities_village_date", "village_id", "on_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"))
    kind: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(120))
    on_date: Mapped[date] = mapped_column(Date)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    # Where: a name people know ("Dorpshuis De Kapel") and its address, pinned when a geocoder knows it.
    venue: Mapped[str] = mapped_column(String(120))
    street: Mapped[str] = mapped_column(String(120), default="")
    house_number: Mapped[str] = mapped_column(String(12), default="")
    postcode: Mapped[str | None] = mapped_column(String(7))
    place: Mapped[str] = mapped_column(String(80), default="")
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    capacity: Mapped[int]
    cost: Mapped[Decimal] = mapped_column(Numeric(7, 2), default=Decimal("0"))  # 0: free
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default=PLANNED)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)

    signups: Mapped[list[Signup]] = relationship(back_populates="activity", order_by="[Signup.queued_at, Signup.id]")
    helpers: Mapped[list[ActivityHelper]] = relationship(back_populates="activity", cascade="all, delete-orphan",
                                                         order_by="ActivityHelper.volunteer_id")

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.on_date, self.start_time, tzinfo=LOCAL)

    @property
    def ends_at(self) -> datetime:
        return datetime.combine(self.on_date, self.end_time, tzinfo=LOCAL)

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def is_cancelled(self) -> bool:
        return self.status == CANCELLED

    @property
    def has_started(self) -> bool:
        return self.starts_at <= now()

    @property
    def address_line(self) -> str:
        street = " ".join(p for p in (self.street, self.house_number) if p)
        return ", ".join(p for p in (self.venue, street, self.place) if p)

    @property
    def signed_up(self) -> list[Signup]:
        return [s for s in self.signups if s.status == SIGNED_UP]

    @property
    def waiting(self) -> list[Signup]:
        return [s for s in self.signups if s.status == WAITING]

    @property
    def places_left(self) -> int:
        return max(0, self.capacity - len(self.signed_up))


class Signup(Model):
    """A person's aanmelding: a place, or a place on the waiting list (first come, first served),
    with a lift asked for as a linked hulpvraag, and afterwards whether they came."""

    __tablename__ = "activity_signups"
    __table_args__ = (UniqueConstraint("activity_id", "person_id"),
                      Index("ix_activity_signups_person", "person_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(12))
    # The waiting list's order: when the person (last) signed up.
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    moved_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    wants_lift: Mapped[bool] = mapped_column(default=False)
    lift_request_id: Mapped[int | None] = mapped_column(ForeignKey("help_requests.id", ondelete="SET NULL"))
    dietary_note: Mapped[str] = mapped_column(String(200), default="")
    attended: Mapped[bool | None]  # None: not recorded (yet)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    activity: Mapped[Activity] = relationship(back_populates="signups")
    person: Mapped[User] = relationship(foreign_keys=[person_id])
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])

    @property
    def status_label(self) -> str:
        return SIGNUP_LABELS[self.status]

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE


class ActivityHelper(Model):
    """A volunteer the coordinator asked to help at an activity (it shows in their calendar feed)."""

    __tablename__ = "activity_helpers"

    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    activity: Mapped[Activity] = relationship(back_populates="helpers")
    volunteer: Mapped[User] = relationship()
