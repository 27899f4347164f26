"""Mijn rooster: everything booked, a month at a time, and the calendar link for a phone."""
from datetime import date, time

from coop.respite import service


def _book_once(carer, volunteer, coordinator, day, start=time(14, 0), end=time(17, 0)):
    ask = service.request_respite(carer, by=carer, first_date=day, start_time=start, end_time=end).respite_request
    assert service.book_volunteer(ask, volunteer, by=coordinator).booked
    return ask.shifts[0]


def test_roster_pages_by_month_and_shows_shifts_far_ahead(client_as, rcarer, rvolunteer, rcoordinator, session):
    rvolunteer.volunteer_profile.max_hours_month = 40
    _book_once(rcarer, rvolunteer, rcoordinator, date(2026, 3, 17))
    july = _book_once(rcarer, rvolunteer, rcoordinator, date(2026, 7, 14))  # four months ahead
    session.flush()
    client = client_as(rvolunteer)

    march = client.get("/mijn-rooster").text
    assert "maart 2026" in march and "dinsdag 17 maart 2026, 14:00–17:00" in march
    assert f'id="dienst-{july.id}"' not in march  # July is not in March's list
    assert 'href="/mijn-rooster?maand=2026-02"' in march and "februari 2026" in march
    assert 'href="/mijn-rooster?maand=2026-04"' in march and "april 2026" in march
    # The next shift after this month is named and linked, however far ahead it is.
    assert f'href="/mijn-rooster?maand=2026-07#dienst-{july.id}"' in march
    assert "dinsdag 14 juli 2026, 14:00–17:00" in march

    april = client.get("/mijn-rooster?maand=2026-04").text
    assert "In april 2026 heeft u geen respijtdiensten." in april and "Terug naar deze maand" in april
    page = client.get("/mijn-rooster?maand=2026-07").text
    assert "juli 2026" in page and "dinsdag 14 juli 2026, 14:00–17:00" in page
    assert "Bij Piet Visser" in page and "Mantelzorger: Truus Visser" in page
    assert "juni 2026" in page and "augustus 2026" in page
    assert f'id="dienst-{july.id}"' in page and "dinsdag 17 maart 2026, 14:00" not in page


def test_december_pages_to_january_and_nonsense_months_show_this_month(client_as, rvolunteer):
    client = client_as(rvolunteer)
    december = client.get("/mijn-rooster?maand=2026-12").text
    assert 'href="/mijn-rooster?maand=2027-01"' in december and "januari 2027" in december
    assert 'href="/mijn-rooster?maand=2026-11"' in december and "november 2026" in december
    january = client.get("/mijn-rooster?maand=2027-01").text
    assert 'href="/mijn-rooster?maand=2026-12"' in january
    for nonsense in ("2026-13", "maart", "9999-12", "2026-03-01"):
        response = client.get(f"/mijn-rooster?maand={nonsense}")
        assert response.status_code == 200 and "maart 2026" in response.text, nonsense


def test_a_past_shift_of_the_month_stays_on_the_roster(client_as, rcarer, rvolunteer, rcoordinator, session, frozen):
    from datetime import timedelta

    from coop.core import clock
    shift = _book_once(rcarer, rvolunteer, rcoordinator, date(2026, 3, 17))
    session.flush()
    clock.freeze(frozen + timedelta(days=3))
    page = client_as(rvolunteer).get("/mijn-rooster").text
    assert f'id="dienst-{shift.id}"' in page and "(geweest)" in page


def test_new_feed_link_comes_as_webcal_with_dutch_phone_steps(client_as, rvolunteer):
    page = client_as(rvolunteer).post("/mijn-rooster/agenda").text
    url = page.split('id="agenda-link">')[1].split("<")[0]
    assert url.startswith("http://localhost/agenda/") and url.endswith(".ics")
    webcal = page.split('id="agenda-webcal" href="')[1].split('"')[0]
    assert webcal == "webcal://" + url.removeprefix("http://")
    for words in ("iPhone", "Abonneer", "Voeg agenda-abonnement toe", "Android", "Via URL",
                  "niet importeren"):
        assert words in page, words
