"""Posting a hulpvraag: the resident's form, the phone intake, double submit and bad input."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from coop.core import clock
from coop.core.clock import local_now
from coop.requests.models import HelpRequest


def test_resident_posts_and_sees_what_happens_next(client_as, resident, form_data, session, counts):
    client = client_as(resident)
    assert "Hulp vragen" in client.get("/hulp-vragen").text
    response = client.post("/hulp-vragen", data=form_data())
    assert response.status_code == 302
    req = session.scalar(select(HelpRequest))
    assert (req.resident_id, req.status, req.part_of_day, req.consent_contact) == (resident.id, "new", "morning", True)
    assert (req.street, req.house_number, req.channel, req.entered_on_behalf) == (
        resident.street, resident.house_number, "web", False)
    assert [e.action for e in req.events] == ["posted"]
    page = client.get(response.headers["Location"])
    assert "Wat gebeurt er nu?" in page.text and "0343 123 456" in page.text


def test_time_window_at_another_address_is_stored_in_utc(client_as, resident, form_data, session):
    day = local_now().date() + timedelta(days=3)
    response = client_as(resident).post("/hulp-vragen", data=form_data(
        when="window", on_date=day.isoformat(), part_of_day=None, start_time="10:00", end_time="11:30",
        own_address="no", street="Kerkweg", house_number="4a", postcode="3712ab", place="", recurrence="weekly"))
    assert response.status_code == 302
    req = session.scalar(select(HelpRequest))
    assert req.window_start.tzinfo is not None
    assert req.window_start.astimezone(clock.LOCAL).strftime("%H:%M") == "10:00"
    assert req.window_end.astimezone(UTC) - req.window_start.astimezone(UTC) == timedelta(minutes=90)
    assert (req.street, req.house_number, req.postcode, req.place, req.recurrence) == (
        "Kerkweg", "4a", "3712 AB", resident.village.name, "weekly")


def test_flexible_keeps_no_date(client_as, resident, form_data, session):
    client_as(resident).post("/hulp-vragen", data=form_data(when="flexible", on_date="", part_of_day=None))
    req = session.scalar(select(HelpRequest))
    assert req.flexible and req.on_date is None and req.window_start is None


def test_double_submit_creates_one_request_and_shows_it(client_as, resident, form_data, session, counts):
    client = client_as(resident)
    data = form_data()
    first = client.post("/hulp-vragen", data=data)
    after_first = counts()
    second = client.post("/hulp-vragen", data=data)
    assert counts() == after_first
    assert second.headers["Location"] == first.headers["Location"]
    assert "al verstuurd" in client.get(second.headers["Location"]).text


def test_someone_elses_form_token_is_refused(client_as, resident, make, village, form_data, counts, session):
    from coop.requests.intake import RequestInput, post_request
    data = form_data()
    other = make.user(village)
    post_request(other, RequestInput(category_id=data["category_id"], description="x", when="flexible",
                                     urgency="week"), by=other, form_token=data["form_token"])
    session.commit()  # the view rolls back on refusal; the other's request must survive that
    before = counts()
    response = client_as(resident).post("/hulp-vragen", data=data)
    assert response.status_code == 422 and "Het formulier is verlopen" in response.text
    assert counts() == before


TOO_LONG = "x" * 1001
YESTERDAY = lambda: (local_now().date() - timedelta(days=1)).isoformat()  # noqa: E731


@pytest.mark.parametrize("override,field,message", [
    ({"description": "   "}, "description", "Schrijf in een paar woorden"),
    ({"description": TOO_LONG}, "description", "hoogstens 1000 tekens"),
    ({"on_date": "yesterday"}, "on_date", "Deze datum is al voorbij"),
    ({"on_date": ""}, "on_date", "Vul de datum in"),
    ({"on_date": "32-13-2026"}, "on_date", "Vul een geldige datum in"),
    ({"part_of_day": None}, "part_of_day", "Kies een dagdeel"),
    ({"when": "window", "start_time": "11:00", "end_time": "10:00"}, "end_time", "De eindtijd moet na de begintijd"),
    ({"when": "window", "start_time": "", "end_time": "10:00"}, "start_time", "Vul de begintijd in"),
    ({"when": "window", "start_time": "25:99", "end_time": "10:00"}, "start_time", "Vul een geldige tijd in"),
    ({"category_id": "999999"}, "category_id", "Kies een soort hulp uit de lijst"),
    ({"category_id": "abc"}, "category_id", "Kies een soort hulp uit de lijst"),
    ({"category_id": "foreign"}, "category_id", "Kies een soort hulp uit de lijst"),
    ({"urgency": "gisteren"}, "urgency", "Kies hoe snel"),
    ({"when": "sometime"}, "when", "Kies wanneer u hulp wilt"),
    ({"own_address": "no", "street": ""}, "street", "Vul de straat in"),
    ({"own_address": "no", "street": "Kerkweg", "house_number": ""}, "house_number", "Vul het huisnummer in"),
    ({"own_address": "no", "street": "K" * 121, "house_number": "1"}, "street", "hoogstens 120 tekens"),
    ({"own_address": "no", "street": "Kerkweg", "house_number": "1", "postcode": "12"}, "postcode", "postcode"),
    ({"form_token": ""}, None, "Het formulier is verlopen"),
])
def test_bad_input_shows_dutch_message_at_top_and_at_field_and_writes_nothing(
        override, field, message, client_as, resident, form_data, counts, make, other_village):
    if override.get("on_date") == "yesterday":
        override["on_date"] = YESTERDAY()
    if override.get("category_id") == "foreign":
        override["category_id"] = str(make.category(other_village, "boodschappen").id)
    before = counts()
    response = client_as(resident).post("/hulp-vragen", data=form_data(**override))
    assert response.status_code == 422
    assert counts() == before
    text = response.text
    assert "Er is iets niet goed ingevuld" in text and message in text
    if field:
        assert f'<a href="#{field}">' in text  # the summary links to the field
        assert f'id="{field}-error"' in text  # and the message sits beside it


def test_window_already_past_today_is_refused(client_as, resident, form_data, counts):
    try:
        clock.freeze(datetime(2030, 3, 5, 15, 0, tzinfo=UTC))  # 16:00 in Amsterdam
        before = counts()
        response = client_as(resident).post("/hulp-vragen", data=form_data(
            when="window", on_date="2030-03-05", part_of_day=None, start_time="09:00", end_time="10:00"))
        assert response.status_code == 422 and "al voorbij" in response.text
        assert counts() == before
    finally:
        clock.freeze(None)


def test_today_is_judged_in_amsterdam_not_utc(client_as, resident, form_data, session):
    try:
        # 23:30 UTC on 4 March is already 5 March in Amsterdam: 5 March is "today", not past.
        clock.freeze(datetime(2030, 3, 4, 23, 30, tzinfo=UTC))
        response = client_as(resident).post("/hulp-vragen", data=form_data(on_date="2030-03-05"))
        assert response.status_code == 302
        # and 4 March is past there, although it is still 4 March in UTC
        response = client_as(resident).post("/hulp-vragen", data=form_data(on_date="2030-03-04"))
        assert response.status_code == 422 and "Deze datum is al voorbij" in response.text
    finally:
        clock.freeze(None)


@pytest.mark.parametrize("role", ["volunteer", "professional", "coordinator", "municipality_user", "admin"])
def test_only_residents_post(role, request, client_as, form_data, counts):
    before = counts()
    client = client_as(request.getfixturevalue(role))
    assert client.get("/hulp-vragen").status_code == 403
    assert client.post("/hulp-vragen", data=form_data()).status_code == 403
    assert counts() == before


# --- intake on behalf ---------------------------------------------------------------------

def test_coordinator_records_a_new_resident_without_email_and_their_request(client_as, coordinator, form_data, session):
    client = client_as(coordinator)
    response = client.post("/hulpvragen/namens", data={
        "first_name": "Riek", "last_name": "Mulder", "phone": "0343 456789", "street": "Molenweg",
        "house_number": "7", "postcode": ""})
    assert response.status_code == 302
    from coop.core.models import User
    riek = session.scalar(select(User).where(User.last_name == "Mulder"))
    assert riek.email is None and riek.has_role("resident") and riek.village_id == coordinator.village_id
    response = client.post(response.headers["Location"], data=form_data(channel="phone", consent_contact=None))
    assert response.status_code == 302
    req = session.scalar(select(HelpRequest).where(HelpRequest.resident_id == riek.id))
    assert (req.entered_by_id, req.channel, req.street, req.consent_contact) == (
        coordinator.id, "phone", "Molenweg", False)
    assert req.events[0].note == "ingevoerd door Marieke van Dam namens Riek Mulder (telefonisch)"
    page = client.get(f"/hulpvragen/{req.id}").text
    assert "Ingevoerd door Marieke van Dam namens Riek Mulder, telefonisch" in page
    # The confirmation speaks to the coordinator about Riek, and says how Riek will hear.
    done = client.get(response.headers["Location"]).text
    assert "De hulpvraag van Riek Mulder is doorgegeven" in done
    assert "Riek heeft geen e-mail: wie er komt, staat daarna op de bellijst" in done
    assert 'href="tel:' in done and "Bel de dorpsondersteuner" not in done and "Uw hulpvraag" not in done


def test_the_resident_reads_their_own_confirmation(client_as, resident, form_data, session):
    response = client_as(resident).post("/hulp-vragen", data=form_data())
    assert response.status_code == 302
    done = client_as(resident).get(response.headers["Location"]).text
    assert "Uw hulpvraag is verstuurd" in done and "U krijgt een e-mail wie er komt." in done
    assert "Bel de dorpsondersteuner" in done


def test_coordinator_finds_an_existing_resident(client_as, coordinator, resident):
    page = client_as(coordinator).get("/hulpvragen/namens?zoek=jans").text
    assert f"/hulpvragen/namens/{resident.id}" in page


def test_on_behalf_for_another_village_is_404(client_as, coordinator, make, other_village, form_data, counts):
    stranger = make.user(other_village)
    before = counts()
    assert client_as(coordinator).post(f"/hulpvragen/namens/{stranger.id}",
                                       data=form_data(channel="phone")).status_code == 404
    assert client_as(coordinator).get("/hulpvragen/namens/999999").status_code == 404
    assert counts() == before


def test_on_behalf_bad_channel_is_refused(client_as, coordinator, resident, form_data, counts):
    before = counts()
    response = client_as(coordinator).post(f"/hulpvragen/namens/{resident.id}", data=form_data(channel="pigeon"))
    assert response.status_code == 422 and "Kies hoe de vraag binnenkwam uit de lijst" in response.text
    assert counts() == before


def test_new_resident_form_errors_are_dutch(client_as, coordinator, session):
    from coop.core.models import User
    before = session.query(User).count()
    response = client_as(coordinator).post("/hulpvragen/namens", data={"first_name": "", "last_name": "X",
                                                                        "street": "", "house_number": "1"})
    assert response.status_code == 422
    assert "Vul de voornaam in." in response.text and "Vul de straat in." in response.text
    assert session.query(User).count() == before


def test_resident_cannot_post_for_someone_else(resident, make, village, session, counts):
    from coop.core.errors import DomainError
    from coop.requests.intake import RequestInput, post_request
    other = make.user(village)
    before = counts()
    with pytest.raises(DomainError, match="alleen voor uzelf"):
        post_request(other, RequestInput(category_id=make.category(village, "boodschappen").id, description="x",
                                         when="flexible", urgency="week"), by=resident, form_token="t" * 20)
    assert counts() == before
