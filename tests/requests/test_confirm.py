"""Nothing is undone by one tap: stopping or withdrawing a request asks first (GET says what
happens and who hears it, POST does it, a GET changes nothing), and an undo is open for a
while after, then refused in Dutch."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from coop.core import clock
from coop.core.errors import DomainError
from coop.requests import service
from coop.requests.models import CANCELLED, INTAKE, MATCHED, SEARCHING, RequestEvent


@pytest.fixture
def thaw():
    yield
    clock.freeze(None)


def _events(session, req) -> int:
    return session.scalar(select(func.count()).select_from(RequestEvent).where(RequestEvent.request_id == req.id))


def test_the_stop_page_says_what_happens_and_changes_nothing(client_as, coordinator, resident, new_request, session):
    req = new_request(resident, status=SEARCHING)
    show = client_as(coordinator).get(f"/hulpvragen/{req.id}").text
    assert f'href="/hulpvragen/{req.id}/stoppen"' in show and "Annuleren" not in show
    page = client_as(coordinator).get(f"/hulpvragen/{req.id}/stoppen").text
    assert "Hulpvraag stoppen?" in page and "Wat er gebeurt" in page and "Wie het hoort" in page
    assert "Bep" in page and "Er gaat geen mail of bericht uit" in page
    assert "Terug, niets veranderen" in page and "15 minuten" in page
    session.expire_all()
    assert req.status == SEARCHING and _events(session, req) == 0


def test_stopping_shows_the_new_state_at_once_and_undo_brings_it_back(client_as, coordinator, resident,
                                                                     new_request, session):
    req = new_request(resident, status=SEARCHING)
    client = client_as(coordinator)
    response = client.post(f"/hulpvragen/{req.id}/stoppen", data={"note": "buurvrouw helpt"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/hulpvragen/{req.id}")
    session.expire_all()
    assert req.status == CANCELLED
    page = client.get(f"/hulpvragen/{req.id}").text
    assert "wacht al" not in page and "gestopt" in page and "Ongedaan maken" in page
    page = client.post(f"/hulpvragen/{req.id}/ongedaan-maken", follow_redirects=True).text
    session.expire_all()
    assert req.status == SEARCHING and req.closed_at is None
    assert "Ongedaan gemaakt: de hulpvraag is weer &#39;zoekt helper&#39;." in page
    assert [e.action for e in req.events][-2:] == ["cancel", "undo_cancel"]


def test_undo_after_the_window_is_refused_in_dutch(client_as, coordinator, resident, new_request, session, thaw):
    req = new_request(resident, status=INTAKE)
    service.stop(req, by=coordinator)
    session.commit()
    clock.freeze(clock.now() + timedelta(minutes=16))
    client = client_as(coordinator)
    assert "Ongedaan maken" not in client.get(f"/hulpvragen/{req.id}").text
    page = client.post(f"/hulpvragen/{req.id}/ongedaan-maken", follow_redirects=True).text
    assert "Ongedaan maken kon tot 15 minuten na het afzeggen of stoppen; die tijd is voorbij." in page
    session.expire_all()
    assert req.status == CANCELLED


def test_a_matched_request_stopped_cannot_be_undone(coordinator, resident, new_request, session):
    req = new_request(resident, status=MATCHED)
    service.stop(req, by=coordinator)
    with pytest.raises(DomainError, match="te veel gebeurd"):
        service.undo_cancel(req, by=coordinator)
    assert req.status == CANCELLED


def test_an_undo_is_taken_once(coordinator, resident, new_request):
    req = new_request(resident, status=SEARCHING)
    service.stop(req, by=coordinator)
    service.undo_cancel(req, by=coordinator)
    with pytest.raises(DomainError, match="de hulpvraag is nu 'zoekt helper'"):
        service.undo_cancel(req, by=coordinator)
    assert req.status == SEARCHING


def test_a_request_cancelled_without_a_step_on_its_timeline_cannot_be_undone(coordinator, resident, new_request):
    req = new_request(resident, status=CANCELLED)
    with pytest.raises(DomainError, match="niet meer ongedaan"):
        service.undo_cancel(req, by=coordinator)


def test_the_resident_confirms_withdrawing_and_may_undo_it(client_as, resident, new_request, session, make):
    req = new_request(resident, status=SEARCHING)
    client = client_as(resident)
    show = client.get(f"/hulpvragen/{req.id}").text
    assert f'href="/hulpvragen/{req.id}/intrekken"' in show
    page = client.get(f"/hulpvragen/{req.id}/intrekken").text
    assert "Hulpvraag intrekken?" in page and "De dorpsondersteuner ziet dat u de hulpvraag hebt ingetrokken" in page
    session.expire_all()
    assert req.status == SEARCHING
    client.post(f"/hulpvragen/{req.id}/intrekken", data={"note": ""})
    session.expire_all()
    assert req.status == CANCELLED
    page = client.get(f"/hulpvragen/{req.id}").text
    assert "Uw hulpvraag is ingetrokken." in page and "Ongedaan maken" in page
    client.post(f"/hulpvragen/{req.id}/ongedaan-maken")
    session.expire_all()
    assert req.status == SEARCHING


def test_a_resident_cannot_undo_a_stop_by_the_coordinator(client_as, coordinator, resident, new_request, session):
    req = new_request(resident, status=SEARCHING)
    service.stop(req, by=coordinator)
    session.commit()
    client = client_as(resident)
    assert "Ongedaan maken" not in client.get(f"/hulpvragen/{req.id}").text
    page = client.post(f"/hulpvragen/{req.id}/ongedaan-maken", follow_redirects=True).text
    assert "Alleen wie de hulpvraag stopte, of de dorpsondersteuner, kan dit ongedaan maken." in page
    session.expire_all()
    assert req.status == CANCELLED


def test_the_proposal_withdraw_page_asks_first(client_as, coordinator, resident, new_request, session, make):
    from coop.matching import service as matching
    req = new_request(resident, status=SEARCHING, lat=52.08, lon=5.31)
    helper = make.volunteer(resident.village, first_name="Jan", last_name="Smit", lat=52.081, lon=5.311)
    proposal = matching.propose(req, helper, by=coordinator)
    session.commit()
    client = client_as(coordinator)
    assert f'href="/voorstellen/{proposal.id}/intrekken"' in client.get(f"/hulpvragen/{req.id}/koppelen").text
    page = client.get(f"/voorstellen/{proposal.id}/intrekken").text
    assert "Voorstel intrekken?" in page and "Jan krijgt geen bericht" in page and "opnieuw voorstellen" in page
    session.expire_all()
    assert proposal.status == "proposed"
    client.post(f"/voorstellen/{proposal.id}/intrekken")
    session.expire_all()
    assert proposal.status == "withdrawn"
