"""Periodic rules: small functions that look at the database and queue what is due.

Each rule is `fn(at) -> int` (how many follow-ups it queued), registered with
`@periodic_rule` in RULES. The scheduler runs them every minute; each runs in its own
transaction and queues at most one row per `dedupe_key`, so running twice (or in two
processes) queues nothing twice, and nothing here depends on memory between runs.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, time, timedelta
from types import SimpleNamespace

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from coop.core import outbox as O
from coop.core import roles as R
from coop.core.clock import LOCAL, now
from coop.core.models import User, UserRole, Village
from coop.core.transaction import unit_of_work
from coop.extensions import db
from coop.followups.models import DEFAULTS, durations_for
from coop.requests.models import INTAKE, MATCHED, NEW, NO_RUSH, SEARCHING, THIS_WEEK, TODAY, HelpRequest

log = logging.getLogger(__name__)
Rule = Callable[[datetime], int]
RULES: list[Rule] = []

ASK_HELPED, ESCALATION, NOT_HELPED = "request.ask_helped", "request.escalation", "request.not_helped"
CARER_CHECKIN, DIGEST, DEAD_ALERT = "carer.checkin", "digest.weekly", "followups.dead"
AGREEMENT_REVIEW = "agreement.review"
DEFAULT_REVIEW_DAYS = DEFAULTS.agreement_review_days_ahead


def periodic_rule(fn: Rule) -> Rule:
    if fn not in RULES:
        RULES.append(fn)
    return fn


def run_rules(at: datetime | None = None, rules: Iterable[Rule] | None = None) -> dict[str, int]:
    """Run every rule once, each in its own transaction. A failing rule does not stop the rest."""
    at = at or now()
    results = {}
    for rule in list(rules or RULES):
        try:
            with unit_of_work():
                results[rule.__name__] = rule(at)
        except IntegrityError:
            # Another scheduler queued the same dedupe_key first: nothing is lost, it is there.
            results[rule.__name__] = 0
        except Exception:
            log.exception("periodic rule %s failed", rule.__name__)
            results[rule.__name__] = -1
    return results


def villages() -> list[Village]:
    return list(db.session.scalars(select(Village).order_by(Village.id)))


def alert_coordinators(kind: str, village_id: int | None, *, payload: dict, subject: O.Subject | None = None,
                       dedupe_key: str, channels=(O.MAIL, O.INAPP)) -> int:
    """Queue `kind` to every coordinator of the village, by mail and in the bell."""
    queued = 0
    for coordinator in O.coordinators(village_id):
        for channel in channels:
            row = O.queue(kind, coordinator, payload=payload, channel=channel, subject=subject,
                          village_id=village_id, dedupe_key=f"{dedupe_key}:{coordinator.id}:{channel}")
            queued += row is not None
    return queued


def _stamp(moment: datetime) -> int:
    return int(moment.timestamp())


# --- "Bent u geholpen?" ------------------------------------------------------------------

def ask_helped_at(req: HelpRequest) -> datetime | None:
    """When to ask: a day after the agreed date (10:00 that day), after the window's end, or
    for a flexible request a number of days after it was matched."""
    d = durations_for(req.village_id)
    after = timedelta(hours=d.ask_helped_after_hours)
    if req.window_end is not None:
        return req.window_end + after
    if req.on_date is not None:
        return datetime.combine(req.on_date, time(10, 0), LOCAL) + after
    if req.matched_at is not None:
        return req.matched_at + timedelta(days=d.ask_helped_flexible_days)
    return None


@periodic_rule
def ask_if_helped(at: datetime) -> int:
    from coop.followups.answers import new_token
    queued = 0
    for req in db.session.scalars(select(HelpRequest).where(HelpRequest.status == MATCHED,
                                                             HelpRequest.anonymised_at.is_(None))):
        due = ask_helped_at(req)
        if due is None or due > at:
            continue
        key = f"ask:{req.id}:{_stamp(req.matched_at or req.status_changed_at)}"
        if db.session.scalar(select(O.FollowUp.id).where(O.FollowUp.dedupe_key == key)):
            continue
        token = new_token("helped", req)
        queued += O.queue(ASK_HELPED, req.resident, payload={"request_id": req.id, "token_id": token.id},
                          subject=req, dedupe_key=key) is not None
    return queued


# --- escalation: no helper found in time -----------------------------------------------

def escalation_limit(req: HelpRequest) -> timedelta:
    d = durations_for(req.village_id)
    hours = {TODAY: d.escalate_today_hours, THIS_WEEK: d.escalate_week_hours,
             NO_RUSH: d.escalate_no_rush_hours}[req.urgency]
    return timedelta(hours=hours)


def waiting_since(req: HelpRequest) -> datetime:
    """A request that went back to searching (helper withdrew, "nee") waits from then on."""
    if req.status == SEARCHING and req.matched_at is not None:
        return req.status_changed_at
    return req.created_at


@periodic_rule
def escalate_unmatched(at: datetime) -> int:
    queued = 0
    for req in db.session.scalars(select(HelpRequest).where(
            HelpRequest.status.in_((NEW, INTAKE, SEARCHING)), HelpRequest.anonymised_at.is_(None))):
        since = waiting_since(req)
        if since + escalation_limit(req) > at:
            continue
        queued += alert_coordinators(ESCALATION, req.village_id, subject=req,
                                     payload={"request_id": req.id, "since": since.isoformat()},
                                     dedupe_key=f"escalate:{req.id}:{_stamp(since)}")
    return queued


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
    from coop.respite.models import CarerQolCheckin
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
                                  subject=carer, dedupe_key=f"carerqol:{carer.id}:{_stamp(since)}:{n}") is not None
    return queued


# --- agreement review dates (the agreements feature supplies the rows) ----------------------

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
    """The agreements feature knows which agreements come up for review; this queues the
    reminders (once per agreement and review date)."""
    from coop.agreements.service import agreements_due_for_review
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


# --- hours of finished respite shifts -------------------------------------------------------

@periodic_rule
def respite_shift_hours(at: datetime) -> int:
    """Finished respite shifts become draft hours, so they count for matching's load rule
    without anyone opening a page. Idempotent; queues no follow-up (returns hours recorded)."""
    from coop.respite.hours import record_shift_hours
    return sum(record_shift_hours(village.id) for village in villages())


# --- weekly digest and dead mail ----------------------------------------------------------

@periodic_rule
def weekly_digest(at: datetime) -> int:
    """One digest per coordinator per ISO week, from Monday 08:00 (local) on."""
    local = at.astimezone(LOCAL)
    if local.isoweekday() == 1 and local.hour < 8:
        return 0
    year, week, _ = local.isocalendar()
    queued = 0
    for village in villages():
        for coordinator in O.coordinators(village.id):
            queued += O.queue(DIGEST, coordinator, payload={"week": f"{year}-W{week:02d}"},
                              dedupe_key=f"digest:{coordinator.id}:{year}-W{week:02d}") is not None
    return queued


@periodic_rule
def dead_mail_alert(at: datetime) -> int:
    """A new dead follow-up in a village gives its coordinators one in-app note."""
    queued = 0
    rows = db.session.execute(
        select(O.FollowUp.village_id, func.max(O.FollowUp.id), func.count(O.FollowUp.id))
        .where(O.FollowUp.status == O.DEAD, O.FollowUp.village_id.is_not(None))
        .group_by(O.FollowUp.village_id))
    for village_id, newest, count in rows:
        queued += alert_coordinators(DEAD_ALERT, village_id, payload={"count": count},
                                     dedupe_key=f"dead:{village_id}:{newest}", channels=(O.INAPP,))
    return queued


@periodic_rule
def forget_form_tokens(at: datetime) -> int:
    """Housekeeping: the one-time tokens of create forms are kept a month (core/once.py).
    Counts the rows removed; it queues nothing."""
    from coop.core.once import forget_old_tokens
    return forget_old_tokens(at)
