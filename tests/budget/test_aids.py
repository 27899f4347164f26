"""Lending aids: the stock, who has what, an item's history, and the resident's home panel (the
coordinator's overdue list is part of test_home.py's coordinator home)."""
from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from coop.aids import service
from coop.core import roles as R
from coop.core.clock import local_now
from tests.support.factories import UserFactory

_numbers = itertools.count(1)


def _lent_items(village, by, n, *, overdue=False):
    """n items, each lent to a resident of its own; returns the residents' names."""
    today = local_now().date()
    names = []
    for person in UserFactory.create_batch(n, village=village, email=None, roles=(R.RESIDENT,)):
        item = service.add_item(village.id, kind="rollator", label=f"R-{next(_numbers):04d}", condition="good",
                                by=by)
        start = today - timedelta(days=60 if overdue else 1)
        service.lend(item, person, starts_on=start, due_on=start + timedelta(days=30), by=by)
        names.append(person.full_name)
    return names


@pytest.mark.list_page("aids.stock")
def test_stock(same_queries, client_as, coordinator, village):
    same_queries(client_as(coordinator), "/hulpmiddelen/", lambda n: _lent_items(village, coordinator, n))


@pytest.mark.list_page("aids.loans")
def test_who_has_what(same_queries, client_as, coordinator, village):
    same_queries(client_as(coordinator), "/hulpmiddelen/uitgeleend", lambda n: _lent_items(village, coordinator, n))


def test_an_items_history(same_queries, client_as, coordinator, village):
    item = service.add_item(village.id, kind="rolstoel", label="RS-01", condition="good", by=coordinator)
    today = local_now().date()

    def grow(n):
        people = UserFactory.create_batch(n, village=village, email=None, roles=(R.RESIDENT,))
        for person in people:
            loan = service.lend(item, person, starts_on=today - timedelta(days=20), due_on=today, by=coordinator)
            service.record_return(loan, returned_on=today, condition="good", by=coordinator)
        return [p.full_name for p in people]
    same_queries(client_as(coordinator), f"/hulpmiddelen/{item.id}", grow)


def test_what_a_resident_has_on_loan_on_their_home(same_queries, client_as, resident, coordinator, village):
    today = local_now().date()

    def grow(n):
        labels = []
        for _ in range(n):
            item = service.add_item(village.id, kind="krukken", label=f"K-{next(_numbers):04d}", condition="good",
                                    by=coordinator)
            service.lend(item, resident, starts_on=today, due_on=today + timedelta(days=10), by=coordinator)
            labels.append(item.label)
        return labels
    same_queries(client_as(resident), "/", grow)
