from datetime import date

import pytest
from sqlalchemy import func, select

from coop.core import roles as R
from coop.respite import service
from coop.respite.models import RespiteRequest, RespiteShift

STAFF_PAGES = ["/respijt", "/respijt/rooster-afdrukken", "/respijt/mantelzorgers", "/respijt/uren",
               "/respijt/uren/overzicht", "/respijt/instellingen"]


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_refuse_other_roles(client_as, make, rvillage, rcoordinator, url):
    assert client_as(rcoordinator).get(url).status_code == 200
    for role in (R.VOLUNTEER, R.CARER, R.RESIDENT, R.MUNICIPALITY, R.PROFESSIONAL):
        assert client_as(make.user(rvillage, role)).get(url).status_code == 403


def test_own_pages_per_role(client, client_as, rvolunteer, rcarer, rcoordinator):
    assert client_as(rvolunteer).get("/mijn-rooster").status_code == 200
    assert client_as(rvolunteer).get("/mijn-uren").status_code == 200
    assert client_as(rvolunteer).get("/mijn-respijt").status_code == 403
    assert client_as(rcarer).get("/mijn-respijt").status_code == 200
    assert client_as(rcarer).get("/hoe-gaat-het").status_code == 200
    assert client_as(rcarer).get("/mijn-rooster").status_code == 403
    assert client_as(rcoordinator).get("/mijn-rooster").status_code == 403
    assert client.get("/mijn-rooster").status_code == 302  # to the login page


def test_carer_asks_coordinator_books_volunteer_sees_roster(client_as, rcarer, rvolunteer, rcoordinator, session):
    carer = client_as(rcarer)
    response = carer.post("/mijn-respijt/aanvragen", data={
        "first_date": "2026-03-17", "start_time": "14:00", "end_time": "17:00", "freq": "weekly",
        "until": "2026-04-07", "with_care": "0", "notes": "Graag iemand die van schaken houdt"})
    assert response.status_code == 302
    req = session.scalar(select(RespiteRequest))
    assert len(req.shifts) == 4
    coordinator = client_as(rcoordinator)
    assert "Truus Visser" in coordinator.get("/respijt?week=2026-03-16").text
    page = coordinator.get(f"/respijt/aanvragen/{req.id}")
    assert "Kees Bakker" in page.text
    booked = coordinator.post(f"/respijt/aanvragen/{req.id}/boeken", data={"volunteer": rvolunteer.id})
    assert booked.status_code == 200
    # max 10 h a month: 17, 24 and 31 March fit (9 h); nothing clashes in April.
    assert "ingeroosterd voor 4 keren" in booked.text
    roster = client_as(rvolunteer).get("/mijn-rooster")
    assert "dinsdag 17 maart 2026, 14:00–17:00" in roster.text and "dinsdag 31 maart 2026, 14:00–17:00" in roster.text
    assert "Koffie om drie uur." in roster.text  # the volunteer on shift sees what to know
    assert "U bent ingeroosterd voor respijt bij Piet Visser" in roster.text
    assert "Kees komt u vervangen" in client_as(rcarer).get("/mijn-respijt").text


def test_bad_request_form_is_422_and_writes_nothing(client_as, rcarer, session):
    session.commit()  # web.run rolls back the session on a refusal; keep the fixtures
    response = client_as(rcarer).post("/mijn-respijt/aanvragen", data={
        "first_date": "2026-03-17", "start_time": "17:00", "end_time": "14:00", "freq": "once", "with_care": "0"})
    assert response.status_code == 422 and "De eindtijd moet na de begintijd liggen." in response.text
    assert 'href="#end_time"' in response.text
    past = client_as(rcarer).post("/mijn-respijt/aanvragen", data={
        "first_date": "2026-03-02", "start_time": "14:00", "end_time": "17:00", "freq": "once", "with_care": "0"})
    assert past.status_code == 422 and "verleden" in past.text
    bad_exc = client_as(rcarer).post("/mijn-respijt/aanvragen", data={
        "first_date": "2026-03-17", "start_time": "14:00", "end_time": "17:00", "freq": "weekly",
        "exceptions-0-day": "31", "exceptions-0-month": "4", "exceptions-0-year": "2026", "with_care": "0"})
    assert bad_exc.status_code == 422 and "Deze datum bestaat niet" in bad_exc.text
    assert 'href="#exceptions-0"' in bad_exc.text  # the summary points at the row
    assert session.scalar(select(func.count()).select_from(RespiteRequest)) == 0


def test_capped_series_says_so(client_as, rcarer):
    response = client_as(rcarer).post("/mijn-respijt/aanvragen", data={
        "first_date": "2026-03-17", "start_time": "14:00", "end_time": "17:00", "freq": "weekly",
        "with_care": "0"}, follow_redirects=True)
    assert "hoogstens 60 keer of een jaar" in response.text and "16-03-2027" in response.text


