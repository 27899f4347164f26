"""The outbox: every follow-up (mail or in-app message) is first a row here.

Rows are written in the same transaction as the change that causes them, so a change that
is rolled back sends nothing, and a crash after commit loses nothing. The dispatcher in
coop/followups sends them. Features register how each kind of message is written
(`message_builder`), so this module imports no feature.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, cast

from sqlalchemy import JSON, CursorResult, ForeignKey, Index, String, Text, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.core import calls
from coop.core import roles as R
from coop.core.clock import now
from coop.core.models import User, UserRole
from coop.core.states import Lifecycle, Step
from coop.core.types import UTCDateTime
from coop.extensions import Model, db

MAIL, INAPP = "mail", "inapp"

PENDING, SENDING, SENT, FAILED, DEAD, CANCELLED = (
    "pending", "sending", "sent", "failed", "dead", "cancelled")
STATUS_LABELS = {PENDING: "wacht", SENDING: "wordt verstuurd", SENT: "verstuurd",
                 FAILED: "mislukt, volgt opnieuw", DEAD: "niet bezorgd", CANCELLED: "vervallen"}
NOT_DEAD = "Dit bericht staat niet (meer) bij de niet bezorgde berichten."

# The life of a row. The dispatcher claims and marks rows in bulk with guarded UPDATEs (that
# must stay one statement each); it takes the states for them from this table. Single rows
# (a coordinator's retry) go through OUTBOX.apply.
OUTBOX: Lifecycle[FollowUp] = Lifecycle("bericht", {
    "claim": Step({PENDING, FAILED}, SENDING, "opgepakt om te versturen"),
    "reclaim": Step({SENDING}, SENDING, "opnieuw opgepakt: de vorige claim is verlopen"),
    "deliver": Step({SENDING}, SENT, "verstuurd"),
    "fail": Step({SENDING}, FAILED, "mislukt; wordt later opnieuw geprobeerd"),
    "give_up": Step({SENDING}, DEAD, "niet bezorgd na de laatste poging"),
    "obsolete": Step({SENDING}, CANCELLED, "vervallen: de reden is er niet meer"),
    "hand_back": Step({SENDING}, PENDING, "teruggegeven voor de volgende ronde"),
    "cancel": Step({PENDING, FAILED}, CANCELLED, "ingetrokken"),
    "retry": Step({DEAD}, PENDING, "opnieuw versturen", refusal=NOT_DEAD),
    "dismiss": Step({DEAD}, CANCELLED, "afgehandeld door de dorpsondersteuner", refusal=NOT_DEAD),
}, labels=STATUS_LABELS)


class FollowUp(Model):
    __tablename__ = "follow_ups"
    __table_args__ = (
        Index("ix_follow_ups_due", "status", "due_at"),
        Index("ix_follow_ups_subject", "subject_type", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id"), index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10), default=MAIL)
    kind: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(12), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Who holds the claim: a dispatcher marks only rows it still holds, so a slow process
    # whose lease ran out cannot overwrite what the process that took the row over did.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    # What was delivered: the subject always, the text for in-app messages (the bell shows it).
    title: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # in-app messages
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    # What the follow-up is about, so that undoing that thing can cancel it.
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[int | None]
    # Periodic rules queue at most one row per key (e.g. "escalate:request:12").
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)

    recipient: Mapped[User | None] = relationship()


class Subject(Protocol):
    """What a follow-up can be about: any stored row (its class name and id are kept)."""

    @property
    def id(self) -> int: ...


def queue(kind: str, recipient: User | None, *, payload: dict | None = None,
          due_at: datetime | None = None, channel: str = MAIL, subject: Subject | None = None,
          village_id: int | None = None, dedupe_key: str | None = None) -> FollowUp | None:
    """Add a follow-up to the current transaction. Returns None when dedupe_key exists.

    A mail to someone without an e-mail address becomes an in-app message, a call on the
    village's bellijst (coop/core/calls.py) and an in-app note to the coordinators saying whom
    to phone: nothing is dropped.
    """
    if dedupe_key is not None and db.session.scalar(
            select(FollowUp.id).where(FollowUp.dedupe_key == dedupe_key)) is not None:
        return None
    if village_id is None and recipient is not None:
        village_id = recipient.village_id
    no_address = channel == MAIL and recipient is not None and not recipient.email
    if no_address:
        assert recipient is not None
        channel = INAPP
        for coordinator in coordinators(village_id):
            db.session.add(FollowUp(
                kind=PHONE_NEEDED, recipient=coordinator, channel=INAPP, village_id=village_id,
                due_at=due_at or now(), payload={"person_id": recipient.id, "about": kind},
                subject_type=type(subject).__name__ if subject is not None else None,
                subject_id=subject.id if subject is not None else None))
    row = FollowUp(
        kind=kind, recipient=recipient, payload=payload or {}, due_at=due_at or now(), status=PENDING,
        channel=channel, dedupe_key=dedupe_key, village_id=village_id,
        subject_type=type(subject).__name__ if subject is not None else None,
        subject_id=subject.id if subject is not None else None,
    )
    db.session.add(row)
    if no_address and recipient is not None:
        calls.add_call(recipient, kind, followup=row, village_id=village_id)
    return row


PHONE_NEEDED = "contact.phone_needed"


def coordinators(village_id: int | None) -> list[User]:
    """The active coordinators of a village: who alerts and escalations go to."""
    if village_id is None:
        return []
    return list(db.session.scalars(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(User.village_id == village_id, User.active.is_(True), UserRole.role == R.COORDINATOR)
        .order_by(User.id)))


def cancel_for(subject: Subject, kinds: tuple[str, ...] | None = None) -> int:
    """Cancel the pending follow-ups queued about `subject` (e.g. a cancelled shift)."""
    db.session.flush()
    stmt = (update(FollowUp)
            .where(FollowUp.subject_type == type(subject).__name__,
                   FollowUp.subject_id == subject.id,
                   FollowUp.status.in_(OUTBOX.sources("cancel")))
            .values(status=OUTBOX.target("cancel")))
    if kinds:
        stmt = stmt.where(FollowUp.kind.in_(kinds))
    # An UPDATE gives a CursorResult (with rowcount); Session.execute is typed for any statement.
    result = cast(CursorResult[Any], db.session.execute(stmt.execution_options(synchronize_session=False)))
    return result.rowcount


class Obsolete(Exception):
    """Raised by a message builder when the follow-up no longer applies (e.g. the request was
    closed before "Bent u geholpen?" went out): the row is cancelled, not sent or retried."""


@dataclass
class Message:
    subject: str
    text: str
    html: str | None = None
    # Another address than the recipient's own: a notice that the e-mail address changed
    # goes to the old one.
    to: str | None = None


Builder = Callable[[FollowUp], Message]
_builders: dict[str, Builder] = {}
_about: dict[str, str] = {}


def message_builder(kind: str, *, about: str | None = None) -> Callable[[Builder], Builder]:
    """Register how a kind of follow-up is written (subject, text, html). `about` says in a
    few Dutch words what it is about ("de respijtdienst van morgen"), for the coordinator who
    phones someone without an e-mail address instead."""
    def register(fn: Builder) -> Builder:
        _builders[kind] = fn
        if about is not None:
            _about[kind] = about
        return fn
    return register


def recipient_of(row: FollowUp) -> User:
    """The person a personal message is written for; Obsolete when there is none (any more)."""
    if row.recipient is None:
        raise Obsolete("de ontvanger bestaat niet meer")
    return row.recipient
def about(kind: str | None) -> str | None:
    return _about.get(kind) if kind is not None else None


def build_message(row: FollowUp) -> Message:
    try:
        builder = _builders[row.kind]
    except KeyError:
        raise LookupError(f"no message builder for follow-up kind {row.kind!r}") from None
    return builder(row)
