"""The follow-up rules of a hulpvraag: when to ask "Bent u geholpen?", when to tell the
coordinators that no helper was found in time, what the resident's one-click answer does, and
how long a closed request keeps its personal content.

Registered with the scheduler (coop.core.registry) and the answer links (coop.followups.answers)
when create_app imports this module; the rules follow coop/followups/rules.py (`fn(at) -> int`,
at most one row per `dedupe_key`).
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from coop.core import outbox as O
from coop.core.clock import LOCAL
from coop.core.models import Village
from coop.core.registry import daily_job, periodic_rule
from coop.extensions import db
from coop.followups import answers
from coop.followups.models import AnswerToken, durations_for
from coop.followups.rules import alert_coordinators, stamp
from coop.requests import retention
from coop.requests import service as requests_service
from coop.requests.models import DONE, INTAKE, MATCHED, NEW, NO_RUSH, SEARCHING, THIS_WEEK, TODAY, HelpRequest

ASK_HELPED, ESCALATION, NOT_HELPED = "request.ask_helped", "request.escalation", "request.not_helped"
HELPED = "helped"  # the purpose of the answer tokens behind "Bent u geholpen?"


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
    queued = 0
    for req in db.session.scalars(select(HelpRequest).where(HelpRequest.status == MATCHED,
                                                             HelpRequest.anonymised_at.is_(None))):
        due = ask_helped_at(req)
        if due is None or due > at:
            continue
        key = f"ask:{req.id}:{stamp(req.matched_at or req.status_changed_at)}"
        if db.session.scalar(select(O.FollowUp.id).where(O.FollowUp.dedupe_key == key)):
            continue
        token = answers.new_token(HELPED, req)
        queued += O.queue(ASK_HELPED, req.resident, payload={"request_id": req.id, "token_id": token.id},
                          subject=req, dedupe_key=key) is not None
    return queued


@answers.on_answer(HELPED)
def answer_helped(token: AnswerToken, answer: str) -> HelpRequest:
    """*ja* completes a matched request; *nee* reopens it and alerts the coordinators. In the
    caller's transaction; the token is already used up (coop.followups.answers.record)."""
    req = db.session.get(HelpRequest, token.subject_id)
    if req is None:
        raise answers.AnswerProblem(answers.INVALID, "Deze hulpvraag bestaat niet meer.",
                                    db.session.get(Village, token.village_id))
    if answer == "ja":
        if req.status == MATCHED:
            requests_service.complete(req, by=None, note="De inwoner antwoordde via de mail: ja, geholpen.")
        else:
            requests_service.add_event(req, None, "answer", "De inwoner antwoordde via de mail: ja, geholpen.")
        return req
    note = "De inwoner antwoordde via de mail: nee, niet geholpen."
    if req.status in (MATCHED, DONE):
        requests_service.reopen(req, by=None, note=note)
    else:
        requests_service.add_event(req, None, "answer", note)
    alert_coordinators(NOT_HELPED, req.village_id, subject=req, payload={"request_id": req.id},
                       dedupe_key=f"nothelped:{token.id}")
    return req


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
                                     dedupe_key=f"escalate:{req.id}:{stamp(since)}")
    return queued


# --- retention ------------------------------------------------------------------------------

daily_job(retention.anonymise_closed_requests)
