"""Phone circles: the circle, its members in their order with each one's key holder, their
absences, each morning's round and the calls nobody answered."""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Date, ForeignKey, Index, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.core.clock import now
from coop.core.models import User
from coop.core.types import UTCDateTime
from coop.extensions import Model


class PhoneCircle(Model):
    """A circle ("Austerlitz Belt"): its members phone each other from `start_time`; the round
    must be confirmed complete by `confirm_by` (local wall-clock times)."""

    __tablename__ = "phone_circles"
    __table_args__ = (UniqueConstraint("village_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    start_time: Mapped[time] = mapped_column(Time)
    confirm_by: Mapped[time] = mapped_column(Time)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    members: Mapped[list[CircleMember]] = relationship(
        back_populates="circle", order_by="CircleMember.position", cascade="all, delete-orphan")


class CircleMember(Model):
    """One resident in a circle, at `position` (1 phones 2, …, the last phones the first), and
    the contact person who has a key to their home."""

    __tablename__ = "circle_members"
    __table_args__ = (UniqueConstraint("circle_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("phone_circles.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    position: Mapped[int]
    key_holder_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    key_holder_relation: Mapped[str] = mapped_column(String(60), default="")  # "dochter", "buurman"
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    circle: Mapped[PhoneCircle] = relationship(back_populates="members")
    person: Mapped[User] = relationship(foreign_keys=[person_id])
    key_holder: Mapped[User | None] = relationship(foreign_keys=[key_holder_id])
    absences: Mapped[list[CircleAbsence]] = relationship(
        back_populates="member", order_by="CircleAbsence.starts_on", cascade="all, delete-orphan")

    def absent_on(self, day: date) -> bool:
        return any(a.starts_on <= day <= a.ends_on for a in self.absences)


class CircleAbsence(Model):
    """A member away (holiday, hospital) from `starts_on` to `ends_on`, both days included:
    the circle skips them then."""

    __tablename__ = "circle_absences"

    REASONS = {"holiday": "vakantie", "hospital": "ziekenhuis", "family": "logeert bij familie", "other": "anders"}

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("circle_members.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(20))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    member: Mapped[CircleMember] = relationship(back_populates="absences")

    @property
    def reason_label(self) -> str:
        return self.REASONS.get(self.reason, self.reason)


class CircleRound(Model):
    """One morning's round of a circle: made by the first missed call, the confirmation, or the
    alert that the round was not confirmed in time (one row per circle and day)."""

    __tablename__ = "circle_rounds"
    __table_args__ = (UniqueConstraint("circle_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("phone_circles.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The member who said it was complete, when the coordinator typed it in for them.
    confirmed_for_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    late_alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    circle: Mapped[PhoneCircle] = relationship()
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])
    missed: Mapped[list[MissedCall]] = relationship(back_populates="round", order_by="MissedCall.reported_at",
                                                    cascade="all, delete-orphan")


class MissedCall(Model):
    """"Ik kreeg geen gehoor bij …": reported by the caller in the app or by the coordinator for
    them; the key holder and the coordinator were alerted when it was written."""

    __tablename__ = "circle_missed_calls"
    __table_args__ = (UniqueConstraint("round_id", "member_id"),
                      Index("ix_circle_missed_calls_open", "village_id", "handled_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"))
    round_id: Mapped[int] = mapped_column(ForeignKey("circle_rounds.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("circle_members.id", ondelete="CASCADE"), index=True)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    caller_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # who phoned, when not the reporter
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handled_note: Mapped[str] = mapped_column(Text, default="")

    round: Mapped[CircleRound] = relationship(back_populates="missed")
    member: Mapped[CircleMember] = relationship()
    reported_by: Mapped[User | None] = relationship(foreign_keys=[reported_by_id])
    caller: Mapped[User | None] = relationship(foreign_keys=[caller_id])
