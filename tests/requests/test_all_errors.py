"""The request form shows every mistake at once, takes its date as day, month and year, and
chooses no kind of help beforehand."""
from __future__ import annotations

from datetime import timedelta

import pytest

from coop.core.clock import local_now
from coop.core.forms import parse_date_parts


def _summary(page: str) -> str:
    return page.split('govuk-error-summary__list">')[1].split("</ul>")[0]


def test_every_mistake_shows_at_once(client_as, resident, form_data, counts):
    before = counts()
    data = form_data(category_id="", description="", when="day", part_of_day=None, own_address="no",
                     street="", house_number="", urgency="nu meteen")
    response = client_as(resident).post("/hulp-vragen", data=data)
    assert response.status_code == 422
    summary = _summary(response.text)
    for message in ("Kies een soort hulp uit de lijst", "Schrijf in een paar woorden", "Kies hoe snel",
                    "Kies een dagdeel", "Vul de straat in", "Vul het huisnummer in"):
        assert message in summary, message
    assert counts() == before


def test_a_form_error_and_a_service_error_show_together(client_as, resident, form_data):
    # The date cannot be read (the form's own check) and the description is empty (the service's).
    data = form_data(description="", on_date=None, **{"on_date-day": "31", "on_date-month": "2",
                                                      "on_date-year": str(local_now().year + 1)})
    summary = _summary(client_as(resident).post("/hulp-vragen", data=data).text)
    assert "Deze datum bestaat niet: februari" in summary and "Schrijf in een paar woorden" in summary


def test_the_date_is_typed_as_day_month_and_year(client_as, resident, form_data, session):
    from coop.requests.models import HelpRequest
    day = local_now().date() + timedelta(days=3)
    page = client_as(resident).get("/hulp-vragen").text
    assert 'name="on_date-day"' in page and 'name="on_date-month"' in page and 'name="on_date-year"' in page
    data = form_data(on_date=None, **{"on_date-day": str(day.day), "on_date-month": str(day.month),
                                      "on_date-year": str(day.year)})
    assert client_as(resident).post("/hulp-vragen", data=data).status_code == 302
    assert session.query(HelpRequest).one().on_date == day


@pytest.mark.parametrize(("day", "month", "year", "message"), [
    ("31", "4", "2027", "Deze datum bestaat niet: april 2027 heeft 30 dagen."),
    ("29", "2", "2027", "Deze datum bestaat niet: februari 2027 heeft 28 dagen."),
    ("1", "13", "2027", "De maand moet tussen 1 en 12 liggen."),
    ("", "3", "2027", "De datum moet een dag hebben."),
    ("", "", "2027", "De datum moet een dag en een maand hebben."),
    ("3", "maart", "2027", "Vul de datum in met cijfers, bijvoorbeeld 14 3 2026."),
    ("3", "3", "27", "Het jaar moet vier cijfers hebben, bijvoorbeeld 2026."),
])
def test_impossible_dates_get_a_dutch_message(day, month, year, message, client_as, resident, form_data):
    assert parse_date_parts(day, month, year)[1] == message
    data = form_data(on_date=None, **{"on_date-day": day, "on_date-month": month, "on_date-year": year})
    response = client_as(resident).post("/hulp-vragen", data=data)
    assert response.status_code == 422 and message in _summary(response.text)


def test_a_leap_day_is_a_date():
    assert str(parse_date_parts("29", "2", "2028")[0]) == "2028-02-29"


def test_no_kind_of_help_is_chosen_beforehand_and_the_text_area_is_large(client_as, resident):
    page = client_as(resident).get("/hulp-vragen").text
    select = page.split('id="category_id"')[1].split("</select>")[0]
    assert '<option selected value="">Kies een soort hulp</option>' in select
    assert select.count("selected") == 1
    assert 'rows="8"' in page.split('id="description"')[1].split(">")[0]


def test_option_fields_are_marked_for_conditional_reveal(client_as, resident):
    page = client_as(resident).get("/hulp-vragen").text
    assert page.count("data-coop-reveal") >= 2
    assert 'data-aria-controls="conditional-own_address-1"' in page
    # The other address is hidden (by script only) while "own address" is chosen.
    assert 'class="govuk-radios__conditional govuk-radios__conditional--hidden" id="conditional-own_address-1"' in page
