"""The periodic rule of lending aids: a reminder a few days before a loan's due date, and one
when it is overdue, to the resident (a call on the bellijst when they have no e-mail address,
outbox.queue does that). Each reminder goes once per due date: the dedupe key holds the
loan and the date, so an extension gets reminders of its own and a second run queues nothing.

Registered when create_app imports this module (coop.core.registry).
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coop.aids.models import LENT, AidLoan
from coop.aids.service import DUE_SOON, OVERDUE
from coop.core import outbox as O
from coop.core.clock import LOCAL
from coop.core.registry import periodic_rule
from coop.extensions import db

DAYS_BEFORE = 3
# Reminders go out in the morning, not at the minute past midnight a date changes.
MORNING = time(9, 0)


@periodic_rule
def aid_loan_reminders(at: datetime) -> int:
    local = at.astimezone(LOCAL)
    today = local.date()
    due_at = max(at, datetime.combine(today, MORNING, tzinfo=LOCAL))
    loans = db.session.scalars(
        select(AidLoan).where(AidLoan.status == LENT, AidLoan.due_on <= today + timedelta(days=DAYS_BEFORE))
        .options(joinedload(AidLoan.resident), joinedload(AidLoan.item)).order_by(AidLoan.id))
    queued = 0
    for loan in loans:
        kind = OVERDUE if loan.due_on < today else DUE_SOON
        row = O.queue(kind, loan.resident, payload={"loan_id": loan.id, "due_on": loan.due_on.isoformat()},
                      due_at=due_at, subject=loan, village_id=loan.village_id,
                      dedupe_key=f"{kind}:{loan.id}:{loan.due_on.isoformat()}")
        queued += row is not None
    return queued
