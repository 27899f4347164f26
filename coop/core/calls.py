"""The bellijst (call list): a message for someone without an e-mail address is a call to make.

Written beside the outbox row in the same transaction (outbox.queue does it), so nobody is left
out because they have no e-mail; the coordinator works the list on /bellijst and records what
came of each call. Kept low in core, like the outbox, so that any feature's message lands here.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.core.clock import local_now, now
from coop.core.models import User
from coop.core.states import Lifecycle, Step, Transition
from coop.core.types import UTCDateTime
from coop.extensions import Model, db

OPEN, CALLED, TAKEN_OVER, CANCELLED = "open", "called", "taken_over", "cancelled"
STATUS_LABELS = {OPEN: "te bellen", CALLED: "gebeld", TAKEN_OVER: "overgenomen", CANCELLED: "vervallen"}
ALREADY_HANDLED = "Deze oproep is al afgehandeld."


class CallTask(Model):
    __tablename__ = "call_tasks"
    __table_args__ = (Index("ix_call_tasks_open", "village_id", "status", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(60))  # the kind of message to pass on
    followup_id: Mapped[int | None] = mapped_column(ForeignKey("follow_ups.id"))
    status: Mapped[str] = mapped_column(String(12), default=OPEN, server_default=OPEN)
    due_on: Mapped[date] = mapped_column(default=lambda: local_now().date())
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    outcome_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    taken_over_by: Mapped[str | None] = mapped_column(String(120))
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    person: Mapped[User] = relationship(foreign_keys=[person_id])
    handled_by: Mapped[User | None] = relationship(foreign_keys=[handled_by_id])
    followup = relationship("FollowUp")


def add_call(person: User, kind: str, *, followup: object | None = None,
             village_id: int | None = None) -> CallTask:
    """A call to make to `person` about a message of `kind` (the outbox row holds its text)."""
    task = CallTask(village_id=village_id or person.village_id, person=person, kind=kind, followup=followup,
                    status=OPEN)
    db.session.add(task)
    return task


def _record(step: Transition[CallTask]) -> None:
    """Who called and when, and what they noted; every outcome counts as an attempt."""
    task = step.subject
    task.attempts += 1
    task.handled_by_id = step.by.id if step.by is not None else None
    task.handled_at = step.at
    task.outcome_note = step.note


# The outcomes of a call, as steps: "niet bereikt" keeps it open (for tomorrow).
CALLS: Lifecycle[CallTask] = Lifecycle("oproep", {
    CALLED: Step({OPEN}, CALLED, "gebeld en doorgegeven"),
    "not_reached": Step({OPEN}, OPEN, "niet bereikt: morgen opnieuw"),
    TAKEN_OVER: Step({OPEN}, TAKEN_OVER, "overgenomen door iemand anders"),
}, labels=STATUS_LABELS, refusal=ALREADY_HANDLED, record=_record)
