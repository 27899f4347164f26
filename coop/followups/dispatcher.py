"""Sends due follow-ups from the outbox. Safe to run in several processes at once.

A round: claim a batch of due rows (status -> sending, claimed_until = now + lease) and
COMMIT the claim; then send each over one reused SMTP connection and mark it sent (or
failed, with a growing delay and jitter before the next try, or dead after the last try).
A process that dies after claiming leaves rows whose claim expires; the next round takes
them again. Delivery is therefore at least once: the outbox id is the mail's Message-ID, so
a repeat is recognisable.
"""
from __future__ import annotations

import random
import smtplib
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update

from coop.core import outbox as O
from coop.core.clock import now
from coop.core.mail import MailConnection, compose
from coop.extensions import db

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 6
BASE_DELAY = timedelta(minutes=2)


def _due_condition(at):
    return or_(
        and_(O.FollowUp.status.in_((O.PENDING, O.FAILED)), O.FollowUp.due_at <= at),
        and_(O.FollowUp.status == O.SENDING, O.FollowUp.claimed_until < at),  # expired claims
    )


def claim(limit: int = 100, lease: timedelta = LEASE) -> list[int]:
    """Claim up to `limit` due rows for this process and commit the claim."""
    at = now()
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        ids = list(session.scalars(
            select(O.FollowUp.id).where(_due_condition(at)).order_by(O.FollowUp.due_at)
            .limit(limit).with_for_update(skip_locked=True)))
        if ids:
            session.execute(update(O.FollowUp).where(O.FollowUp.id.in_(ids))
                            .values(status=O.SENDING, claimed_until=at + lease))
    else:
        # SQLite has one writer at a time: the guarded UPDATE only takes rows still due,
        # so a second dispatcher that got here first leaves nothing to take twice.
        candidates = list(session.scalars(
            select(O.FollowUp.id).where(_due_condition(at)).order_by(O.FollowUp.due_at).limit(limit)))
        ids = []
        if candidates:
            result = session.execute(
                update(O.FollowUp).where(O.FollowUp.id.in_(candidates), _due_condition(at))
                .values(status=O.SENDING, claimed_until=at + lease)
                .returning(O.FollowUp.id))
            ids = [row[0] for row in result]
    session.commit()
    return ids


def _retry_delay(attempts: int) -> timedelta:
    return BASE_DELAY * (2 ** (attempts - 1)) * (1 + random.random() * 0.5)


def _mark_failed(row: O.FollowUp, error: str) -> None:
    row.attempts += 1
    row.last_error = error[:2000]
    row.claimed_until = None
    if row.attempts >= MAX_ATTEMPTS:
        row.status = O.DEAD
    else:
        row.status = O.FAILED
        row.due_at = now() + _retry_delay(row.attempts)


def message_id(row: O.FollowUp) -> str:
    return f"<followup-{row.id}@{current_app.config.get('MAIL_DOMAIN', 'coop.localhost')}>"


def dispatch_due(limit: int = 100) -> int:
    """One round. Returns how many rows were handled (sent, failed or moved in-app)."""
    ids = claim(limit)
    if not ids:
        return 0
    rows = list(db.session.scalars(select(O.FollowUp).where(O.FollowUp.id.in_(ids)).order_by(O.FollowUp.id)))
    base = current_app.config["BASE_URL"]
    try:
        with current_app.test_request_context(base_url=base), MailConnection() as conn:
            for row in rows:
                _send_one(conn, row)
    except (smtplib.SMTPException, OSError) as err:
        # The connection itself failed: every row not yet marked is retried later.
        for row in rows:
            if row.status == O.SENDING:
                _mark_failed(row, f"{type(err).__name__}: {err}")
    db.session.commit()
    return len(rows)


def _send_one(conn: MailConnection, row: O.FollowUp) -> None:
    recipient = row.recipient
    if row.channel == O.INAPP:
        row.status, row.sent_at, row.claimed_until = O.SENT, now(), None
        return
    if recipient is None or not recipient.email:
        _mark_failed(row, "geen e-mailadres")
        row.status = O.DEAD
        return
    try:
        message = O.build_message(row)
        conn.send(compose(to=recipient.email, subject=message.subject, text=message.text,
                          html=message.html, message_id=message_id(row)))
    except smtplib.SMTPRecipientsRefused as err:
        _mark_failed(row, f"geweigerd: {err.recipients}")
        return
    except smtplib.SMTPResponseException as err:
        _mark_failed(row, f"{err.smtp_code} {err.smtp_error!r}")
        if err.smtp_code in (421,):  # server closing: stop this round
            raise
        return
    row.status, row.sent_at, row.claimed_until = O.SENT, now(), None
    row.attempts += 1
