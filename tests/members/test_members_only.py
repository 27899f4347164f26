"""A category "alleen voor leden": the coordinator marks it on the categories page; a resident
who is not a member hears, in plain Dutch, that it is for members and whom to phone; the
coordinator at the kitchen table makes the household a member and the request goes on, in one
step. Nothing is written by a refusal."""
from __future__ import annotations

import secrets

from sqlalchemy import func, select

from coop.core.models import TaskCategory
from coop.members.models import Household
from coop.requests.models import HelpRequest


def _request(category, **extra) -> dict:
    return {"form_token": secrets.token_urlsafe(24), "category_id": str(category.id), "when": "flexible",
            "recurrence": "once", "urgency": "week", "own_address": "yes",
            "description": "De heg moet geknipt worden.", **extra}


def _counts(session) -> tuple[int, int]:
    return (session.scalar(select(func.count(HelpRequest.id))), session.scalar(select(func.count(Household.id))))


def _members_only(session, village, make):
    category = make.category(village, "boodschappen")
    category.members_only = True
    session.flush()
    return category


def test_the_coordinator_marks_a_category_for_members_only(session, village, coordinator, client_as, make):
    client = client_as(coordinator)
    response = client.post("/beheer/categorieen", data={"form_token": secrets.token_urlsafe(24), "name": "Klussen",
                                                        "code": "klussen", "rule": "open", "members_only": "y"})
    assert response.status_code == 302
    added = session.scalar(select(TaskCategory).where(TaskCategory.village_id == village.id,
                                                      TaskCategory.code == "klussen"))
    assert added.members_only
    other = make.category(village, "gezelschap")
    client.post(f"/beheer/categorieen/{other.id}/alleen-leden")
    assert session.get(TaskCategory, other.id).members_only
    page = client.get("/beheer/categorieen").text
    assert "Alleen voor leden" in page and "Voor iedereen" in page
    client.post(f"/beheer/categorieen/{other.id}/voor-iedereen")
    assert not session.get(TaskCategory, other.id).members_only


def test_a_resident_who_is_not_a_member_hears_whom_to_phone(session, village, make, client_as, bep):
    category = _members_only(session, village, make)
    page = client_as(bep).get("/hulp-vragen").text
    assert "Boodschappen (alleen voor leden)" in page
    before = _counts(session)
    response = client_as(bep).post("/hulp-vragen", data=_request(category))
    assert response.status_code == 422
    assert "Deze hulp is er alleen voor leden van Zorgcoöperatie Austerlitz. U bent nog geen lid." in response.text
    assert "€\xa025,00 per jaar" in response.text
    assert 'href="tel:+31343123456">0343 123 456</a>' in response.text  # one tap to phone
    assert _counts(session) == before


def test_a_member_asks_as_anyone_else(session, village, make, client_as, bep, join):
    category = _members_only(session, village, make)
    join(bep, debit=False)
    response = client_as(bep).post("/hulp-vragen", data=_request(category))
    assert response.status_code == 302
    assert session.scalar(select(func.count(HelpRequest.id))) == 1


def test_at_the_kitchen_table_the_coordinator_makes_the_household_a_member_and_the_request_goes_on(
        session, village, make, coordinator, client_as, bep):
    category = _members_only(session, village, make)
    client = client_as(coordinator)
    url = f"/hulpvragen/namens/{bep.id}"
    form = _request(category, channel="visit")
    before = _counts(session)
    first = client.post(url, data=form)
    assert first.status_code == 200
    assert "Bep wordt meteen lid" in first.text and "Lid maken en hulpvraag opslaan" in first.text
    assert "De heg moet geknipt worden." in first.text  # what was typed stays
    assert _counts(session) == before
    join = {"lid-shown": "1", "lid-method": "direct_debit", "lid-iban": "NL20INGB0001234568",
            "lid-account_holder": "Bep Jansen", "lid-signed_on-day": "2", "lid-signed_on-month": "3",
            "lid-signed_on-year": "2026"}
    wrong = client.post(url, data={**form, **join})
    assert wrong.status_code == 422 and "Dit IBAN klopt niet" in wrong.text
    assert _counts(session) == before
    done = client.post(url, data={**form, **join, "lid-iban": "NL20INGB0001234567"})
    assert done.status_code == 302
    household = session.scalar(select(Household))
    assert household.contact_id == bep.id and household.mandate.iban == "NL20INGB0001234567"
    request = session.scalar(select(HelpRequest))
    assert request.resident_id == bep.id and request.category_id == category.id
    # The same form sent again makes nothing twice.
    again = client.post(url, data={**form, **join, "lid-iban": "NL20INGB0001234567"})
    assert again.status_code == 302 and _counts(session) == (1, 1)
