"""Leden: the households, the contribution's run page and its transfer list (print and CSV),
and the search for a new member."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from coop.core import audit
from coop.core import roles as R
from coop.core.clock import local_now
from coop.members import service
from coop.members.models import MemberSettings
from tests.support.factories import UserFactory


@pytest.fixture
def bank(session, village):
    session.add(MemberSettings(village_id=village.id, yearly_fee=Decimal("25"), creditor_id="NL69ZZZ123456780000",
                               account_name="Coop", iban="NL91ABNA0417164300", bic="ABNANL2A"))
    session.flush()


def _join(village, coordinator, n, debit=False, last_name=None):
    people = UserFactory.create_batch(n, village=village, roles=(R.RESIDENT,),
                                      **({"last_name": last_name} if last_name else {}))
    for person in people:
        service.join(village, service.JoinInput(
            people=[person], method="direct_debit" if debit else "transfer", starts_on=local_now().date(),
            iban="NL20INGB0001234567", account_holder=person.full_name, signed_on=local_now().date()),
            by=coordinator)
    return people


def _collect(village, coordinator):
    day = local_now().date() + timedelta(days=20)
    service.run_year(village, day.year, day, by=coordinator)
    return day.year


@pytest.mark.list_page("members.index")
def test_households(same_queries, client_as, coordinator, village, bank):
    same_queries(client_as(coordinator), "/leden/",
                 lambda n: [p.full_name for p in _join(village, coordinator, n, debit=bool(n % 2))])


@pytest.mark.list_page("members.pick")
def test_who_may_join(same_queries, client_as, coordinator, village):
    audit.record("members.settings_saved", actor=coordinator, village_id=village.id)  # the chain has begun
    same_queries(client_as(coordinator), "/leden/nieuw?zoek=Zoeknaam", lambda n: [
        p.full_name for p in UserFactory.create_batch(n, village=village, roles=(R.RESIDENT,), last_name="Zoeknaam")])


@pytest.mark.list_page("members.transfer_list")
def test_transfer_list(same_queries, client_as, coordinator, village, bank):
    def grow(n):
        people = _join(village, coordinator, n)
        _collect(village, coordinator)
        return [p.full_name for p in people]
    year = (local_now().date() + timedelta(days=20)).year
    same_queries(client_as(coordinator), f"/leden/contributie/overmaken?jaar={year}", grow)


@pytest.mark.list_page("members.transfer_csv")
def test_transfer_csv(same_queries, client_as, coordinator, village, bank):
    def grow(n):
        people = _join(village, coordinator, n)
        _collect(village, coordinator)
        return [p.full_name for p in people]
    year = (local_now().date() + timedelta(days=20)).year
    same_queries(client_as(coordinator), f"/leden/contributie/overmaken.csv?jaar={year}", grow)


@pytest.mark.list_page("members.contributions")
def test_contribution_runs(same_queries, client_as, coordinator, village, bank):
    def grow(n):
        found = []
        for _ in range(n):
            _join(village, coordinator, 1, debit=True)
            _collect(village, coordinator)
            found.append(f"{len(found)} incasso")
        return ["1 incasso, 0 overmaken"]
    year = (local_now().date() + timedelta(days=20)).year
    same_queries(client_as(coordinator), f"/leden/contributie?jaar={year}", grow)
