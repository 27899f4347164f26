"""The coordinator matches on the map: opens a searching request, sees the map with its markers
(tiles unreachable, as offline) and the ranked candidates with reasons, proposes; the helper logs
in and accepts; the request is matched. axe-core checks the match page and the village map."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from coop import demo
from tests.e2e.helpers import axe_check, login

pytestmark = pytest.mark.e2e
COORDINATOR = "coordinator@austerlitz.demo"
DESCRIPTION = "Wie haalt brood? <script>alert(1)</script>"


@pytest.fixture
def searching_request(live_server):
    """A fresh searching shopping request of a demo resident who lives on the map."""
    from sqlalchemy import select

    from coop.core.models import TaskCategory, User, Village
    from coop.extensions import db
    from coop.requests import service
    from coop.requests.models import HelpRequest

    with live_server.app.app_context():
        village = db.session.scalar(select(Village).where(Village.slug == "austerlitz"))
        coordinator = db.session.scalar(select(User).where(User.email == COORDINATOR))
        category = db.session.scalar(select(TaskCategory).where(TaskCategory.village_id == village.id,
                                                                TaskCategory.code == "boodschappen"))
        resident = db.session.scalar(select(User).where(User.village_id == village.id, User.lat.is_not(None),
                                                        User.email.like("inwoner%")).order_by(User.id))
        req = HelpRequest(village_id=village.id, resident=resident, category=category, description=DESCRIPTION,
                          urgency="week", flexible=True, street=resident.street, house_number=resident.house_number,
                          postcode=resident.postcode, place=resident.place, lat=resident.lat, lon=resident.lon,
                          consent_contact=True, entered_by_id=coordinator.id, channel="phone")
        db.session.add(req)
        db.session.flush()
        service.start_intake(req, by=coordinator)
        service.start_search(req, by=coordinator)
        db.session.commit()
        yield req.id
        db.session.remove()


def _email_of(live_server, helper_id: int) -> str:
    from coop.core.models import User
    from coop.extensions import db
    with live_server.app.app_context():
        email = db.session.get(User, helper_id).email
        db.session.remove()
    return email


def _status_of(live_server, request_id: int) -> str:
    from coop.extensions import db
    from coop.requests.models import HelpRequest
    with live_server.app.app_context():
        status = db.session.get(HelpRequest, request_id).status
        db.session.remove()
    return status


def _offline_tiles(page, live_server) -> list[str]:
    """Tiles cannot be fetched here (no network), as in a village hall with the net down.

    Returns the tile addresses that failed to load (filled in as the page runs). The
    browser fixture does not count failed loads without an HTTP answer as page errors.
    """
    tile_host = urlsplit(live_server.app.config["TILE_URL"]).hostname
    failed: list[str] = []
    page.on("requestfailed",
            lambda request: failed.append(request.url) if urlsplit(request.url).hostname == tile_host else None)
    return failed


def _markers(page):
    """Leaflet marker and cluster icons that are actually drawn on the map."""
    return page.locator(".coop-map .leaflet-marker-pane .leaflet-marker-icon")


def test_coordinator_proposes_on_the_map_and_the_volunteer_accepts(live_server, browser_page, searching_request):
    page = browser_page
    failed_tiles = _offline_tiles(page, live_server)
    login(page, live_server, COORDINATOR, demo.PASSWORD)

    # From the request's own page to matching.
    page.goto(f"{live_server.url}/hulpvragen/{searching_request}")
    page.get_by_role("link", name="Helper zoeken op de kaart").click()
    page.wait_for_url(re.compile(rf"/hulpvragen/{searching_request}/koppelen$"))

    # The map draws its markers although no tile can be fetched here.
    markers = _markers(page)
    markers.first.wait_for(state="visible")
    assert markers.count() >= 2  # the request itself and at least one candidate
    expect(page.locator(".coop-map .coop-pin--focus")).to_be_visible()
    expect(page.locator(".coop-map .coop-pin--volunteer, .coop-map .coop-pin--professional").first).to_be_visible()
    expect(page.locator(".leaflet-control-attribution").get_by_role("link", name="OpenStreetMap")).to_be_visible()
    assert failed_tiles  # the tiles really were out of reach
    # The resident's text is shown as text, never run.
    assert page.get_by_test_id("description").inner_text() == DESCRIPTION
    # The map opens by zooming to the request and its candidates: a click during that zoom
    # lands where the pin was (on a busy machine it can still run here).
    page.wait_for_function("() => !document.querySelector('.coop-map .leaflet-zoom-anim')")
    page.locator(".coop-map .coop-pin--focus").click()
    assert DESCRIPTION in page.locator(".coop-popup").inner_text()

    # The ranked list shows its reasons in words; nobody is preselected: the best is chosen.
    candidates = page.get_by_test_id("candidates")
    first = candidates.locator(".govuk-radios__item").first
    assert re.search(r"\d+,\d km", first.locator(".coop-candidate-reasons").inner_text())
    helper_id = int(first.locator("input[name=helper_id]").get_attribute("value"))
    helper_name = first.locator("label strong").first.inner_text()
    assert not first.locator("input[name=helper_id]").is_checked()  # the coordinator chooses
    first.locator("input[name=helper_id]").check()
    assert axe_check(page) == []

    page.get_by_label("Notitie voor de helper (mag leeg)").fill("Zou u dit willen doen?")
    page.get_by_role("button", name="Voorstellen").click()
    # Same URL after the redirect: wait for the new page's message, not for navigation.
    expect(page.get_by_text(f"Het voorstel is naar {helper_name.split()[0]} gestuurd.")).to_be_visible()
    expect(page.locator("table.govuk-table")).to_contain_text("voorgesteld")
    page.get_by_role("button", name="Uitloggen").click()

    # The helper: the proposal waits on the home page; before accepting no full contact.
    login(page, live_server, _email_of(live_server, helper_id), demo.PASSWORD)
    page.get_by_role("link", name=re.compile("Boodschappen")).first.click()
    expect(page.locator("h1")).to_have_text("Wilt u helpen met boodschappen?")
    assert page.locator("dl.govuk-summary-list a[href^='tel:']").count() == 0
    page.get_by_role("button", name="Ja, ik help").click()
    expect(page.get_by_role("heading", name="U bent gekoppeld")).to_be_visible()
    assert page.locator("dl.govuk-summary-list a[href^='tel:']").count() == 1
    assert _status_of(live_server, searching_request) == "matched"


def test_village_map_shows_clustered_points_offline_and_is_accessible(live_server, browser_page):
    page = browser_page
    failed_tiles = _offline_tiles(page, live_server)
    login(page, live_server, COORDINATOR, demo.PASSWORD)
    page.goto(f"{live_server.url}/kaart")
    markers = _markers(page)
    markers.first.wait_for(state="visible")
    assert markers.count() >= 3
    assert failed_tiles
    # Both groups can be switched in the layer control.
    control = page.locator(".leaflet-control-layers")
    expect(control.get_by_text("Hulpvragen")).to_be_visible()
    expect(control.get_by_text("Helpers")).to_be_visible()
    assert axe_check(page) == []


def test_the_request_map_reads_at_a_glance(live_server, browser_page, searching_request):
    """Numbered candidates as in the list, every one of them in the first view, one radius at a
    time (the chosen helper's), a metric scale only, and on a phone a folded layer box."""
    page = browser_page
    _offline_tiles(page, live_server)
    login(page, live_server, COORDINATOR, demo.PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/hulpvragen/{searching_request}/koppelen")
    numbered = page.locator(".coop-map .coop-pin--numbered")
    numbered.first.wait_for(state="visible")
    items = page.get_by_test_id("candidates").locator(".govuk-radios__item")
    assert numbered.count() == items.count() >= 2
    assert sorted(int(n) for n in numbered.all_inner_texts()) == list(range(1, items.count() + 1))
    assert items.first.locator("label").inner_text().startswith("1. ")
    expect(page.locator(".coop-map-legend")).to_contain_text("deze hulpvraag")

    # Every candidate and the request itself lie inside the map's first view.
    frame = page.locator(".coop-map .leaflet-container").bounding_box()
    for box in [m.bounding_box() for m in numbered.all()] + [page.locator(".coop-map .coop-pin--focus").bounding_box()]:
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"]
        assert frame["y"] <= box["y"] and box["y"] + box["height"] <= frame["y"] + frame["height"]

    # No radius until a helper is chosen; then exactly theirs.
    circles = page.locator(".coop-map path.coop-radius")
    assert circles.count() == 0
    items.nth(1).locator("input[name=helper_id]").check()
    expect(circles).to_have_count(1)
    items.first.locator("input[name=helper_id]").check()
    expect(circles).to_have_count(1)

    scale = page.locator(".leaflet-control-scale")
    expect(scale.locator(".leaflet-control-scale-line")).to_have_count(1)
    assert re.search(r"\d+ k?m$", scale.inner_text().strip())
    assert "leaflet-control-layers-expanded" in page.locator(".leaflet-control-layers").get_attribute("class")

    page.set_viewport_size({"width": 375, "height": 667})
    page.reload()
    page.locator(".coop-map .coop-pin--numbered").first.wait_for(state="visible")
    layers = page.locator(".leaflet-control-layers")
    assert "leaflet-control-layers-expanded" not in (layers.get_attribute("class") or "")
    assert axe_check(page) == []
