"""The bell (in-app notifications) and what a coordinator can do with dead follow-ups."""
from __future__ import annotations

from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, ScalarSelect, func, select, update
from sqlalchemy.orm import selectinload

from coop.core import outbox as O
from coop.core.clock import now
from coop.core.models import User
from coop.extensions import db


def _mine(user: User) -> tuple[ColumnElement[bool], ...]:
    return (O.FollowUp.recipient_id == user.id, O.FollowUp.channel == O.INAPP,
            O.FollowUp.status == O.SENT)


def unread_count(user: User) -> int:
    return db.session.scalar(select(func.count(O.FollowUp.id)).where(
        *_mine(user), O.FollowUp.read_at.is_(None))) or 0


def unread_of_user() -> ScalarSelect[int]:
    """unread_count as a subquery correlated to users.id: read with the login (auth.sessions)."""
    return (select(func.count(O.FollowUp.id))
            .where(O.FollowUp.recipient_id == User.id, O.FollowUp.channel == O.INAPP,
                   O.FollowUp.status == O.SENT, O.FollowUp.read_at.is_(None))
            .scalar_subquery())


def notifications(user: User, limit: int = 50) -> list[O.FollowUp]:
    return list(db.session.scalars(select(O.FollowUp).where(*_mine(user))
                                   .order_by(O.FollowUp.sent_at.desc(), O.FollowUp.id.desc()).limit(limit)))


def mark_read(user: User) -> int:
    """Mark every unread notification of `user` as read (they have just been shown)."""
    result = db.session.execute(
        update(O.FollowUp).where(*_mine(user), O.FollowUp.read_at.is_(None))
        .values(read_at=now()).execution_options(synchronize_session=False))
    return cast(CursorResult[Any], result).rowcount  # an UPDATE's result carries the row count


def dead_for_village(village_id: int, limit: int = 20) -> list[O.FollowUp]:
    return list(db.session.scalars(
        select(O.FollowUp).where(O.FollowUp.village_id == village_id, O.FollowUp.status == O.DEAD)
        .order_by(O.FollowUp.id.desc()).limit(limit).options(selectinload(O.FollowUp.recipient))))


def retry_dead(row: O.FollowUp) -> None:
    """Send a dead follow-up again (e.g. after the address was corrected): a fresh set of tries."""
    step = O.OUTBOX.apply(row, "retry")
    row.attempts, row.due_at, row.claimed_until = 0, step.at, None


def dismiss_dead(row: O.FollowUp) -> None:
    """The coordinator handled it another way (phoned): take it off the list."""
    O.OUTBOX.apply(row, "dismiss")
    row.last_error = f"{row.last_error or ''} (afgehandeld door de dorpsondersteuner)".strip()
