"""A completed hulpvraag with an accepted proposal counts as its helper's hours (a draft they
confirm or correct in "Mijn uren"), and matching's load rule sees them."""
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from coop.core import clock
from coop.core.clock import LOCAL
from coop.matching import candidates
from coop.matching import service as matching
from coop.people.models import HoursEntry
from coop.requests import service as requests
from coop.requests.models import HelpRequest
from coop.respite import hours

NOW = datetime(2026, 5, 12, 15, 0, tzinfo=UTC)


@pytest.fixture
def frozen_may():
    clock.freeze(NOW)
    yield NOW
    clock.freeze(None)


@pytest.fixture
def searching(session, make, village, resident, frozen_may):
    def build(**kw):
        req = HelpRequest(village_id=village.id, resident=resident, category=make.category(village, "boodschappen"),
                          description="Boodschappen bij de supermarkt", status="searching",
                          lat=resident.lat, lon=resident.lon, **kw)
        session.add(req)
        session.flush()
        return req
    return build


def request_entries(session):
    return list(session.scalars(select(HoursEntry).where(HoursEntry.source_type == hours.REQUEST)))


def test_completed_request_with_window_counts_its_length(searching, volunteer, coordinator, session):
    req = searching(on_date=date(2026, 5, 11), window_start=datetime(2026, 5, 11, 14, 0, tzinfo=LOCAL),
                    window_end=datetime(2026, 5, 11, 16, 30, tzinfo=LOCAL))
    matching.propose(req, volunteer, by=coordinator, by_phone=True)
    assert request_entries(session) == []  # matched is not yet done
    requests.complete(req, by=coordinator)
    (entry,) = request_entries(session)
    assert (entry.helper_id, entry.source_id, entry.hours, entry.worked_on, entry.status) == (
        volunteer.id, req.id, Decimal("2.50"), date(2026, 5, 11), HoursEntry.DRAFT)


def test_completed_request_without_window_counts_one_hour_today(searching, volunteer, coordinator, session):
    req = searching(flexible=True)
    matching.propose(req, volunteer, by=coordinator, by_phone=True)
    requests.complete(req, by=coordinator)
    (entry,) = request_entries(session)
    assert (entry.hours, entry.worked_on) == (Decimal("1.00"), date(2026, 5, 12))


def test_no_accepted_proposal_no_hours(searching, volunteer, coordinator, session):
    req = searching()
    requests.mark_matched(req, by=coordinator, helper=volunteer)  # matched outside matching: no helper known
    requests.complete(req, by=coordinator)
    assert request_entries(session) == []


def test_not_helped_drops_the_draft_and_done_again_writes_one(searching, volunteer, coordinator, session):
    req = searching()
    matching.propose(req, volunteer, by=coordinator, by_phone=True)
    requests.complete(req, by=coordinator)
    requests.reopen(req, by=None, note="nee, niet geholpen")
    session.flush()
    assert request_entries(session) == []
    requests.apply_transition(req, "match", by=coordinator)
    requests.complete(req, by=coordinator)
    requests.reopen(req, by=None)
    requests.apply_transition(req, "match", by=coordinator)
    requests.complete(req, by=coordinator)
    assert len(request_entries(session)) == 1


def test_confirmed_hours_stay_when_reopened(searching, volunteer, coordinator, session):
    req = searching()
    matching.propose(req, volunteer, by=coordinator, by_phone=True)
    requests.complete(req, by=coordinator)
    (entry,) = request_entries(session)
    hours.confirm_entry(entry, by=volunteer, hours=Decimal("2"), km=Decimal("4"), costs=Decimal("0"))
    requests.reopen(req, by=None)
    requests.apply_transition(req, "match", by=coordinator)
    requests.complete(req, by=coordinator)
    (again,) = request_entries(session)
    assert again.id == entry.id and again.hours == Decimal("2")


def test_done_via_the_request_page_shows_in_mijn_uren_and_matching_load(client_as, searching, volunteer,
                                                                         coordinator, session):
    req = searching(window_start=datetime(2026, 5, 11, 14, 0, tzinfo=LOCAL),
                    window_end=datetime(2026, 5, 11, 17, 0, tzinfo=LOCAL), on_date=date(2026, 5, 11))
    matching.propose(req, volunteer, by=coordinator, by_phone=True)
    response = client_as(coordinator).post(f"/hulpvragen/{req.id}/stap/complete", data={"note": ""})
    assert response.status_code == 302
    assert session.scalar(select(func.count()).select_from(HoursEntry).where(
        HoursEntry.helper_id == volunteer.id, HoursEntry.source_type == "request")) == 1
    page = client_as(volunteer).get("/mijn-uren?maand=2026-05").text
    assert "Hulpvraag: Boodschappen" in page and "nog bevestigen" in page
    other = searching()
    (top,) = [c for c in candidates.rank_for(other).candidates if c.helper.id == volunteer.id]
    assert "3 van 10 uur deze maand" in top.reasons


def test_unknown_transition_cannot_be_hooked():
    with pytest.raises(ValueError):
        requests.after_transition("finish")
