"""Helper profiles: what a volunteer offers and may do, what a professional does."""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import Column, Date, ForeignKey, Index, Numeric, String, Table, Text, Time, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.core.clock import now
from coop.core.models import TaskCategory, User
from coop.core.types import UTCDateTime
from coop.extensions import Model, db

# The task categories a helper (volunteer or professional) offers.
helper_categories = Table(
    "helper_categories", db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("task_categories.id", ondelete="CASCADE"), primary_key=True),
)


class VolunteerProfile(Model):
    __tablename__ = "volunteer_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    radius_km: Mapped[float] = mapped_column(default=3.0)
    max_hours_month: Mapped[int] = mapped_column(default=12)
    vog_date: Mapped[date | None] = mapped_column(Date)
    # The column keeps its earlier name (docs/migrations.md: renamed in the code only).
    volunteer_contract_signed_on: Mapped[date | None] = mapped_column("volunteer_agreement_signed_on", Date)
    paused: Mapped[bool] = mapped_column(default=False)
    # Age band for an hourly volunteer allowance: the lower under-21 maximum applies when set.
    under_21: Mapped[bool] = mapped_column(default=False, server_default=false())
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    motivation: Mapped[str] = mapped_column(Text, default="")
    preferences: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User] = relationship(foreign_keys=[user_id], backref=db.backref(
        "volunteer_profile", uselist=False, cascade="all, delete-orphan"))
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    categories: Mapped[list[TaskCategory]] = relationship(
        secondary=helper_categories,
        primaryjoin=lambda: VolunteerProfile.user_id == helper_categories.c.user_id,
        secondaryjoin=lambda: TaskCategory.id == helper_categories.c.category_id,
        order_by=TaskCategory.sort_order)
    competences: Mapped[list[Competence]] = relationship(
        back_populates="volunteer", cascade="all, delete-orphan",
        primaryjoin=lambda: VolunteerProfile.user_id == Competence.volunteer_id,
        foreign_keys=lambda: [Competence.volunteer_id])

    @property
    def approved(self) -> bool:
        return self.approved_at is not None


class Competence(Model):
    """A volunteer's recorded competence for a `trained` category, with its backstop."""

    __tablename__ = "competences"
    __table_args__ = (UniqueConstraint("volunteer_id", "category_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteer_profiles.user_id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(ForeignKey("task_categories.id"))
    recorded_on: Mapped[date] = mapped_column(Date)
    # The professional who is the backstop (professionele achterwacht) for this task.
    backstop_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    volunteer: Mapped[VolunteerProfile] = relationship(back_populates="competences")
    category: Mapped[TaskCategory] = relationship()
    backstop: Mapped[User | None] = relationship()


class ProfessionalProfile(Model):
    __tablename__ = "professional_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    organisation: Mapped[str] = mapped_column(String(120))
    discipline: Mapped[str] = mapped_column(String(120))
    radius_km: Mapped[float] = mapped_column(default=10.0)

    user: Mapped[User] = relationship(backref=db.backref(
        "professional_profile", uselist=False, cascade="all, delete-orphan"))
    categories: Mapped[list[TaskCategory]] = relationship(
        secondary=helper_categories,
        primaryjoin=lambda: ProfessionalProfile.user_id == helper_categories.c.user_id,
        secondaryjoin=lambda: TaskCategory.id == helper_categories.c.category_id,
        order_by=TaskCategory.sort_order, viewonly=True)


class WeeklySlot(Model):
    """When a helper is usually available: a weekday and a local from–to time."""

    __tablename__ = "weekly_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int]  # 0 = Monday … 6 = Sunday
    start: Mapped[time] = mapped_column(Time)
    end: Mapped[time] = mapped_column(Time)

    user: Mapped[User] = relationship(backref=db.backref(
        "weekly_slots", cascade="all, delete-orphan", order_by="(WeeklySlot.weekday, WeeklySlot.start)"))


class Absence(Model):
    """A helper away (holiday, illness): from and until dates, both included."""

    __tablename__ = "absences"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship(backref=db.backref(
        "absences", cascade="all, delete-orphan", order_by="Absence.starts_on"))


class HoursEntry(Model):
    """Hours a helper gave in a month, with kilometres and costs (WIFA: keep them, thank them).

    Written when a shift or a matched request is done; the volunteer confirms or corrects,
    the coordinator approves. Matching's load rule adds up the month's entries.
    """

    __tablename__ = "hours_entries"
    __table_args__ = (Index("ix_hours_entries_helper_day", "helper_id", "worked_on"),)

    DRAFT, CONFIRMED, APPROVED, REJECTED = "draft", "confirmed", "approved", "rejected"

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    helper_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    worked_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    km: Mapped[Decimal] = mapped_column(Numeric(7, 1), default=Decimal("0"))
    costs: Mapped[Decimal] = mapped_column(Numeric(8, 2), default=Decimal("0"))
    description: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(10), default=DRAFT)
    # What the hours were for: "request", "shift" or "manual", with that thing's id.
    source_type: Mapped[str] = mapped_column(String(10), default="manual")
    source_id: Mapped[int | None]
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    helper: Mapped[User] = relationship(foreign_keys=[helper_id])
