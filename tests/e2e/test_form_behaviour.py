"""In a real browser: the request form shows an option's fields only while it is chosen, and a
submit button pressed twice sends the form once, saying "Bezig…" meanwhile."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import login

pytestmark = pytest.mark.e2e
PASSWORD = "e2e-formulier-wachtwoord"


@pytest.fixture
def resident(live_server):
    """A resident who logs in, in a village with one kind of help; a fresh e-mail per test."""
    import secrets

    from coop.auth.passwords import hash_password
    from coop.core import roles as R
    from coop.core.models import TaskCategory, User, Village
    from coop.extensions import db

    tag = secrets.token_hex(4)
    with live_server.app.app_context():
        village = Village(name="Formdorp", slug=f"formdorp-{tag}", cooperative_name="Zorgcoöperatie Formdorp",
                          centre_lat=52.08, centre_lon=5.31, coordinator_phone="+31343123456")
        db.session.add(village)
        db.session.flush()
        db.session.add(TaskCategory(village_id=village.id, code="boodschappen", name="Boodschappen", rule="open"))
        user = User(village=village, first_name="Bep", last_name="Jansen", email=f"bep-{tag}@formdorp.e2e",
                    password_hash=hash_password(PASSWORD), phone="+31612345678", street="Kerkweg",
                    house_number="3", postcode="3712 AB", place="Formdorp")
        user.add_role(R.RESIDENT)
        db.session.add(user)
        db.session.commit()
        return user.email


def test_conditional_reveal_and_double_click(live_server, browser_page, resident):
    page = browser_page
    login(page, live_server, resident, PASSWORD)
    page.goto(f"{live_server.url}/hulp-vragen")

    # Own address is chosen: the other address's fields are out of sight until chosen.
    street = page.get_by_label("Straat", exact=True)
    assert not street.is_visible()
    page.get_by_label("Op een ander adres").check()
    assert street.is_visible()
    page.get_by_label("Op het eigen adres").check()
    assert not street.is_visible()

    # "On a day" shows the parts of the day; "between two times" shows the times instead.
    morning, start = page.get_by_label("ochtend", exact=True), page.get_by_label("Van", exact=True)
    assert morning.is_visible() and not start.is_visible()
    page.get_by_label("Op een dag, tussen twee tijden").check()
    assert start.is_visible() and not morning.is_visible()
    assert page.get_by_label("Op een dag, tussen twee tijden").get_attribute("aria-controls") == "conditional-when-1"

    page.get_by_label("Waarmee wilt u hulp?").select_option(label="Boodschappen")
    page.get_by_label("Wat is er nodig?").fill("Wie haalt zaterdag mijn boodschappen?")
    page.get_by_label("Het maakt niet uit wanneer (flexibel)").check()
    page.get_by_label("geen haast").check()

    posts = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
    button = page.get_by_role("button", name="Hulpvraag versturen")
    with page.expect_navigation():
        button.dblclick()
    assert "Uw hulpvraag is verstuurd" in page.locator("h1").inner_text()
    assert len(posts) == 1


def test_the_button_says_busy_and_is_disabled_while_sending(live_server, browser_page, resident):
    page = browser_page
    login(page, live_server, resident, PASSWORD)
    page.goto(f"{live_server.url}/hulp-vragen")
    # Keep the form from leaving the page so the button's state can be read.
    page.evaluate("""() => document.querySelector('form:has(#description)').addEventListener(
        'submit', (e) => e.preventDefault())""")
    button = page.get_by_role("button", name="Hulpvraag versturen")
    button.click()
    after = page.locator("form:has(#description) button[type=submit]")
    expect(after).to_be_disabled()
    assert after.inner_text() == "Bezig…" and after.get_attribute("aria-disabled") == "true"