def test_booking_that_fits_nowhere_shows_the_clash_and_saves_nothing(client_as, weekly, make, rvillage, rcoordinator,
                                                                     session):
    busy = make.volunteer(rvillage, categories=("respijt",), first_name="Els", last_name="Bos")  # no availability
    session.commit()  # web.run rolls back the session on a refusal; keep the fixtures
    response = client_as(rcoordinator).post(f"/respijt/aanvragen/{weekly.id}/boeken", data={"volunteer": busy.id})
    assert response.status_code == 422 and "Els Bos is op dinsdag niet beschikbaar" in response.text
    assert session.scalar(select(func.count()).select_from(RespiteShift).where(RespiteShift.status == "booked")) == 0


def test_another_carers_booking_is_refused(client_as, weekly, make, rvillage, session):
    other = make.user(rvillage, R.CARER)
    shift = weekly.shifts[0]
    assert client_as(other).post(f"/respijt/keren/{shift.id}/afzeggen").status_code == 404
    assert client_as(other).get(f"/respijt/keren/{shift.id}").status_code == 404
    assert shift.status == RespiteShift.OPEN


def test_carer_cancels_own_occurrence(client_as, weekly, rcarer):
    shift = weekly.shifts[1]
    assert client_as(rcarer).post(f"/respijt/keren/{shift.id}/afzeggen").status_code == 302
    assert shift.status == RespiteShift.CANCELLED


def test_notes_hidden_from_volunteer_not_on_shift(client_as, weekly, rvolunteer, make, rvillage, rcoordinator):
    service.book_volunteer(weekly, rvolunteer, by=rcoordinator)
    shift = weekly.shifts[0]
    assert "Koffie om drie uur." in client_as(rvolunteer).get(f"/respijt/keren/{shift.id}").text
    stranger = make.volunteer(rvillage, categories=("respijt",))
    assert client_as(stranger).get(f"/respijt/keren/{shift.id}").status_code == 404
    assert "Koffie" not in client_as(weekly.carer).get(f"/respijt/keren/{shift.id}").text


def test_other_village_sees_nothing(client_as, weekly, make, other_village):
    outsider = make.user(other_village, R.COORDINATOR)
    assert client_as(outsider).get(f"/respijt/aanvragen/{weekly.id}").status_code == 404
    assert client_as(outsider).get(f"/respijt/keren/{weekly.shifts[0].id}").status_code == 404
    assert "Truus" not in client_as(outsider).get("/respijt?week=2026-03-16").text


def test_week_view_marks_gaps_and_standing_clashes(client_as, weekly, rvolunteer, rcoordinator, session):
    from coop.people.models import Absence
    gap = client_as(rcoordinator).get("/respijt?week=2026-03-16").text
    assert 'class="respite-gap"' in gap and "nog geen vrijwilliger" in gap
    service.book_volunteer(weekly, rvolunteer, by=rcoordinator)
    session.add(Absence(user_id=rvolunteer.id, starts_on=date(2026, 3, 17), ends_on=date(2026, 3, 17), note="ziek"))
    session.flush()
    page = client_as(rcoordinator).get("/respijt?week=2026-03-16").text
    assert "botsing" in page and "ziek" in page
    page2 = client_as(rcoordinator).get("/respijt?week=2026-04-13").text
    assert "geregeld" in page2 and "respite-gap" not in page2


def test_swap_via_web_and_print_roster(client_as, weekly, rvolunteer, make, rvillage, rcoordinator, session):
    from tests.respite.conftest import available
    service.book_volunteer(weekly, rvolunteer, by=rcoordinator)
    els = available(session, make.volunteer(rvillage, categories=("respijt",), first_name="Els", last_name="Bos"))
    shift = weekly.shifts[0]
    coordinator = client_as(rcoordinator)
    assert coordinator.post(f"/respijt/keren/{shift.id}/vrijwilliger", data={"volunteer": els.id}).status_code == 302
    assert shift.volunteer_id == els.id
    printed = coordinator.get("/respijt/rooster-afdrukken?week=2026-03-16").text
    assert "Rooster van Els Bos" in printed and "Koffie om drie uur." in printed


def test_carer_profile_saved_by_coordinator(client_as, make, rvillage, rcoordinator, cared_for):
    carer = make.user(rvillage, R.CARER, first_name="Joop")
    response = client_as(rcoordinator).post(f"/respijt/mantelzorgers/{carer.id}", data={
        "care_recipient": cared_for.id, "relationship_label": "zoon", "care_hours_week": "12",
        "routines": "Middagslaapje", "what_calms": "", "who_to_call": "", "sofa_roles": ["S", "O"],
        "support_needs": "Even weg kunnen"})
    assert response.status_code == 302
    profile = service.profile_for(carer)
    assert profile.care_recipient_id == cared_for.id and profile.sofa_roles == ["S", "O"]
    bad = client_as(rcoordinator).post(f"/respijt/mantelzorgers/{carer.id}", data={"care_recipient": "0",
                                                                                 "care_hours_week": "500"})
    assert bad.status_code == 422


