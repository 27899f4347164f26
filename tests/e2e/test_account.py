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


def test_a_resident_sets_up_two_step_login_and_logs_in_with_the_app_s_code(live_server, browser_page):
    """The QR page and the code page at phone width, with axe; the code is made by the test's
    own RFC 6238 reader from the key shown on the page."""
    from coop.core.clock import now
    from tests.auth.test_two_step import totp
    with live_server.app.app_context():
        make = Factory(db.session)
        make._n = 9600
        village = make.village(name="Austerlitz")
        email = make.user(village, R.RESIDENT, first_name="Truus", last_name="Bakker").email
        db.session.commit()
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 800})
    login(page, live_server, email, PASSWORD)
    page.goto(live_server.url + "/mijn-gegevens")
    page.get_by_role("link", name="Tweestapsverificatie: instellen").click()
    page.get_by_role("button", name="Beginnen").click()
    expect(page.get_by_role("img", name="QR-code voor uw app")).to_be_visible()
    assert axe_check(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    secret = page.locator("main code").inner_text().replace(" ", "")
    page.get_by_label("Code uit uw app").fill(totp(secret, now().timestamp()))
    page.get_by_role("button", name="Aanzetten").click()
    expect(page.get_by_role("heading", name="De tweestapsverificatie staat aan")).to_be_visible()
    assert page.locator("main ol code").count() == 10
    spare = page.locator("main ol code").first.inner_text()
    assert axe_check(page) == []
    page.get_by_role("link", name="Ik heb ze bewaard").click()
    page.context.clear_cookies()  # a new day, a new login
    page.goto(live_server.url + "/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Code uit uw app")).to_be_visible()
    assert axe_check(page) == []
    page.get_by_label("Code uit uw app").fill("000000")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Deze code klopt niet")
    # The set-up code's 30 seconds may not be over yet: a recovery code does not wait for the clock.
    page.get_by_role("link", name="Telefoon niet bij de hand? Gebruik een herstelcode").click()
    expect(page.get_by_role("heading", name="Herstelcode")).to_be_visible()
    page.get_by_label("Herstelcode").fill(spare)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_text("U bent ingelogd met een herstelcode. U heeft er nog 9.")).to_be_visible()
