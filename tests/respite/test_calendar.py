from datetime import UTC, date, datetime, time

import pytest
import vobject
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


# Around both changes of 2026 (last Sundays: 29 March and 25 October): the Saturday before and
# the Monday after, each at 14:00 Amsterdam time, with the UTC instant that is.
AROUND_THE_CHANGES = [
    (date(2026, 3, 28), datetime(2026, 3, 28, 13, 0, tzinfo=UTC)),
    (date(2026, 3, 30), datetime(2026, 3, 30, 12, 0, tzinfo=UTC)),
    (date(2026, 10, 24), datetime(2026, 10, 24, 12, 0, tzinfo=UTC)),
    (date(2026, 10, 26), datetime(2026, 10, 26, 13, 0, tzinfo=UTC)),
]


@pytest.fixture
def feed_around_the_changes(client, rcarer, rvolunteer, rcoordinator, session):
    available(session, rvolunteer, weekdays=(5,))
    rvolunteer.volunteer_profile.max_hours_month = 40
    for day, _ in AROUND_THE_CHANGES:
        ask = service.request_respite(rcarer, by=rcarer, first_date=day, start_time=time(14, 0),
                                      end_time=time(17, 0)).respite_request
        assert service.book_volunteer(ask, rvolunteer, by=rcoordinator).booked
    session.flush()
    response = client.get(f"/agenda/{calendar.create_feed(rvolunteer)}.ics")
    assert response.status_code == 200
    return response.data


def _starts_by_icalendar(data: bytes) -> list[datetime]:
    return sorted(e.decoded("DTSTART") for e in Calendar.from_ical(data).walk("VEVENT"))


def _starts_by_the_feeds_own_vtimezone(data: bytes) -> list[datetime]:
    """icalendar's reading of the VTIMEZONE in the feed, not of its own tz database."""
    cal = Calendar.from_ical(data)
    zone = cal.walk("VTIMEZONE")[0].to_tz()
    return sorted(e.decoded("DTSTART").replace(tzinfo=None).replace(tzinfo=zone) for e in cal.walk("VEVENT"))


def _starts_by_vobject(data: bytes) -> list[datetime]:
    """vobject builds the zone from the feed's VTIMEZONE with dateutil's tzical."""
    cal = vobject.readOne(data.decode())
    return sorted(e.dtstart.value for e in cal.vevent_list)


@pytest.mark.parametrize("read", [_starts_by_icalendar, _starts_by_the_feeds_own_vtimezone, _starts_by_vobject])
def test_every_reader_puts_shifts_around_both_changes_at_14_00_amsterdam(feed_around_the_changes, read):
    starts = read(feed_around_the_changes)
    assert [s.astimezone(UTC) for s in starts] == [utc for _, utc in AROUND_THE_CHANGES]
    for start, (day, _) in zip(starts, AROUND_THE_CHANGES, strict=True):
        # The reader's own zone gives the wall clock: 14:00, whichever side of the change.
        assert (start.date(), start.hour, start.minute) == (day, 14, 0)
        assert start.astimezone(LOCAL).hour == 14


def test_the_feed_carries_the_standard_amsterdam_vtimezone(feed_around_the_changes):
    text = feed_around_the_changes.decode()
    block = text[text.index("BEGIN:VTIMEZONE"):text.index("END:VTIMEZONE")]
    assert text.count("BEGIN:VTIMEZONE") == 1 and "TZID:Europe/Amsterdam" in block
    assert "RDATE" not in block  # no list of generated dates: two yearly rules
    standard = block[block.index("BEGIN:STANDARD"):block.index("END:STANDARD")].split("\r\n")
    daylight = block[block.index("BEGIN:DAYLIGHT"):block.index("END:DAYLIGHT")].split("\r\n")
    assert {"DTSTART:19701025T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "TZOFFSETFROM:+0200",
            "TZOFFSETTO:+0100", "TZNAME:CET"} <= set(standard)
    assert {"DTSTART:19700329T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "TZOFFSETFROM:+0100",
            "TZOFFSETTO:+0200", "TZNAME:CEST"} <= set(daylight)
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in text and "X-PUBLISHED-TTL:PT1H\r\n" in text
    # Every start and end names the zone; no floating or UTC times that a reader would shift.
    cal = Calendar.from_ical(feed_around_the_changes)
    for event in cal.walk("VEVENT"):
        assert event["DTSTART"].params["TZID"] == event["DTEND"].params["TZID"] == "Europe/Amsterdam"


def test_the_entry_is_at_the_cared_for_person_with_the_carer_as_contact(feed_around_the_changes, rcarer,
                                                                         cared_for):
    for event in vobject.readOne(feed_around_the_changes.decode()).vevent_list:
        assert event.summary.value == "Respijt bij Piet Visser"
        assert event.location.value == cared_for.address_line and cared_for.address_line != rcarer.address_line
        description = event.description.value
        assert "Contactpersoon: Truus Visser, 06 12345678 (mantelzorger)" in description
        assert "0343 123 456" in description
        assert "Koffie" not in description  # personal notes stay in the app
