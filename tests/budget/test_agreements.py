"""Afspraken: the list of agreements, for the coordinator and for the gemeente."""
from __future__ import annotations

from datetime import date

import pytest

from coop.agreements import service
from coop.core import roles as R


@pytest.fixture
def agreements(village, coordinator, municipality_user):
    """make(n): n agreements; every other one agreed by both sides and changed again (version 2)."""
    made = []

    def make(n):
        for i in range(len(made), len(made) + n):
            a = service.create_agreement(village, by=coordinator, title=f"Afspraken Austerlitz {2000 + i}",
                                         starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31),
                                         review_on=date(2026, 7, 1))
            if i % 2:
                service.propose(a.latest, by=coordinator)
                service.sign(a.latest, by=coordinator, name=coordinator.full_name)
                service.sign(a.latest, by=municipality_user, name=municipality_user.full_name)
                service.start_revision(a, by=coordinator)
            made.append(a)
        return [a.title for a in made[-n:]]
    return make


@pytest.mark.list_page("agreements.index")
@pytest.mark.parametrize("who", [R.COORDINATOR, R.MUNICIPALITY])
def test_agreements(same_queries, client_as, coordinator, municipality_user, agreements, who):
    viewer = coordinator if who == R.COORDINATOR else municipality_user
    same_queries(client_as(viewer), "/afspraken/", agreements)