def test_volunteer_of_another_village_is_not_a_choice(client_as, weekly, make, other_village, rcoordinator, session):
    outsider = make.volunteer(other_village, categories=())
    response = client_as(rcoordinator).post(f"/respijt/aanvragen/{weekly.id}/boeken", data={"volunteer": outsider.id})
    assert response.status_code == 422 and "Kies een van de mogelijkheden." in response.text
    assert all(s.status == RespiteShift.OPEN for s in weekly.shifts)


def test_coordinator_sets_km_rate_and_maxima(client_as, rcoordinator, rvillage):
    from decimal import Decimal

    from coop.respite import hours
    coordinator = client_as(rcoordinator)
    bad = coordinator.post("/respijt/instellingen", data={"km_rate": "0,19", "allowance_month_max": "abc",
                                                          "allowance_year_max": "2100"})
    assert bad.status_code == 422 and "Vul een getal in" in bad.text
    ok = coordinator.post("/respijt/instellingen", data={"km_rate": "0,19", "allowance_month_max": "180",
                                                         "allowance_year_max": "1800"})
    assert ok.status_code == 302
    assert hours.settings_for(rvillage.id).km_rate == Decimal("0.19")


def _flashes(client) -> list[str]:
    with client.session_transaction() as sess:
        return [text for _, text in sess.get("_flashes", [])]


def test_what_the_coordinator_types_for_a_carer_is_said_about_the_carer(client_as, rcarer, rcoordinator, session):
    """She asks respite and fills in "Hoe gaat het?" for Truus by phone: the messages name
    Truus, they do not thank the coordinator for her own answers."""
    from coop.respite.carerqol import DIMENSIONS
    coordinator = client_as(rcoordinator)
    asked = coordinator.post(f"/respijt/mantelzorgers/{rcarer.id}/aanvragen", data={
        "first_date": "2026-03-17", "start_time": "14:00", "end_time": "17:00", "freq": "once",
        "until": "", "with_care": "0", "notes": ""})
    assert asked.status_code == 302, asked.text[-1500:]
    assert _flashes(coordinator) == [
        "De respijtvraag van Truus Visser is doorgegeven: 1 keer. Zoek nu een vrijwilliger."]
    answers = {name: "1" for name, _, _ in DIMENSIONS}
    done = coordinator.post(f"/respijt/mantelzorgers/{rcarer.id}/carerqol", data={**answers, "vas": "6"})
    assert done.status_code == 302, done.text[-1500:]
    assert _flashes(coordinator)[-1] == "De antwoorden van Truus Visser zijn bewaard."
    own = client_as(rcarer)
    assert own.post("/hoe-gaat-het", data={**answers, "vas": "7"}).status_code == 302
    assert _flashes(own)[-1] == "Dank u wel. Uw antwoorden zijn bewaard."


def test_days_off_are_dates_in_boxes_and_one_more_row_comes_without_script(client_as, rcarer, session):
    carer = client_as(rcarer)
    page = carer.get("/mijn-respijt/aanvragen").text
    assert page.count('name="exceptions-') == 9 and 'name="first_date-day"' in page  # three rows of three boxes
    more = carer.post("/mijn-respijt/aanvragen", data={"meer_datums": "1", "first_date-day": "17",
                                                        "first_date-month": "3", "first_date-year": "2026"})
    assert more.status_code == 200 and more.text.count('name="exceptions-') == 12
    assert 'value="17"' in more.text  # what was typed stays
    assert session.scalar(select(func.count()).select_from(RespiteRequest)) == 0
    sent = carer.post("/mijn-respijt/aanvragen", data={
        "first_date-day": "17", "first_date-month": "3", "first_date-year": "2026", "start_time": "14:00",
        "end_time": "17:00", "freq": "weekly", "until-day": "7", "until-month": "4", "until-year": "2026",
        "exceptions-0-day": "24", "exceptions-0-month": "3", "exceptions-0-year": "2026",
        "exceptions-3-day": "31", "exceptions-3-month": "3", "exceptions-3-year": "2026", "with_care": "0"})
    assert sent.status_code == 302, sent.text[-2000:]
    req = session.scalar(select(RespiteRequest))
    # Weekly from 17 March to 7 April, not on 24 and 31 March (the second and the fourth row).
    assert sorted(s.starts_at.date() for s in req.shifts) == [date(2026, 3, 17), date(2026, 4, 7)]
