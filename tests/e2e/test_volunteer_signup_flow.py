"""A volunteer signs up on the public page and is put on the map by the gazetteer; the coordinator
approves her and records her VOG, takes a request by phone for a neighbour, and proposes her for
it. A second volunteer whose address nobody knows gets her pin by a click on her page's map.
axe-core checks the person's page with its map."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coop import demo
from coop.core.clock import local_now
from tests.e2e.helpers import axe_check, login

pytestmark = pytest.mark.e2e
COORDINATOR = "coordinator@austerlitz.demo"
PASSWORD = "koffie met appeltaart"


def _sign_up(page, live_server, first, last, email, street, number, postcode):
    # Other browser tests add villages (one also named Austerlitz): ask for the demo village.
    page.goto(f"{live_server.url}/aanmelden?dorp={demo.SLUG}")
    page.get_by_label("vrijwilliger: ik wil graag helpen").check()
    page.get_by_label("Voornaam").fill(first)
    page.get_by_label("Achternaam").fill(last)
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Telefoonnummer").fill("06 12345678")
    page.get_by_label("Straat").fill(street)
    page.get_by_label("Huisnummer").fill(number)
    page.get_by_label("Postcode").fill(postcode)
    page.get_by_label("Hulp bij post en formulieren").check()
    page.get_by_label("Hoe ver wilt u hiervoor gaan? (km, voor vrijwilligers)").fill("1")
    page.get_by_label("Nieuw wachtwoord").fill(PASSWORD)
    page.get_by_label("Herhaal het wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_text("Dank u wel voor uw aanmelding als vrijwilliger!")).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()


def _place_of(live_server, email):
    from sqlalchemy import select

    from coop.core.models import User
    from coop.extensions import db
    with live_server.app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        place = (user.lat, user.lon)
        db.session.remove()
    return place


def test_volunteer_signs_up_is_geocoded_approved_and_proposed(live_server, browser_page):
    page = browser_page
    email = "wilma.visser@voorbeeld.e2e"
    _sign_up(page, live_server, "Wilma", "Visser", email, "Dorpsstraat", "5", "3712 AA")
    assert _place_of(live_server, email) == (52.075097, 5.314544)  # from the demo's gazetteer

    login(page, live_server, COORDINATOR, demo.PASSWORD)
    page.get_by_role("link", name="Wilma Visser").click()
    expect(page.get_by_test_id("place-status")).to_have_text(re.compile("Wilma staat op de kaart"))
    expect(page.locator(".coop-map .coop-pin--focus")).to_be_visible()
    assert axe_check(page) == []
    page.get_by_role("button", name="Goedkeuren als vrijwilliger").click()
    expect(page.get_by_text("Wilma Visser is goedgekeurd als vrijwilliger.")).to_be_visible()
    page.get_by_role("link", name="VOG en bevoegdheden vastleggen").click()
    page.get_by_label("Datum van de VOG").fill(local_now().date().isoformat())
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_text("De gegevens zijn opgeslagen.")).to_be_visible()
    expect(page.get_by_test_id("history")).to_contain_text("goedgekeurd als vrijwilliger")

    # A neighbour calls: recorded on the spot (her address is in the gazetteer too).
    page.goto(f"{live_server.url}/hulpvragen/namens")
    page.get_by_label("Voornaam").fill("Door")
    page.get_by_label("Achternaam").fill("de Buurvrouw")
    page.get_by_label("Straat", exact=True).fill("Dorpsstraat")
    page.get_by_label("Huisnummer").fill("7")
    page.get_by_label("Postcode", exact=True).fill("3712 AA")
    page.get_by_role("button", name="Vastleggen en verder").click()
    page.get_by_label("Waarmee wilt u hulp?").select_option(label="Hulp bij post en formulieren")
    page.get_by_label("Wat is er nodig?").fill("Wie helpt met de brief van de belasting?")
    page.get_by_label("Het maakt niet uit wanneer (flexibel)").check()
    page.get_by_role("button", name="Hulpvraag opslaan").click()
    request_id = re.search(r"/hulpvragen/(\d+)/verstuurd", page.url).group(1)
    page.goto(f"{live_server.url}/hulpvragen/{request_id}")
    page.get_by_role("button", name="Helper zoeken").click()
    page.get_by_role("link", name="Helper zoeken op de kaart").click()
    page.wait_for_url(re.compile(rf"/hulpvragen/{request_id}/koppelen$"))

    # No "Adres opzoeken" needed: the request stands on the map, Wilma among the candidates.
    assert page.get_by_role("button", name="Adres opzoeken").count() == 0
    candidates = page.get_by_test_id("candidates")
    wilma = candidates.locator(".govuk-radios__item", has_text="Wilma Visser")
    expect(wilma).to_contain_text("0,0 km")
    assert candidates.locator("input[name=helper_id]:checked").count() == 0  # nobody preselected
    wilma.locator("input[name=helper_id]").check()
    page.get_by_role("button", name="Voorstellen").click()
    expect(page.get_by_text("Het voorstel is naar Wilma gestuurd.")).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()

    login(page, live_server, email, PASSWORD)
    expect(page.get_by_role("link", name=re.compile("Hulp bij post en formulieren")).first).to_be_visible()


def test_unknown_address_gets_its_pin_by_a_click_on_the_map(live_server, browser_page):
    page = browser_page
    email = "henk.onbekend@voorbeeld.e2e"
    _sign_up(page, live_server, "Henk", "Nergens", email, "Nieuwbouwlaan", "1", "3712 ZZ")
    assert _place_of(live_server, email) == (None, None)

    login(page, live_server, COORDINATOR, demo.PASSWORD)
    not_on_map = page.get_by_test_id("not-on-map")
    expect(not_on_map).to_contain_text("Nog niet op de kaart")
    not_on_map.get_by_role("link", name="Henk Nergens").click()
    expect(page.get_by_test_id("place-status")).to_contain_text("Nog niet op de kaart.")
    page.locator(".coop-map .leaflet-container").click(position={"x": 200, "y": 150})
    assert page.get_by_label("Breedtegraad").input_value() != ""
    page.get_by_role("button", name="Plek opslaan").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Henk staat op de kaart.")
    expect(page.get_by_test_id("place-status")).to_contain_text("Henk staat op de kaart.")
    lat, lon = _place_of(live_server, email)
    assert 50.7 <= lat <= 53.6 and 3.3 <= lon <= 7.3
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("link", name="Henk Nergens")).to_have_count(1)  # still a new volunteer
    expect(page.get_by_test_id("not-on-map").get_by_role("link", name="Henk Nergens")).to_have_count(0)
