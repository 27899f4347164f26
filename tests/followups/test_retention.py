"""Retention: closed requests older than the period lose their personal content, not their count."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from coop.core import outbox as O
from coop.followups.models import FollowUpSettings
from coop.requests import rules as request_rules
from coop.requests.models import HelpRequest
from coop.requests.retention import anonymise_closed_requests
from coop.requests.service import add_event

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def test_closed_requests_past_the_period_are_anonymised(session, village, resident, make_request):
    old = make_request(village, resident, status="done", closed_at=NOW - timedelta(days=25 * 31),
                       description="Mevrouw Jansen, sleutel onder de mat")
    add_event(old, None, "note", "Belde haar dochter Ria")
    O.queue(request_rules.ASK_HELPED, resident, subject=old, payload={"request_id": old.id})
    recent = make_request(village, resident, status="done", closed_at=NOW - timedelta(days=23 * 31))
    still_open = make_request(village, resident, status="searching", created_at=NOW - timedelta(days=1000))
    session.flush()
    total = session.scalar(select(func.count(HelpRequest.id)))

    assert anonymise_closed_requests(NOW) == 1
    session.flush()
    session.refresh(old)
    assert old.description == "" and old.street is None and old.lat is None and old.anonymised_at == NOW
    assert all(e.note == "" for e in old.events)
    assert session.scalar(select(O.FollowUp.payload).where(O.FollowUp.subject_id == old.id)) == {}
    assert recent.anonymised_at is None and still_open.anonymised_at is None
    assert recent.description and still_open.description
    # counts for reports stay
    assert session.scalar(select(func.count(HelpRequest.id))) == total
    assert old.status == "done" and old.category_id and old.village_id == village.id
    assert anonymise_closed_requests(NOW) == 0


def test_period_is_set_per_village(session, village, resident, make_request):
    session.add(FollowUpSettings(village_id=village.id, retention_months=12))
    req = make_request(village, resident, status="cancelled", closed_at=NOW - timedelta(days=13 * 31))
    assert anonymise_closed_requests(NOW) == 1
    assert req.anonymised_at == NOW
