"""Nonsense is refused with a Dutch message and nothing breaks later: numbers that are no
numbers or lie outside a field's bounds, control characters, dates from another age, a pin
abroad, a body too big to read."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from coop.core import clock
from coop.core.forms import DutchDecimalField, Form, text_problem
from coop.core.models import User
from coop.people.models import HoursEntry
from coop.respite.models import ExpenseSettings, RespiteRequest
from tests.conftest import login_client
from tests.core.forms_world import MONDAY, build_world


@pytest.fixture
def world(session, make):
    clock.freeze(MONDAY)
    yield build_world(session, make)
    clock.freeze(None)


def _count(session, model):
    return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("value", ["NaN", "sNaN", "inf", "-Infinity", "1e999999", "-1", "9" * 40])
@pytest.mark.parametrize("name", ["km_rate", "allowance_month_max", "allowance_year_max"])
def test_the_allowance_settings_refuse_what_is_no_amount_and_keep_working(app, session, world, name, value):
    client = login_client(app, world.coordinator)
    data = {"km_rate": "0,21", "allowance_month_max": "190", "allowance_year_max": "1900", name: value}
    answer = client.post("/respijt/instellingen", data=data)
    assert answer.status_code == 422
    text = answer.get_data(as_text=True)
    assert "tussen € 0 en €" in text or "Vul een getal in" in text
    assert _count(session, ExpenseSettings) == 0
    assert client.get("/respijt/instellingen").status_code == 200
    assert client.get("/respijt/uren/overzicht").status_code == 200


def test_a_stored_infinity_does_not_break_the_page_that_shows_it(app):
    class Settings(Form):
        amount = DutchDecimalField("Bedrag", places=2)

    with app.test_request_context():
        form = Settings(formdata=None, data={"amount": Decimal("Infinity")})
        assert form.amount._value() == ""
        assert "value=\"\"" in str(form.amount())


@pytest.mark.parametrize("field, value, message", [
    ("hours", "NaN", "tussen 0 en 24"), ("hours", "inf", "tussen 0 en 24"), ("hours", "25", "tussen 0 en 24"),
    ("km", "1e9", "tussen 0 en 1000"), ("costs", "-Infinity", "tussen € 0 en € 1000"),
    ("worked_on", "0001-01-01", "in de afgelopen twee jaar"), ("worked_on", "9999-12-31", "in de toekomst"),
    ("description", "Boodschappen\x00", "stuurteken"), ("description", "twee\nregels", "één regel")])
def test_hours_refuse_nonsense_in_dutch_and_write_nothing(app, session, world, field, value, message):
    data = {"worked_on": "2026-03-12", "hours": "2", "km": "0", "costs": "0", "description": "Boodschappen",
            field: value}
    answer = login_client(app, world.volunteer).post("/mijn-uren/nieuw", data=data)
    assert answer.status_code == 422
    assert message in answer.get_data(as_text=True)
    assert _count(session, HoursEntry) == 1  # the world's own draft


@pytest.mark.parametrize("field, value, message", [
    ("first_date", "9999-12-31", "binnen twee jaar vanaf vandaag"),
    ("first_date", "0001-01-01", "in het verleden"),
    ("until", "2031-01-01", "binnen twee jaar vanaf vandaag"),
    ("exceptions-0", "01-01-0001", "in het verleden"),
    ("notes", "graag\x00\x07", "stuurteken")])
def test_respite_lies_within_the_next_two_years(app, session, world, field, value, message):
    data = {"first_date": "2026-03-24", "start_time": "10:00", "end_time": "12:00", "freq": "weekly",
            "until": "2026-04-07", "with_care": "0", field: value}
    before = _count(session, RespiteRequest)
    answer = login_client(app, world.carer).post("/mijn-respijt/aanvragen", data=data)
    assert answer.status_code == 422
    assert message in answer.get_data(as_text=True)
    assert _count(session, RespiteRequest) == before


@pytest.mark.parametrize("value, message", [("0001-01-01", "in de afgelopen tien jaar"),
                                            ("2015-03-15", "in de afgelopen tien jaar"),
                                            ("2026-03-17", "kan niet in de toekomst")])
def test_a_vog_lies_within_the_last_ten_years(app, session, world, value, message):
    before = world.volunteer.volunteer_profile.vog_date
    answer = login_client(app, world.coordinator).post(
        f"/mensen/{world.volunteer.id}/vrijwilliger", data={"papieren-vog_date": value, "papieren-submit": "1"})
    assert answer.status_code == 422 and message in answer.get_data(as_text=True)
    session.expire_all()
    assert world.volunteer.volunteer_profile.vog_date == before


@pytest.mark.parametrize("text", ["Riek\x00", "Riek\x1b[31m", "Riek\x7f", "Riek\u0085", "Ri\tek"])
def test_names_with_control_characters_are_refused(app, session, world, text):
    before = _count(session, User)
    answer = login_client(app, world.coordinator).post("/mensen/nieuw", data={
        "first_name": text, "last_name": "Mulder", "street": "Molenweg", "house_number": "3"})
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "stuurteken" in page or "één regel" in page
    assert "\x00" not in page
    assert _count(session, User) == before


def test_a_line_break_is_refused_on_one_line_and_kept_in_a_text_area(app, session, world):
    client = login_client(app, world.coordinator)
    one_line = client.post("/mensen/nieuw", data={"first_name": "Riek", "last_name": "Mul\r\nder",
                                                  "street": "Molenweg", "house_number": "3"})
    assert one_line.status_code == 422 and "Gebruik hier één regel, zonder Enter." in one_line.get_data(as_text=True)
    note = client.post(f"/hulpvragen/{world.searching.id}/aanvullen", data={"text": "Eerste regel\r\n\ttweede"})
    assert note.status_code == 302
    assert any(e.note == "Eerste regel\r\n\ttweede" or "tweede" in (e.note or "") for e in world.searching.events)


@pytest.mark.parametrize("text, problem", [("gewoon", None), ("a\nb", "één regel"), ("\x00", "stuurteken"),
                                           ("\u2028", "één regel"), ("émoji 👩‍🦳", None)])
def test_text_problem(text, problem):
    found = text_problem(text, multi_line=False)
    assert (found is None) if problem is None else (problem in found)


@pytest.mark.parametrize("lat, lon", [("48,8566", "2,3522"), ("50,6", "5,3"), ("52,1", "7,5"), ("NaN", "5,3")])
def test_a_pin_lies_in_the_netherlands(app, session, world, lat, lon):
    world.searching.lat = world.searching.lon = None
    session.commit()
    answer = login_client(app, world.coordinator).post(f"/hulpvragen/{world.searching.id}/plek",
                                                       data={"lat": lat, "lon": lon})
    assert answer.status_code == 422
    assert "niet in Nederland" in answer.get_data(as_text=True) or "tussen -90 en 90" in answer.get_data(as_text=True)
    session.refresh(world.searching)
    assert world.searching.lat is None
    ok = login_client(app, world.coordinator).post(f"/hulpvragen/{world.searching.id}/plek",
                                                   data={"lat": "53,45", "lon": "6,8"})
    assert ok.status_code == 302


@pytest.mark.parametrize("value", ["1" * 40, str(2**63), "-5", "NaN"])
def test_a_helper_number_out_of_range_is_refused(app, session, world, value):
    answer = login_client(app, world.coordinator).post(f"/hulpvragen/{world.searching.id}/voorstellen",
                                                       data={"helper_id": value})
    assert answer.status_code == 422
    assert "Kies een helper" in answer.get_data(as_text=True) or "heel getal" in answer.get_data(as_text=True)


def test_a_body_over_the_limit_gets_a_dutch_413(app, session, world):
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
    before = _count(session, User)
    answer = login_client(app, world.coordinator).post("/mensen/nieuw", data={
        "first_name": "Riek", "last_name": "x" * (1024 * 1024 + 10), "street": "Molenweg", "house_number": "3"})
    assert answer.status_code == 413
    page = answer.get_data(as_text=True)
    assert "Te veel tekst in één keer" in page and "Maak de tekst korter" in page
    assert _count(session, User) == before


def test_a_very_long_text_in_a_field_without_its_own_limit_is_refused(app, session, world):
    answer = login_client(app, world.coordinator).post(f"/hulpvragen/{world.searching.id}/plek",
                                                       data={"lat": "5" * 600, "lon": "5,3"})
    assert answer.status_code == 422 and "hoogstens 40 tekens" in answer.get_data(as_text=True)


def test_a_login_with_an_address_longer_than_any_is_refused_without_a_500(app, session, client):
    """Found by the walk of every form: the attempt was written down with a 300-character address."""
    answer = client.post("/inloggen", data={"email": "a" * 300 + "@example.nl", "password": "x"})
    assert answer.status_code == 422 and "hoogstens 254 tekens" in answer.get_data(as_text=True)
