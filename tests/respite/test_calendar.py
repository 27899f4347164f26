from datetime import date, datetime

from icalendar import Calendar

from coop.core.clock import LOCAL
from coop.respite import calendar, service
from tests.respite.conftest import available


def _booked_two_volunteers(weekly, rvolunteer, make, rvillage, rcoordinator, session):
    rvolunteer.volunteer_profile.max_hours_month = 40
    service.book_volunteer(weekly, rvolunteer, by=rcoordinator)
    other = available(session, make.volunteer(rvillage, categories=("respijt",), first_name="Els"))
    service.assign_shift(weekly.shifts[4], other, by=rcoordinator)
    service.cancel_shift(weekly.shifts[3], by=rcoordinator)
    session.flush()
    return other


def test_feed_parses_back_and_holds_exactly_the_volunteers_shifts(
        app, client, weekly, rvolunteer, make, rvillage, rcoordinator, session):
    _booked_two_volunteers(weekly, rvolunteer, make, rvillage, rcoordinator, session)
    token = calendar.create_feed(rvolunteer)
    response = client.get(f"/agenda/{token}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    cal = Calendar.from_ical(response.data)
    events = cal.walk("VEVENT")
    expected = [s for s in weekly.shifts[:3]]  # 4th cancelled, 5th swapped to Els
    assert sorted(str(e["UID"]) for e in events) == sorted(
        f"respite-shift-{s.id}@{rvillage.slug}.coop" for s in expected)
    starts = sorted(e.decoded("DTSTART") for e in events)
    assert starts[0] == datetime(2026, 3, 17, 14, 0, tzinfo=LOCAL)
    assert starts[2].astimezone(LOCAL).hour == 14 and starts[2].date() == date(2026, 3, 31)  # summer time
    assert all("DTSTAMP" in e for e in events)
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/Amsterdam"
    assert "Koffie" not in response.text  # personal notes stay in the app


def test_wrong_or_revoked_token_is_404_and_reveals_nothing(client, rvolunteer, session):
    token = calendar.create_feed(rvolunteer)
    assert client.get("/agenda/niet-goed.ics").status_code == 404
    new_token = calendar.create_feed(rvolunteer)  # a new link revokes the old one
    assert client.get(f"/agenda/{token}.ics").status_code == 404
    assert client.get(f"/agenda/{new_token}.ics").status_code == 200
    calendar.revoke(rvolunteer)
    response = client.get(f"/agenda/{new_token}.ics")
    assert response.status_code == 404 and "Kees" not in response.text


def test_volunteer_makes_and_revokes_a_feed_in_the_app(client_as, rvolunteer):
    client = client_as(rvolunteer)
    page = client.post("/mijn-rooster/agenda")
    assert page.status_code == 200 and "/agenda/" in page.text
    url = page.text.split('id="agenda-link">')[1].split("<")[0]
    assert client.get(url.replace("http://localhost", "")).status_code == 200
    client.post("/mijn-rooster/agenda/intrekken")
    assert client.get(url.replace("http://localhost", "")).status_code == 404
