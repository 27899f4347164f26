"""Phone circles: the coordinator's list of circles, and a member's own circle."""
from __future__ import annotations

from datetime import time

import pytest

from coop.circles import service
from coop.core import roles as R
from tests.support.factories import UserFactory


@pytest.mark.list_page("circles.index")
def test_circles(same_queries, client_as, coordinator, village, session):
    made = []

    def grow(n):
        names = []
        for _ in range(n):
            people = UserFactory.create_batch(2, village=village, email=None, roles=(R.RESIDENT,))
            circle = service.create_circle(village, name=f"Cirkel {len(made) + 1}", start_time=time(9),
                                           confirm_by=time(10), members=people, by=coordinator)
            made.append(circle)
            names.append(circle.name)
        session.flush()
        return names
    same_queries(client_as(coordinator), "/telefooncirkels", grow)


@pytest.mark.list_page("circles.mine")
def test_my_circle(same_queries, client_as, coordinator, resident, village, session):
    first = UserFactory.create(village=village, email=None, roles=(R.RESIDENT,))
    circle = service.create_circle(village, name="Belt", start_time=time(9), confirm_by=time(10),
                                   members=[resident, first], by=coordinator)

    def grow(n):
        people = UserFactory.create_batch(n, village=village, email=None, roles=(R.RESIDENT,))
        for person in people:
            service.add_member(circle, person, by=coordinator)
        session.flush()
        return [p.full_name for p in people]
    same_queries(client_as(resident), "/mijn-telefooncirkel", grow)
