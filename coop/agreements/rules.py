"""The periodic rule of agreements: a reminder before an agreed version's review date.

Registered when create_app imports this module (coop.core.registry).
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import select

from coop.agreements.service import agreements_due_for_review
from coop.core import outbox as O
from coop.core import roles as R
from coop.core.clock import LOCAL
from coop.core.models import User, UserRole
from coop.core.registry import periodic_rule
from coop.extensions import db
from coop.followups.models import DEFAULTS, durations_for
from coop.followups.rules import alert_coordinators, villages

AGREEMENT_REVIEW = "agreement.review"
DEFAULT_REVIEW_DAYS = DEFAULTS.agreement_review_days_ahead


def queue_agreement_reviews(at: datetime, agreements: Iterable) -> int:
    """For each agreement with a review date within the village's horizon, tell the
    coordinators and the gemeente users once. `agreements`: objects with id, village_id,
    title and review_on (a date)."""
    queued = 0
    today = at.astimezone(LOCAL).date()
    for agreement in agreements:
        ahead = durations_for(agreement.village_id).agreement_review_days_ahead
        if agreement.review_on is None or not today <= agreement.review_on <= today + timedelta(days=ahead):
            continue
        payload = {"agreement_id": agreement.id, "title": agreement.title,
                   "review_on": agreement.review_on.isoformat()}
        key = f"review:{agreement.id}:{agreement.review_on.isoformat()}"
        queued += alert_coordinators(AGREEMENT_REVIEW, agreement.village_id, payload=payload, dedupe_key=key)
        for user in _municipality_users(agreement.village_id):
            queued += O.queue(AGREEMENT_REVIEW, user, payload=payload, village_id=agreement.village_id,
                              dedupe_key=f"{key}:{user.id}:mail") is not None
    return queued


@periodic_rule
def agreement_reviews(at: datetime) -> int:
    """The reminders for the agreements that come up for review (once per agreement and
    review date)."""
    ahead = max((durations_for(v.id).agreement_review_days_ahead for v in villages()),
                default=DEFAULT_REVIEW_DAYS)
    due = []
    for agreement in agreements_due_for_review(at.astimezone(LOCAL).date(), days_ahead=ahead):
        version = agreement.in_force
        if version is not None and version.review_on is not None:
            due.append(SimpleNamespace(id=agreement.id, village_id=agreement.village_id,
                                       title=agreement.title, review_on=version.review_on))
    return queue_agreement_reviews(at, due)


def _municipality_users(village_id: int) -> list[User]:
    return list(db.session.scalars(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(User.village_id == village_id, User.active.is_(True), UserRole.role == R.MUNICIPALITY)))
