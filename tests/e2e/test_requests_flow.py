"""A resident asks for help; the coordinator finds it on top of the inbox, records the
Schijf van Vijf and refers a municipal request. axe-core checks the three main pages."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.e2e.helpers import axe_check, login

pytestmark = pytest.mark.e2e
PASSWORD = "e2e-hulpvragen-wachtwoord"


@pytest.fixture
def people(live_server):
    """A village with a resident who logs in, a coordinator and a waiting housing request."""
    from coop.auth.passwords import hash_password
    from coop.core import roles as R
    from coop.core.clock import now
    from coop.core.models import ReferralDestination, TaskCategory, User, Village
    from coop.extensions import db
    from coop.requests.models import HelpRequest

    with live_server.app.app_context():
        village = Village(name="Hulpdorp", slug="hulpdorp-e2e", cooperative_name="Zorgcoöperatie Hulpdorp",
                          centre_lat=52.08, centre_lon=5.31, coordinator_phone="+31343123456")
        db.session.add(village)
        db.session.flush()
        cats = {code: TaskCategory(village_id=village.id, code=code, name=name, rule=rule, sort_order=i)
                for i, (code, name, rule) in enumerate([
                    ("boodschappen", "Boodschappen", "open"), ("vervoer", "Vervoer", "open"),
                    ("woningaanpassing", "Woningaanpassing (Wmo)", "municipal")])}
        db.session.add_all(cats.values())
        db.session.add(ReferralDestination(village_id=village.id, name="Wmo-loket gemeente Zeist"))
        pw = hash_password(PASSWORD)

        def person(first, last, role, email):
            user = User(village=village, first_name=first, last_name=last, email=email, password_hash=pw,
                        phone="+31612345678", street="Kerkweg", house_number="3", postcode="3712 AB",
                        place="Hulpdorp")
            user.add_role(role)
            db.session.add(user)
            return user
        resident = person("Bep", "Jansen", R.RESIDENT, "bep@hulpdorp.e2e")
        coordinator = person("Marieke", "van Dam", R.COORDINATOR, "marieke@hulpdorp.e2e")
        neighbour = person("Kees", "Smit", R.RESIDENT, None)
        db.session.flush()
        # Two older requests that are less urgent, one of them for the gemeente.
        for category, urgency, days in ((cats["vervoer"], "week", 6), (cats["woningaanpassing"], "no_rush", 9)):
            db.session.add(HelpRequest(village_id=village.id, resident=neighbour, category=category,
                                       description=f"{category.name} voor Kees", urgency=urgency, flexible=True,
                                       street="Kerkweg", house_number="9", place="Hulpdorp",
                                       entered_by_id=coordinator.id, channel="phone",
                                       created_at=now() - timedelta(days=days)))
        db.session.commit()
        return {"resident": resident.email, "coordinator": coordinator.email}


def test_resident_posts_coordinator_triages_and_refers(live_server, browser_page, people):
    page = browser_page
    login(page, live_server, people["resident"], PASSWORD)
    page.goto(f"{live_server.url}/hulp-vragen")
    assert axe_check(page) == []

    # First an empty description: the summary at the top links to the field.
    page.get_by_label("Wat is er nodig?").fill("")
    page.get_by_role("button", name="Hulpvraag versturen").click()
    summary = page.locator(".govuk-error-summary")
    assert "Schrijf in een paar woorden" in summary.inner_text()
    assert axe_check(page) == []
    summary.get_by_role("link", name=re.compile("Schrijf in een paar woorden")).click()
    assert page.evaluate("document.activeElement.id") == "description"

    # Now properly, with the keyboard where it matters.
    page.get_by_label("Waarmee wilt u hulp?").select_option(label="Boodschappen")
    page.get_by_label("Wat is er nodig?").fill("Wie haalt vandaag mijn medicijnen en brood?")
    page.get_by_label("Het maakt niet uit wanneer (flexibel)").check()
    page.get_by_label("vandaag", exact=True).focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Hulpvraag versturen").click()
    assert "Uw hulpvraag is verstuurd" in page.locator("h1").inner_text()
    assert "0343 123 456" in page.content()
    page.get_by_role("button", name="Uitloggen").click()

    # The coordinator: the new request is on top of the inbox.
    login(page, live_server, people["coordinator"], PASSWORD)
    page.goto(f"{live_server.url}/hulpvragen")
    assert axe_check(page) == []
    first_row = page.locator("table.coop-inbox tbody tr").first
    assert "Bep Jansen" in first_row.inner_text() and "vandaag" in first_row.inner_text()
    first_row.get_by_role("link", name="Bep Jansen").click()
    assert "Boodschappen voor Bep Jansen" in page.locator("h1").inner_text()
    assert axe_check(page) == []

    # Schijf van Vijf.
    page.get_by_role("link", name="Schijf van Vijf invullen").click()
    page.get_by_label("1. Wat kan de inwoner zelf nog?").fill("Zelf de boodschappenlijst maken")
    page.get_by_label("Wie neemt dit op zich? (vraag 1)").select_option("resident")
    page.get_by_label("3. Wat kunnen familie of de mantelzorger doen?").fill("Zoon haalt op zaterdag")
    page.get_by_label("Wie neemt dit op zich? (vraag 3)").select_option("family")
    page.get_by_role("button", name="Opslaan").click()
    split = page.locator("table", has_text="Wie doet wat")
    assert "Zelf de boodschappenlijst maken" in split.inner_text() and "familie en netwerk" in split.inner_text()
    page.get_by_role("button", name="Helper zoeken").click()
    assert "zoekt helper" in page.locator(".coop-status").first.inner_text()

    # Refer the municipal request.
    page.goto(f"{live_server.url}/hulpvragen")
    page.locator("table.coop-inbox tbody tr", has_text="Woningaanpassing").get_by_role("link").click()
    assert "Dit hoort bij de gemeente" in page.content()
    assert page.get_by_role("button", name="Helper zoeken").count() == 0
    page.get_by_role("link", name="Doorverwijzen").click()
    page.get_by_label("Naar wie verwijst u door?").select_option(label="Wmo-loket gemeente Zeist")
    page.get_by_label("Waarom?").fill("Traplift vraagt een Wmo-indicatie")
    page.get_by_role("button", name="Doorverwijzen").click()
    assert "doorverwezen" in page.locator(".coop-status").first.inner_text()
    assert "Wmo-loket gemeente Zeist: Traplift vraagt een Wmo-indicatie" in page.content()
