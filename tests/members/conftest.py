"""A village with the cooperative's bank details, and a way to make member households."""
from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from coop.core import clock
from coop.core import roles as R
from coop.members import sepa, service
from coop.members.models import DIRECT_DEBIT, TRANSFER, Household, MemberSettings

CREDITOR_NUMBER = "123456780000"
CREDITOR_ID = f"NL{sepa.creditor_check_digits('NL', CREDITOR_NUMBER)}ZZZ{CREDITOR_NUMBER}"
IBANS = ["NL20INGB0001234567", "NL02ABNA0123456789", "NL44RABO0123456789", "NL39RABO0300065264"]


NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday, 10:00 in Amsterdam


@pytest.fixture(autouse=True)
def clock_on_monday():
    clock.freeze(NOW)
    yield NOW
    clock.freeze(None)


@pytest.fixture
def bank(session, village):
    settings = MemberSettings(village_id=village.id, yearly_fee=Decimal("25.00"), creditor_id=CREDITOR_ID,
                              account_name="Zorgcoöperatie Austerlitz", iban="NL91ABNA0417164300", bic="ABNANL2A")
    session.add(settings)
    session.flush()
    return settings


@pytest.fixture
def join(session, village, coordinator):
    """join(person, debit=True, **more) -> a member household of `person`."""
    count = iter(range(len(IBANS) * 10))

    def make(person, debit=True, others=(), **more):
        data = service.JoinInput(people=[person, *others], method=DIRECT_DEBIT if debit else TRANSFER,
                                 starts_on=more.pop("starts_on", date(2026, 1, 1)), **more)
        if debit:
            data.iban = data.iban or IBANS[next(count) % len(IBANS)]
            data.account_holder = data.account_holder or person.full_name
            data.signed_on = data.signed_on or date(2026, 1, 1)
        household = service.join(village, data, by=coordinator)
        session.flush()
        return household
    return make


@pytest.fixture
def households_count(session):
    return lambda: session.scalar(select(func.count(Household.id)))


@pytest.fixture
def bep(make, village):
    return make.user(village, R.RESIDENT, first_name="Bep", last_name="Jansen")


@pytest.fixture
def piet(make, village):
    """A resident without e-mail: his letters go on the bellijst."""
    return make.user(village, R.RESIDENT, email=None, first_name="Piet", last_name="Visser")
