"""The membership in the person's copy and in "Vergeet mij" (the IBAN and the account holder
go), and in the figures: the member count for everyone who reads them (small counts hidden),
the contribution income for the village's own staff only."""
from __future__ import annotations

from datetime import date

from coop.core import roles as R
from coop.extensions import db
from coop.members import service
from coop.members.models import Mandate
from coop.privacy import erasure, export


def test_the_copy_holds_the_household_its_mandate_and_contributions(session, village, coordinator, bank, join, bep):
    household = join(bep, iban="NL20INGB0001234567")
    service.run_year(village, 2026, date(2026, 4, 1), by=coordinator)
    copy = export.gather(bep)["membership"]
    assert copy["number"] == household.number and copy["gets_the_letters"] is True
    assert copy["mandate"]["iban"] == "NL20INGB0001234567"
    assert copy["mandate"]["reference"] == household.mandate.reference
    assert [c["year"] for c in copy["contributions"]] == [2026]
    assert "NL20INGB0001234567" in export.as_json(export.gather(bep))


def test_forgetting_a_member_erases_the_iban(session, village, coordinator, bank, join, bep):
    household = join(bep, iban="NL20INGB0001234567")
    service.run_year(village, 2026, date(2026, 4, 1), by=coordinator)
    erasure.erase(bep, by=coordinator)
    mandate = db.session.get(Mandate, household.mandate.id)
    assert mandate.iban is None and mandate.bic is None and "Jansen" not in mandate.account_holder
    assert mandate.reference == household.mandate.reference  # the books keep the reference
    # From now on the household pays by transfer: no debit without an account.
    plan = service.plan(village, 2027)
    assert [h.id for h in plan.transfers] == [household.id] and plan.debits == []


def test_the_gemeente_sees_the_member_count_only(session, village, coordinator, municipality_user, bank, join,
                                                 make, client_as):
    for _ in range(6):
        join(make.user(village, R.RESIDENT), debit=False)
    service.run_year(village, 2026, date(2026, 4, 1), by=coordinator)
    staff = client_as(coordinator).get(f"/cijfers/dorp/{village.id}?jaar=2026").text
    assert "Leden in 2026" in staff and "Contributie 2026" in staff and "€\xa0150,00" in staff
    gemeente = client_as(municipality_user).get(f"/cijfers/dorp/{village.id}?jaar=2026").text
    assert "Leden in 2026" in gemeente and "Contributie 2026" not in gemeente and "150,00" not in gemeente
    assert client_as(municipality_user).get(f"/cijfers/dorp/{village.id}/contributie.csv?jaar=2026").status_code \
        == 404
    csv = client_as(municipality_user).get(f"/cijfers/dorp/{village.id}/leden.csv?jaar=2026").text
    assert "Lid in het jaar;6" in csv


def test_a_small_member_count_is_hidden(session, village, municipality_user, join, make, client_as):
    for _ in range(3):
        join(make.user(village, R.RESIDENT), debit=False)
    csv = client_as(municipality_user).get(f"/cijfers/dorp/{village.id}/leden.csv?jaar=2026").text
    assert "Lid in het jaar;< 5" in csv and ";3" not in csv
