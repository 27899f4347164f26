"""One's own account in headless Chromium: the password typed again, a new password, and
"Overal uitloggen", each page checked with axe."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from coop.core import roles as R
from coop.extensions import db
from tests.conftest import PASSWORD, Factory
from tests.e2e.helpers import axe_check, login

pytestmark = pytest.mark.e2e


def _resident(app) -> str:
    with app.app_context():
        make = Factory(db.session)
        make._n = 9500  # the live database is shared by the whole session
        village = make.village(name="Austerlitz")
        email = make.user(village, R.RESIDENT, first_name="Bep", last_name="Jansen").email
        db.session.commit()
        return email


def test_a_resident_changes_the_password_then_logs_out_everywhere(live_server, browser_page):
    email = _resident(live_server.app)
    page = browser_page
    login(page, live_server, email, PASSWORD)
    page.get_by_role("link", name="Mijn gegevens").first.click()
    expect(page.get_by_role("heading", name="Waar bent u ingelogd?")).to_be_visible()
    assert axe_check(page) == []
    page.get_by_role("link", name="Wachtwoord wijzigen").click()
    expect(page.get_by_role("heading", name="Bevestig dat u het bent")).to_be_visible()
    assert axe_check(page) == []
    page.get_by_label("Uw wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Doorgaan").click()
    expect(page.get_by_role("heading", name="Wachtwoord wijzigen")).to_be_visible()
    page.get_by_label("Nieuw wachtwoord").fill("bepjansen")
    page.get_by_label("Herhaal het wachtwoord").fill("bepjansen")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("het lijkt op uw naam")
    assert axe_check(page) == []
    page.get_by_label("Nieuw wachtwoord").fill("de fiets staat achter de schuur")
    page.get_by_label("Herhaal het wachtwoord").fill("de fiets staat achter de schuur")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Uw nieuwe wachtwoord is opgeslagen.")).to_be_visible()
    page.get_by_role("button", name="Overal uitloggen").click()
    expect(page.get_by_text("U bent overal uitgelogd")).to_be_visible()
    login(page, live_server, email, "de fiets staat achter de schuur")
