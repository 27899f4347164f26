"""In Chromium: the coordinator proposes version 2, the gemeente comments on a row and asks
for changes, the coordinator revises the row and proposes again, both sign, and versions 1
and 2 are compared.

Uses the lead's contract: `live_server` (.url, .app), `browser_page` (Playwright Page),
`login` and `axe_check` from tests.e2e.helpers.
"""
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import axe_check, login

PASSWORD = "een-lang-wachtwoord-e2e"


def _people_and_agreement(app):
    from coop.agreements import service
    from coop.auth.passwords import hash_password
    from coop.core import roles as R
    from coop.core.models import Municipality, User, Village
    from coop.extensions import db
    with app.app_context():
        village = Village(name="Austerlitz", slug="austerlitz-e2e-agreements",
                          cooperative_name="Zorgcoöperatie Austerlitz",
                          municipality=Municipality(name="Gemeente Zeist e2e"), centre_lat=52.08, centre_lon=5.31,
                          coordinator_phone="+31343123456")
        coordinator = User(village=village, first_name="Marieke", last_name="van Dam",
                           email="coord-agreements@e2e.test", password_hash=hash_password(PASSWORD))
        coordinator.add_role(R.COORDINATOR)
        gemeente = User(village=village, first_name="Ahmed", last_name="El Amrani",
                        email="gemeente-agreements@e2e.test", password_hash=hash_password(PASSWORD))
        gemeente.add_role(R.MUNICIPALITY)
        db.session.add_all([village, coordinator, gemeente])
        db.session.flush()
        agreement = service.create_agreement(
            village, by=coordinator, title="Afspraken Austerlitz en Zeist", starts_on=date(2026, 1, 1),
            ends_on=date(2026, 12, 31), review_on=date(2026, 7, 1))
        db.session.flush()
        version = agreement.latest
        service.propose(version, by=coordinator)
        service.sign(version, by=coordinator, name="Marieke van Dam")
        service.sign(version, by=gemeente, name="Ahmed El Amrani")
        db.session.commit()
        return agreement.id, coordinator.email, gemeente.email


def _logout(page):
    page.get_by_role("button", name="Uitloggen").click()


@pytest.mark.e2e
def test_propose_comment_revise_sign_and_compare(live_server, browser_page):
    page = browser_page
    agreement_id, coordinator, gemeente = _people_and_agreement(live_server.app)
    url = f"{live_server.url}/afspraken/{agreement_id}"

    # The coordinator starts version 2 and proposes it.
    login(page, live_server, coordinator, PASSWORD)
    page.goto(url)
    page.get_by_role("button", name="Nieuwe versie beginnen").click()
    page.get_by_role("button", name="Voorstellen aan de gemeente").click()
    assert "voorgesteld" in page.locator(".govuk-caption-l").inner_text()
    _logout(page)

    # The gemeente comments on the meals row and asks for changes.
    login(page, live_server, gemeente, PASSWORD)
    page.goto(url)
    assert axe_check(page) == []
    page.get_by_label("Bij welk onderwerp?").select_option(label="Maaltijden")
    page.get_by_label("Uw opmerking").fill("Wie betaalt de maaltijden aan huis?")
    page.get_by_role("button", name="Opmerking plaatsen").click()
    expect(page.get_by_text("Wie betaalt de maaltijden aan huis?")).to_be_visible()
    page.get_by_role("button", name="Wijzigingen vragen").click()
    _logout(page)

    # The coordinator revises the row and proposes again, and signs.
    login(page, live_server, coordinator, PASSWORD)
    page.goto(url)
    page.locator("#rij-meals").get_by_role("link", name="Wijzigen").click()
    page.get_by_label("Rol van vrijwilligers van de coöperatie").select_option("does")
    page.get_by_label("Toelichting bij vrijwilligers van de coöperatie").fill("eettafel en thuisbrengen")
    page.get_by_label("Financiering").fill("eigen bijdrage, tekort uit subsidie")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("button", name="Voorstellen aan de gemeente").click()
    page.get_by_label("Uw naam zoals u tekent").fill("Marieke van Dam")
    page.get_by_role("button", name="Tekenen voor de coöperatie").click()
    _logout(page)

    # The gemeente signs: version 2 is agreed.
    login(page, live_server, gemeente, PASSWORD)
    page.goto(url)
    page.get_by_label("Uw naam zoals u tekent").fill("Ahmed El Amrani")
    page.get_by_role("button", name="Tekenen voor de gemeente").click()
    assert "afgesproken" in page.locator(".govuk-caption-l").inner_text()

    # Versions 1 and 2 side by side, the change marked.
    page.get_by_role("link", name="Versies vergelijken").click()
    expect(page.get_by_role("heading", name="Versie 1 en versie 2 naast elkaar")).to_be_visible()
    meals = page.locator("section", has=page.get_by_role("heading", name="Maaltijden"))
    assert "gewijzigd" in meals.inner_text()
    assert meals.locator("mark", has_text="eettafel en thuisbrengen").count() == 1
    assert axe_check(page) == []
