"""Retention: requests closed longer than the village's period lose their personal content.

What stays is what the reports count: village, category, urgency, status, the dates and the
timeline's steps (without notes). The follow-ups about such a request lose their payload and
text. The request keeps its link to the resident's account, which has its own retention.
The scheduler runs it nightly (registered in coop/requests/rules.py).
"""
from __future__ import annotations

from datetime import datetime

from dateutil.relativedelta import relativedelta
from sqlalchemy import select, update

from coop.core import outbox as O
from coop.core.clock import now
from coop.extensions import db
from coop.followups.models import durations_for
from coop.followups.rules import villages
from coop.requests.models import CANCELLED, DONE, REFERRED, FiveQuestionsAnswer, HelpRequest, RequestEvent

CLOSED = (DONE, CANCELLED, REFERRED)


def anonymise(req: HelpRequest, at: datetime) -> None:
    req.description = ""
    req.street = req.house_number = req.postcode = None
    req.lat = req.lon = None
    req.referral_reason = None
    req.consent_contact = False
    req.anonymised_at = at
    db.session.execute(update(RequestEvent).where(RequestEvent.request_id == req.id).values(note=""))
    db.session.execute(update(FiveQuestionsAnswer).where(FiveQuestionsAnswer.request_id == req.id).values(note=""))
    db.session.execute(
        update(O.FollowUp).where(O.FollowUp.subject_type == "HelpRequest", O.FollowUp.subject_id == req.id)
        .values(payload={}, body=None, title=None).execution_options(synchronize_session=False))


def anonymise_closed_requests(at: datetime | None = None) -> int:
    """Anonymise every request closed before the village's retention period. Caller commits."""
    at = at or now()
    done = 0
    for village in villages():
        cutoff = at - relativedelta(months=durations_for(village.id).retention_months)
        for req in db.session.scalars(select(HelpRequest).where(
                HelpRequest.village_id == village.id, HelpRequest.status.in_(CLOSED),
                HelpRequest.closed_at < cutoff, HelpRequest.anonymised_at.is_(None))):
            anonymise(req, at)
            done += 1
    return done
