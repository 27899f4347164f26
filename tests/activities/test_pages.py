"""The pages: bad input is refused in Dutch and writes nothing; a resident signs up with a lift
from "Activiteiten"; the printable list; the AVG copy and erasure know the sign-ups."""
from __future__ import annotations

from datetime import time
from decimal import Decimal

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from coop.activities import service
from coop.activities.models import Activity, Signup
from coop.core import dutch
from coop.core.forms import new_form_token
from coop.extensions import db
from coop.requests.models import HelpRequest


def _counts() -> dict[str, int]:
    tables = db.metadata.sorted_tables
    row = db.session.execute(select(*(select(func.count()).select_from(t).scalar_subquery().label(t.name)
                                      for t in tables))).one()
    return dict(zip([t.name for t in tables], row, strict=True))


GOOD = {"kind": "meal", "title": "Austerlitz Eet", "on_date-day": "19", "on_date-month": "3", "on_date-year": "2026",
        "start_time": "17:30", "end_time": "19:30", "venue": "Dorpshuis De Kapel", "capacity": "8", "cost": "7,50"}


@pytest.mark.parametrize(("change", "message"), [
    ({"on_date-day": "13"}, "Deze datum is al voorbij. Kies vandaag of een dag later."),
    ({"capacity": "0"}, "Kies een aantal plaatsen van 1 tot en met 500."),
    ({"end_time": "17:00"}, "De eindtijd moet na de begintijd liggen."),
    ({"venue": ""}, "Vul in waar het is, bijvoorbeeld: Dorpshuis De Kapel."),
    ({"cost": "-2"}, "Kies een bedrag van 0 tot en met 1.000 euro."),
])
def test_a_wrong_activity_is_refused_in_dutch_and_writes_nothing(frozen, client_as, coordinator, change, message):
    client = client_as(coordinator)
    before = _counts()
    answer = client.post("/activiteiten/nieuw", data={**GOOD, **change, "form_token": new_form_token()})
    assert answer.status_code == 422
    assert message in answer.get_data(as_text=True)
    assert _counts() == before


def test_the_coordinator_plans_an_activity(frozen, client_as, coordinator, session):
    answer = client_as(coordinator).post("/activiteiten/nieuw", data={**GOOD, "form_token": new_form_token()})
    assert answer.status_code == 302
    activity = session.scalar(select(Activity))
    assert (activity.title, activity.capacity, str(activity.cost), activity.kind) == ("Austerlitz Eet", 8, "7.50",
                                                                                       "meal")
    page = client_as(coordinator).get(answer.headers["Location"]).get_data(as_text=True)
    assert f"donderdag 19 maart 2026, {dutch.time_span(time(17, 30), time(19, 30))}" in page
    assert dutch.money(Decimal("7.50")) in page


def _refused(client, url: str, message: str, data: dict | None = None) -> None:
    before = _counts()
    answer = client.post(url, data={"form_token": new_form_token(), **(data or {})})
    assert answer.status_code == 422, answer.status_code
    assert str(escape(message)) in answer.get_data(as_text=True)
    assert _counts() == before


def test_signing_up_twice_or_for_a_cancelled_activity_is_refused_and_writes_nothing(
        plan, people, coordinator, client_as, session):
    meal = plan(capacity=5)
    bep = people["bep"]
    service.sign_up(meal, bep, by=bep)
    session.commit()
    _refused(client_as(bep), f"/mijn-activiteiten/{meal.id}", "U bent al aangemeld voor deze activiteit.")
    _refused(client_as(coordinator), f"/activiteiten/{meal.id}/aanmelden/{bep.id}",
             "Bep Jansen is al aangemeld voor deze activiteit.")
    service.cancel(meal, by=coordinator)
    session.commit()
    _refused(client_as(people["kees"]), f"/mijn-activiteiten/{meal.id}",
             "Deze activiteit gaat niet door; aanmelden kan niet meer.")


def test_a_lift_without_the_vervoer_category_is_refused_in_dutch(plan, people, vervoer, client_as, session):
    meal = plan(capacity=5)
    vervoer.active = False
    session.commit()
    _refused(client_as(people["bep"]), f"/mijn-activiteiten/{meal.id}", "de soort hulp 'vervoer' staat uit",
             {"wants_lift": "y"})


def test_a_resident_signs_up_with_a_lift_from_activiteiten(plan, people, client_as, coordinator, session):
    meal = plan(capacity=5)
    session.commit()
    bep = client_as(people["bep"])
    assert "Activiteiten" in bep.get("/").get_data(as_text=True)
    listing = bep.get("/mijn-activiteiten").get_data(as_text=True)
    assert "Austerlitz Eet" in listing and "Nog 5 plaatsen vrij." in listing
    answer = bep.post(f"/mijn-activiteiten/{meal.id}", data={"wants_lift": "y", "dietary_note": "zoutarm",
                                                            "form_token": new_form_token()}, follow_redirects=True)
    page = answer.get_data(as_text=True)
    assert "U bent aangemeld. De lift is aangevraagd." in page and "Uw lift: nieuw" in page
    signup = session.scalar(select(Signup))
    lift = session.get(HelpRequest, signup.lift_request_id)
    assert lift.resident_id == people["bep"].id and signup.dietary_note == "zoutarm"
    staff = client_as(coordinator).get(f"/activiteiten/{meal.id}").get_data(as_text=True)
    assert f'href="/hulpvragen/{lift.id}"' in staff and "zoutarm" in staff
    printed = client_as(coordinator).get(f"/activiteiten/{meal.id}/afdrukken").get_data(as_text=True)
    assert "Bep Jansen" in printed and "zoutarm" in printed and "activities.css" in printed
    inbox = client_as(coordinator).get("/hulpvragen").get_data(as_text=True)
    assert "Bep Jansen" in inbox and "Vervoer" in inbox


def test_the_copy_holds_the_sign_ups_and_erasure_waits_for_them(plan, people, coordinator, session):
    from coop.core.errors import DomainError
    from coop.privacy import erasure, export
    meal = plan(capacity=5)
    signup = service.sign_up(meal, people["piet"], by=coordinator, dietary_note="geen vis")
    (row,) = export.gather(people["piet"])["activity_signups"]
    assert row["activity"] == "Austerlitz Eet" and row["dietary_note"] == "geen vis"
    assert row["signed_up_by"] == "dorpsondersteuner"
    with pytest.raises(DomainError, match="komende activiteit"):
        erasure.erase(people["piet"], by=coordinator)
    service.withdraw(signup, by=coordinator)
    erasure.erase(people["piet"], by=coordinator)
    session.flush()
    session.refresh(signup)
    assert signup.dietary_note == ""
