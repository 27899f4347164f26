"""Reserving an item from a hulpvraag's Schijf van Vijf (question 2, hulpmiddel): the request's
pages show it, the stock shows it, and handing it out turns it into a loan."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from coop.aids import service
from coop.aids.models import LENT, RESERVED, AidLoan
from coop.core.errors import DomainError
from coop.core.forms import new_form_token
from coop.requests.models import FiveQuestionsAnswer, HelpRequest
from tests.aids.conftest import TODAY
from tests.aids.test_lending import _dates


@pytest.fixture
def help_request(session, make, village, resident):
    req = HelpRequest(village_id=village.id, resident=resident, category=make.category(village, "boodschappen"),
                      description="Boodschappen", status="intake", urgency="week", flexible=True,
                      entered_by_id=resident.id)
    req.five_questions = [FiveQuestionsAnswer(question=1, party="resident", note="Doet zelf de lijst."),
                          FiveQuestionsAnswer(question=2, party="organisation",
                                              note="Een rollator van de coöperatie en een boodschappenkar.")]
    session.add(req)
    session.flush()
    return req


def test_the_coordinator_reserves_a_free_item_from_the_schijf_van_vijf(session, client_as, coordinator, resident,
                                                                      help_request, rollator, chair):
    client = client_as(coordinator)
    wheel = client.get(f"/hulpvragen/{help_request.id}/schijf-van-vijf").text
    link = f"/hulpmiddelen/reserveren/hulpvraag/{help_request.id}"
    assert link in wheel and "Hulpmiddel reserveren uit de voorraad" in wheel
    page = client.get(link).text
    # The kind the answer names is chosen, and only free items of it are offered.
    assert 'value="rollator" selected' in page and "Rollator R-01" in page and "Douchestoel D-01" not in page
    answer = client.post(link, data={"form_token": new_form_token(), "item": str(rollator.id),
                                     **_dates("starts_on", TODAY + timedelta(days=2)),
                                     **_dates("due_on", TODAY + timedelta(weeks=6)), "notes": "Zaterdag brengen"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/hulpvragen/{help_request.id}")
    loan = session.scalar(select(AidLoan))
    assert (loan.status, loan.resident_id, loan.help_request_id) == (RESERVED, resident.id, help_request.id)
    assert loan.lent_month is None  # not counted before it goes out

    shown = client.get(f"/hulpvragen/{help_request.id}").text
    assert "Rollator R-01" in shown and "gereserveerd" in shown
    stock = client.get("/hulpmiddelen/?status=reserved").text
    assert "Rollator R-01" in stock and "Bep Jansen" in stock and "Douchestoel" not in stock.split("<table")[1]

    handed = client.post(f"/hulpmiddelen/uitleningen/{loan.id}/meegeven",
                         data={**_dates("starts_on", TODAY), **_dates("due_on", TODAY + timedelta(weeks=6))})
    assert handed.status_code == 302
    session.refresh(loan)
    assert loan.status == LENT and loan.starts_on == TODAY and loan.lent_month == 202603
    assert session.scalar(select(func.count(AidLoan.id))) == 1  # the reservation became the loan


def test_no_reservation_without_a_hulpmiddel_answer_or_for_another_person(session, client_as, coordinator,
                                                                         help_request, rollator, make, village):
    line = next(a for a in help_request.five_questions if a.question == 2)
    line.not_needed, line.party, line.note = True, None, ""
    session.flush()
    assert "Hulpmiddel reserveren" not in client_as(coordinator).get(f"/hulpvragen/{help_request.id}").text
    answer = client_as(coordinator).post(f"/hulpmiddelen/reserveren/hulpvraag/{help_request.id}", data={
        "form_token": new_form_token(), "item": str(rollator.id), **_dates("starts_on", TODAY),
        **_dates("due_on", TODAY)})
    assert answer.status_code == 422 and "Vul eerst bij vraag 2 van de Schijf van Vijf in" in answer.text
    assert session.scalar(select(func.count(AidLoan.id))) == 0
    with pytest.raises(DomainError, match="hoort niet bij deze inwoner"):
        service.reserve(rollator, make.user(village), starts_on=TODAY, due_on=TODAY, by=coordinator,
                        help_request=help_request)


def test_a_reserved_item_is_not_offered_again(session, client_as, coordinator, help_request, rollator, make, village):
    service.reserve(rollator, make.user(village), starts_on=TODAY, due_on=TODAY, by=coordinator)
    page = client_as(coordinator).get(f"/hulpmiddelen/reserveren/hulpvraag/{help_request.id}").text
    assert "Rollator R-01" not in page and "Er is nu geen rollator vrij." in page
    answer = client_as(coordinator).post(f"/hulpmiddelen/reserveren/hulpvraag/{help_request.id}", data={
        "form_token": new_form_token(), "item": str(rollator.id), **_dates("starts_on", TODAY),
        **_dates("due_on", TODAY)})
    assert answer.status_code == 422 and session.scalar(select(func.count(AidLoan.id))) == 1
