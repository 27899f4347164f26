"""A resident signs up for a shared meal with a lift, in the browser; the coordinator finds the
lift as a hulpvraag in the inbox and on the activity's page. axe-core checks the pages."""
from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

import pytest

from tests.e2e.helpers import axe_check, login

pytestmark = pytest.mark.e2e
PASSWORD = "e2e-activiteiten-wachtwoord"


@pytest.fixture
def meal(live_server):
    """A village with a resident who logs in, a coordinator, and Austerlitz Eet next week."""
    from coop.activities import service
    from coop.auth.passwords import hash_password
    from coop.core import roles as R
    from coop.core.clock import local_now
    from coop.core.models import TaskCategory, User, Village
    from coop.extensions import db

    with live_server.app.app_context():
        village = Village(name="Eetdorp", slug="eetdorp-e2e", cooperative_name="Zorgcoöperatie Eetdorp",
                          centre_lat=52.08, centre_lon=5.31, coordinator_phone="+31343123456")
        db.session.add(village)
        db.session.flush()
        db.session.add(TaskCategory(village_id=village.id, code="vervoer", name="Vervoer naar arts of ziekenhuis",
                                    rule="open"))
        pw = hash_password(PASSWORD)

        def person(first, last, role, email):
            user = User(village=village, first_name=first, last_name=last, email=email, password_hash=pw,
                        phone="+31612345678", street="Kerkweg", house_number="3", postcode="3712 AB",
                        place="Eetdorp")
            user.add_role(role)
            db.session.add(user)
            return user
        resident = person("Bep", "Jansen", R.RESIDENT, "bep@eetdorp.e2e")
        coordinator = person("Marieke", "van Dam", R.COORDINATOR, "marieke@eetdorp.e2e")
        db.session.flush()
        activity = service.create(village.id, service.ActivityInput(
            kind="meal", title="Austerlitz Eet", on_date=local_now().date() + timedelta(days=6),
            start_time=time(17, 30), end_time=time(19, 30), venue="Dorpshuis De Kapel", street="Dorpsstraat",
            house_number="12", place="Eetdorp", capacity=8, cost=Decimal("7.50"),
            description="Soep, stamppot en vla."), by=coordinator)
        db.session.commit()
        return {"resident": resident.email, "coordinator": coordinator.email, "activity": activity.id}


def test_resident_signs_up_for_a_meal_with_a_lift_and_the_coordinator_sees_the_lift(live_server, browser_page,
                                                                                   meal):
    page = browser_page
    login(page, live_server, meal["resident"], PASSWORD)
    page.get_by_role("link", name="Bekijk de activiteiten").click()
    assert page.locator("h1").inner_text() == "Activiteiten"
    assert axe_check(page) == []
    page.get_by_role("link", name="Austerlitz Eet").click()
    assert axe_check(page) == []
    page.get_by_label("Ik wil graag opgehaald worden").check()
    page.get_by_label("Eet u iets niet, of heeft u een dieet? (niet verplicht)").fill("zoutarm")
    page.get_by_role("button", name="Aanmelden").click()
    assert "U bent aangemeld. De lift is aangevraagd." in page.content()
    assert "Uw lift: nieuw" in page.content()
    assert axe_check(page) == []
    page.get_by_role("button", name="Uitloggen").click()

    # The coordinator: the lift is a hulpvraag in the inbox, and on the activity's page.
    login(page, live_server, meal["coordinator"], PASSWORD)
    page.goto(f"{live_server.url}/hulpvragen")
    row = page.locator("table.coop-inbox tbody tr", has_text="Bep Jansen")
    assert "Vervoer naar arts of ziekenhuis" in row.inner_text()
    row.get_by_role("link", name="Bep Jansen").click()
    assert "Ophalen voor Austerlitz Eet" in page.content()
    page.goto(f"{live_server.url}/activiteiten/{meal['activity']}")
    assert axe_check(page) == []
    signed = page.locator("table tbody tr", has_text="Bep Jansen")
    assert "nieuw" in signed.inner_text() and "zoutarm" in signed.inner_text()
    signed.get_by_role("link", name="nieuw").click()
    assert "Ophalen voor Austerlitz Eet" in page.content()
