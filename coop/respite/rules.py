"""The periodic rules of respite, and its hooks on the lifecycle of a hulpvraag.

- `carerqol_checkins`: ask each carer "Hoe gaat het met u?" every few months.
- `respite_shift_hours`: finished shifts become draft hours without anyone opening a page.
- A completed help request becomes its helper's draft hours; "nee, niet geholpen" takes an
  unconfirmed draft back (coop/respite/hours.py).

Registered when create_app imports this module (coop.core.registry, requests.after_transition).
"""
from __future__ import annotations

from datetime import datetime

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select

from coop.core import outbox as O
from coop.core import roles as R
from coop.core.clock import LOCAL
from coop.core.models import User, UserRole
from coop.core.registry import periodic_rule
from coop.extensions import db
from coop.followups.models import durations_for
from coop.followups.rules import stamp, villages
from coop.requests import service as requests
from coop.respite import hours
from coop.respite.models import CarerQolCheckin

CARER_CHECKIN = "carer.checkin"


# --- CarerQol check-in every few months ---------------------------------------------------

def checkin_round(since: datetime, at: datetime, every_months: int) -> int:
    """How many full check-in periods have passed since `since` (0: none due yet), counted
    on the local calendar (15 January + 3 months = 15 April)."""
    delta = relativedelta(at.astimezone(LOCAL), since.astimezone(LOCAL))
    return (delta.years * 12 + delta.months) // every_months


@periodic_rule
def carerqol_checkins(at: datetime) -> int:
    """Ask each carer `carerqol_every_months` after their last check-in, or after they joined
    when they have none; ask again each further period without an answer. A new check-in
    starts the count again."""
    last = (select(CarerQolCheckin.carer_id, func.max(CarerQolCheckin.taken_at).label("taken_at"))
            .group_by(CarerQolCheckin.carer_id).subquery())
    queued = 0
    for village in villages():
        every = durations_for(village.id).carerqol_every_months
        carers = db.session.execute(
            select(User, last.c.taken_at).join(UserRole, UserRole.user_id == User.id)
            .outerjoin(last, last.c.carer_id == User.id)
            .where(User.village_id == village.id, User.active.is_(True), UserRole.role == R.CARER))
        for carer, taken_at in carers:
            since = taken_at or carer.created_at
            n = checkin_round(since, at, every)
            if n >= 1:
                queued += O.queue(CARER_CHECKIN, carer, payload={"since": since.isoformat(), "round": n},
                                  subject=carer, dedupe_key=f"carerqol:{carer.id}:{stamp(since)}:{n}") is not None
    return queued


# --- hours of finished respite shifts -------------------------------------------------------

@periodic_rule
def respite_shift_hours(at: datetime) -> int:
    """Finished respite shifts become draft hours, so they count for matching's load rule
    without anyone opening a page. Idempotent; queues no follow-up (returns hours recorded)."""
    return sum(hours.record_shift_hours(village.id) for village in villages())


# --- hours of help requests -----------------------------------------------------------------

requests.after_transition("complete")(hours.hours_for_completed_request)
requests.after_transition("reopen")(hours.drop_draft_request_hours)
