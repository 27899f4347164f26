"""Joining: the coordinator's form for a new member household. Bad input (an IBAN failing its
check, a mandate signed in the future, a membership number in use) gets a Dutch message on the
form and writes nothing."""
from __future__ import annotations

import secrets

import pytest
from sqlalchemy import func, select

from coop.members.models import Contribution, Household, Mandate, Member
from tests.members.conftest import IBANS


def _form(**extra) -> dict:
    data = {"form_token": secrets.token_urlsafe(24), "number": "", "starts_on-day": "1", "starts_on-month": "3",
            "starts_on-year": "2026", "method": "direct_debit", "iban": "NL20 INGB 0001 2345 67",
            "account_holder": "B. Jansen", "signed_on-day": "2", "signed_on-month": "3", "signed_on-year": "2026",
            "mandate_reference": "", "reduction": "", "reduction_reason": ""}
    return {**data, **extra}


def _rows(session) -> tuple[int, int, int]:
    return tuple(session.scalar(select(func.count(m.id))) for m in (Household, Member, Mandate))


def test_a_household_joins_by_direct_debit(session, village, coordinator, client_as, bep, make):
    partner = make.user(village, first_name="Kees", last_name="Jansen", street=bep.street)
    partner.house_number = bep.house_number
    session.flush()
    page = client_as(coordinator).get(f"/leden/nieuw/{bep.id}").text
    assert "Kees Jansen" in page  # lives at the same address: may join the same household
    response = client_as(coordinator).post(f"/leden/nieuw/{bep.id}", data=_form(housemates=str(partner.id)))
    assert response.status_code == 302
    household = session.scalar(select(Household).where(Household.village_id == village.id))
    assert household.number == 1 and household.contact_id == bep.id
    assert {m.user_id for m in household.members} == {bep.id, partner.id}
    assert household.mandate.iban == "NL20INGB0001234567" and household.mandate.bic == "INGBNL2A"
    assert household.mandate.reference.endswith("-LID-00001")
    shown = client_as(coordinator).get(response.headers["Location"]).text
    assert "NL20INGB0001234567" in shown and "Kees Jansen" in shown


@pytest.mark.parametrize(("extra", "message"), [
    ({"iban": "NL20 INGB 0001 2345 68"}, "Dit IBAN klopt niet"),
    ({"signed_on-day": "3", "signed_on-month": "3", "signed_on-year": "2026"},
     "De machtiging kan niet in de toekomst getekend zijn"),
    ({"number": "7"}, "Lidnummer 7 is al in gebruik. Het eerste vrije nummer is 8."),
    ({"method": "direct_debit", "iban": ""}, "Vul het IBAN in"),
    ({"reduction": "30"}, "Een korting ligt tussen"),
], ids=["iban", "future-mandate", "number-taken", "no-iban", "reduction"])
def test_bad_input_gets_a_dutch_message_and_writes_nothing(session, village, coordinator, client_as, bep, join,
                                                          make, extra, message):
    join(make.user(village), number=7)
    before = _rows(session)
    response = client_as(coordinator).post(f"/leden/nieuw/{bep.id}", data=_form(**extra))
    assert response.status_code == 422
    assert message in response.text
    assert _rows(session) == before


def test_the_service_refuses_a_future_mandate_too(session, village, coordinator, bep):
    from datetime import date

    from coop.core.errors import DomainErrors
    from coop.members import service
    with pytest.raises(DomainErrors) as refused:
        service.join(village, service.JoinInput(people=[bep], method="direct_debit", starts_on=date(2026, 3, 1),
                                                iban=IBANS[0], account_holder="Bep", signed_on=date(2026, 3, 3)),
                     by=coordinator)
    assert refused.value.errors[0].field == "signed_on"
    assert session.scalar(select(func.count(Household.id))) == 0


def test_a_mandate_reference_is_unique_within_the_creditor(session, village, coordinator, client_as, bep, join, make):
    join(make.user(village), mandate_reference="AUSTERLITZ-1")
    before = _rows(session)
    response = client_as(coordinator).post(f"/leden/nieuw/{bep.id}", data=_form(mandate_reference="AUSTERLITZ-1"))
    assert response.status_code == 422 and "Dit machtigingskenmerk is al gebruikt" in response.text
    assert _rows(session) == before


def test_a_member_cannot_join_twice(session, village, coordinator, client_as, bep, join):
    join(bep)
    response = client_as(coordinator).post(f"/leden/nieuw/{bep.id}", data=_form())
    assert response.status_code == 422 and "Bep Jansen is al lid (lidnummer 1)" in response.text


def test_joining_by_transfer_needs_no_bank_details(session, village, coordinator, client_as, piet):
    response = client_as(coordinator).post(f"/leden/nieuw/{piet.id}", data=_form(
        method="transfer", iban="", account_holder="", **{"signed_on-day": "", "signed_on-month": "",
                                                          "signed_on-year": ""}))
    assert response.status_code == 302
    household = session.scalar(select(Household))
    assert household.mandate is None and household.payment_reference == "Lid 1"
    assert session.scalar(select(func.count(Contribution.id))) == 0


def test_another_village_s_resident_cannot_be_made_a_member(session, other_village, make, coordinator, client_as):
    far = make.user(other_village)
    assert client_as(coordinator).get(f"/leden/nieuw/{far.id}").status_code == 404


def test_a_former_member_can_join_again(session, village, coordinator, join, bep):
    from datetime import date

    from coop.members import service
    first = join(bep)
    service.end_membership(first, date(2026, 2, 28), by=coordinator)
    again = join(bep, debit=False, starts_on=date(2026, 3, 1))
    assert again.number == 2 and service.household_of(bep).id == again.id
