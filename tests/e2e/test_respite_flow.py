"""A carer asks for weekly respite; the coordinator books a volunteer for the series and one
week clashes with the volunteer's day off; the volunteer sees the shifts in "Mijn rooster"."""
from __future__ import annotations

import re
from datetime import time, timedelta

import pytest

from tests.e2e.helpers import axe_check, login

pytestmark = pytest.mark.e2e
PASSWORD = "e2e-respijt-wachtwoord"


@pytest.fixture
def people(live_server):
    from coop.auth.passwords import hash_password
    from coop.core import roles as R
    from coop.core.clock import local_now, now
    from coop.core.models import TaskCategory, User, Village
    from coop.extensions import db
    from coop.people.models import Absence, VolunteerProfile, WeeklySlot
    from coop.respite import service

    with live_server.app.app_context():
        village = Village(name="Rustdorp", slug="rustdorp-e2e", cooperative_name="Zorgcoöperatie Rustdorp",
                          centre_lat=52.08, centre_lon=5.31, coordinator_phone="+31343123456")
        db.session.add(village)
        db.session.flush()
        company = TaskCategory(village_id=village.id, code="respijt", name="Respijt: gezelschap", rule="open")
        db.session.add(company)
        pw = hash_password(PASSWORD)

        def person(first, last, role, email, lat=52.08):
            user = User(village=village, first_name=first, last_name=last, email=email,
                        password_hash=pw if email else None, phone="+31612345678", street="Kerkweg",
                        house_number="3", postcode="3712 AB", place="Rustdorp", lat=lat, lon=5.31)
            user.add_role(role)
            db.session.add(user)
            return user
        carer = person("Truus", "Visser", R.CARER, "truus@rustdorp.e2e")
        cared_for = person("Piet", "Visser", R.RESIDENT, None)
        coordinator = person("Marieke", "van Dam", R.COORDINATOR, "marieke@rustdorp.e2e")
        volunteer = person("Kees", "Bakker", R.VOLUNTEER, "kees@rustdorp.e2e", lat=52.085)
        db.session.flush()
        db.session.add(VolunteerProfile(user=volunteer, max_hours_month=40,
                                        vog_date=local_now().date() - timedelta(days=30),
                                        volunteer_contract_signed_on=local_now().date(), approved_at=now(),
                                        categories=[company]))
        for day in range(7):
            db.session.add(WeeklySlot(user_id=volunteer.id, weekday=day, start=time(9, 0), end=time(18, 0)))
        service.save_carer_profile(carer, by=coordinator, care_recipient=cared_for, relationship_label="partner",
                                   routines="Koffie om drie uur.")
        first = local_now().date() + timedelta(days=7)
        db.session.add(Absence(user_id=volunteer.id, starts_on=first + timedelta(weeks=1),
                               ends_on=first + timedelta(weeks=1), note="naar de tandarts"))
        db.session.commit()
        return {"carer": carer.email, "coordinator": coordinator.email, "volunteer": volunteer.email,
                "first": first, "today": local_now().date()}


def _date_boxes(page, name: str, day) -> None:
    """A date typed as people do on this form: day, month and year in their own boxes."""
    group = page.locator(f"fieldset#{name}")
    group.get_by_label("Dag").fill(str(day.day))
    group.get_by_label("Maand").fill(str(day.month))
    group.get_by_label("Jaar").fill(str(day.year))


def test_weekly_respite_from_request_to_roster(live_server, browser_page, people):
    page = browser_page
    first = people["first"]

    login(page, live_server, people["carer"], PASSWORD)
    page.get_by_role("link", name="Mijn respijt").first.click()
    page.get_by_role("link", name="Respijt aanvragen").click()
    assert axe_check(page) == []
    _date_boxes(page, "first_date", first)
    page.get_by_label("Van").fill("14:00")
    page.get_by_label("Tot", exact=True).fill("17:00")
    page.get_by_label("Elke week").check()
    _date_boxes(page, "until", first + timedelta(weeks=3))
    page.get_by_role("button", name="Aanvraag versturen").click()
    assert "4 keren" in page.locator(".govuk-notification-banner").inner_text()
    page.get_by_role("link", name="Aanpassen").click()  # what the volunteer must know, in the carer's words
    assert axe_check(page) == []
    page.get_by_label("Wie bellen bij nood (naam en nummer)").fill("Dochter Anja 06-12345678")
    page.get_by_role("button", name="Opslaan").click()
    assert "Dochter Anja 06-12345678" in page.locator("[data-testid=notes]").inner_text()
    page.get_by_role("button", name="Uitloggen").click()

    login(page, live_server, people["coordinator"], PASSWORD)
    page.get_by_role("link", name="Respijt", exact=True).click()
    page.get_by_role("link", name="Truus Visser").first.click()
    reasons = page.locator("[data-testid=candidates]").inner_text()  # matching's words
    assert re.search(r"km · kan \w\w 14:00–17:00 · 0 van 40 uur deze maand", reasons)
    page.get_by_label("Vrijwilliger").select_option(label="Kees Bakker")
    page.get_by_role("button", name="Inroosteren").click()
    assert "ingeroosterd voor 3 keren" in page.locator(".govuk-notification-banner").inner_text()
    clash = page.locator("#botsingen").inner_text()
    assert "1 keer kon niet" in clash and "naar de tandarts" in clash
    assert axe_check(page) == []
    page.get_by_role("button", name="Uitloggen").click()

    login(page, live_server, people["volunteer"], PASSWORD)
    page.get_by_role("link", name="Mijn rooster").first.click()
    shifts = page.locator("section.coop-panel h2").all_inner_texts()
    # The roster shows one month at a time: follow "Volgende maand" to the series' last month.
    last, shown = first + timedelta(weeks=3), people["today"]
    while (shown.year, shown.month) < (last.year, last.month):
        page.get_by_role("link", name=re.compile("Volgende maand")).first.click()
        shifts += page.locator("section.coop-panel h2").all_inner_texts()
        shown = (shown.replace(day=1) + timedelta(days=32)).replace(day=1)
    assert len([s for s in shifts if "14:00–17:00" in s]) == 3
    # The number in the carer's own words is a link that dials it.
    assert "Koffie om drie uur." in page.content() and "Dochter Anja 06-12345678" in page.locator("main").text_content()
    assert page.locator('a[href="tel:+31612345678"]', has_text="06-12345678").count() >= 1
    assert axe_check(page) == []
