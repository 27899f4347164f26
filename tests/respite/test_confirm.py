"""Cancelling a respite visit or the rest of a series asks first and names who hears it; for
15 minutes after, "Ongedaan maken" puts it back as it was and tells everyone it goes on."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from coop.core import clock
from coop.core import outbox as O
from coop.respite import service
from coop.respite.models import RespiteShift


def _booked(weekly, rvolunteer, rcoordinator, session):
    service.book_volunteer(weekly, rvolunteer, by=rcoordinator)
    session.commit()
    return weekly.shifts[0]


def _notes(session, user, kind):
    return [r.payload["text"] for r in session.scalars(select(O.FollowUp).where(
        O.FollowUp.recipient_id == user.id, O.FollowUp.kind == kind, O.FollowUp.channel == O.INAPP,
        O.FollowUp.status != O.CANCELLED))]


def test_the_cancel_page_names_who_hears_it_and_changes_nothing(client_as, weekly, rvolunteer, rcoordinator,
                                                                rcarer, session):
    shift = _booked(weekly, rvolunteer, rcoordinator, session)
    client = client_as(rcarer)
    assert f'href="/respijt/keren/{shift.id}/afzeggen"' in client.get("/mijn-respijt").text
    page = client.get(f"/respijt/keren/{shift.id}/afzeggen").text
    assert "Bezoek afzeggen?" in page and "Kees Bakker (vrijwilliger) krijgt een bericht" in page
    assert "U zelf (mantelzorger)" in page and "Andere keren blijven zoals ze zijn." in page
    rest = client.get(f"/respijt/keren/{shift.id}/rest-afzeggen").text
    assert "Alle volgende bezoeken afzeggen?" in rest and "5 keer" in rest
    session.expire_all()
    assert {s.status for s in weekly.shifts} == {RespiteShift.BOOKED}


def test_cancel_then_undo_tells_everyone_it_goes_on(client_as, weekly, rvolunteer, rcoordinator, rcarer, session):
    shift = _booked(weekly, rvolunteer, rcoordinator, session)
    client = client_as(rcarer)
    response = client.post(f"/respijt/keren/{shift.id}/afzeggen")
    assert response.headers["Location"].endswith(f"/respijt/keren/{shift.id}")
    session.expire_all()
    assert shift.status == RespiteShift.CANCELLED
    page = client.get(f"/respijt/keren/{shift.id}").text
    assert "afgezegd" in page and "Ongedaan maken" in page and "Dit bezoek is afgezegd." in page
    client.post(f"/respijt/keren/{shift.id}/afzeggen-ongedaan")
    session.expire_all()
    assert shift.status == RespiteShift.BOOKED and shift.volunteer_id == rvolunteer.id
    assert any(t.startswith("Gaat toch door") for t in _notes(session, rvolunteer, "shift.booked"))
    assert any(t.startswith("Gaat toch door") for t in _notes(session, rcarer, "shift.changed"))


def test_a_series_cancelled_comes_back_whole_within_the_window(client_as, weekly, rvolunteer, rcoordinator,
                                                                session):
    shift = _booked(weekly, rvolunteer, rcoordinator, session)
    client = client_as(rcoordinator)
    client.post(f"/respijt/keren/{shift.id}/rest-afzeggen")
    session.expire_all()
    assert {s.status for s in weekly.shifts} == {RespiteShift.CANCELLED}
    assert "5 bezoeken vanaf deze keer zijn afgezegd." in client.get(f"/respijt/keren/{shift.id}").text
    client.post(f"/respijt/keren/{shift.id}/rest-afzeggen-ongedaan")
    session.expire_all()
    assert {s.status for s in weekly.shifts} == {RespiteShift.BOOKED}


def test_undo_after_fifteen_minutes_is_refused_in_dutch(client_as, weekly, rvolunteer, rcoordinator, rcarer,
                                                         session, frozen):
    shift = _booked(weekly, rvolunteer, rcoordinator, session)
    client = client_as(rcarer)
    client.post(f"/respijt/keren/{shift.id}/afzeggen")
    clock.freeze(frozen + timedelta(minutes=16))
    page = client.get(f"/respijt/keren/{shift.id}").text
    assert "Ongedaan maken" not in page
    page = client.post(f"/respijt/keren/{shift.id}/afzeggen-ongedaan", follow_redirects=True).text
    assert "die tijd is voorbij" in page
    session.expire_all()
    assert shift.status == RespiteShift.CANCELLED
