from playwright.sync_api import expect

from coop import demo
from tests.e2e.helpers import axe_check, login


def test_coordinator_logs_in_and_reaches_own_home(live_server, browser_page):
    page = browser_page
    login(page, live_server, "coordinator@austerlitz.demo", demo.PASSWORD)
    expect(page.get_by_role("heading", name="Goedendag, Marieke")).to_be_visible()
    expect(page.get_by_role("link", name="Mensen")).to_be_visible()
    assert axe_check(page) == []


def test_login_page_is_accessible_and_shows_errors_in_a_summary(live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/inloggen")
    assert axe_check(page) == []
    page.get_by_role("button", name="Inloggen").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Vul uw e-mailadres in." in summary.inner_text()
    # The summary links to the field it is about.
    summary.get_by_role("link", name="Vul uw e-mailadres in.").click()
    assert page.evaluate("document.activeElement.id") == "email"
    assert axe_check(page) == []


def test_body_text_is_at_least_18px_on_a_phone(live_server, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/")
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.govuk-body')).fontSize)")
    assert size >= 18
