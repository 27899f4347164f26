"""Activities: the coordinator's list and the resident's list, each one query however many."""
from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

import pytest

from coop.activities import service
from coop.core import roles as R
from coop.core.clock import local_now
from tests.support.factories import UserFactory


def _plan(village, coordinator, n, title):
    made = []
    for i in range(n):
        activity = service.create(village.id, service.ActivityInput(
            kind="coffee", title=f"{title} {i}", on_date=local_now().date() + timedelta(days=1 + i % 20),
            start_time=time(10), end_time=time(11), venue="De Kapel", capacity=5, cost=Decimal("0")), by=coordinator)
        for person in UserFactory.create_batch(2, village=village, roles=(R.RESIDENT,)):
            service.sign_up(activity, person, by=coordinator)
        made.append(activity.title)
    return made


@pytest.mark.list_page("activities.index")
def test_activities_of_the_village(same_queries, client_as, coordinator, village, session):
    counter = iter(range(1000))
    same_queries(client_as(coordinator), "/activiteiten",
                 lambda n: _plan(village, coordinator, n, f"Koffie {next(counter)}"))


@pytest.mark.list_page("activities.mine")
def test_activities_for_a_resident(same_queries, client_as, coordinator, resident, village, session):
    counter = iter(range(1000))

    def grow(n):
        titles = _plan(village, coordinator, n, f"Samen {next(counter)}")
        return titles
    same_queries(client_as(resident), "/mijn-activiteiten", grow)
