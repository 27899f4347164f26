"""Matching: the helper's Voorstellen, the coordinator's proposals of a request (on its page and
on the matching page), the village map and its points, the helper's availability."""
from __future__ import annotations

from datetime import time, timedelta

import pytest

from coop.core.clock import local_now
from coop.people.models import Absence, WeeklySlot
from tests.support.factories import (
    AuditLogFactory,
    HelpRequestFactory,
    ProfessionalFactory,
    ProposalFactory,
    VolunteerFactory,
)


@pytest.mark.list_page("matching.my_proposals")
def test_my_proposals(same_queries, client_as, volunteer, village):
    def grow(n):
        proposals = ProposalFactory.create_batch(n, village=village, helper=volunteer)
        return [p.help_request.resident.first_name for p in proposals]
    same_queries(client_as(volunteer), "/voorstellen", grow)


@pytest.mark.list_page("matching.match")
def test_proposals_of_a_request(same_queries, client_as, coordinator, village):
    req = HelpRequestFactory(village=village, status="searching")

    def grow(n):
        return [p.helper.full_name for p in ProposalFactory.create_batch(n, village=village, help_request=req)]
    same_queries(client_as(coordinator), f"/hulpvragen/{req.id}/koppelen", grow)


@pytest.mark.list_page("requests.show")
def test_proposals_on_the_request_page(same_queries, client_as, coordinator, village):
    req = HelpRequestFactory(village=village, status="searching")

    def grow(n):
        return [p.helper.full_name for p in ProposalFactory.create_batch(n, village=village, help_request=req)]
    same_queries(client_as(coordinator), f"/hulpvragen/{req.id}", grow)


@pytest.mark.list_page("matching.village_map")
def test_village_map(same_queries, client_as, coordinator, village):
    def grow(n):
        requests = HelpRequestFactory.create_batch(n, village=village, status="searching")
        helpers = VolunteerFactory.create_batch(n - n // 5, village=village) + \
            ProfessionalFactory.create_batch(n // 5, village=village)
        return [r.resident.first_name for r in requests] + [h.last_name for h in helpers]
    client = client_as(coordinator)
    AuditLogFactory(village=village, actor=coordinator, action="map.viewed")  # written once a day: seen today
    same_queries(client, "/kaart", grow)


@pytest.mark.list_page("matching.village_map_points")
def test_village_map_points(same_queries, client_as, coordinator, village):
    def grow(n):
        requests = HelpRequestFactory.create_batch(n, village=village, status="searching")
        helpers = VolunteerFactory.create_batch(n - n // 5, village=village) + \
            ProfessionalFactory.create_batch(n // 5, village=village)
        return [f'"id":{r.id},' for r in requests] + [h.last_name for h in helpers]
    client = client_as(coordinator)
    AuditLogFactory(village=village, actor=coordinator, action="map.viewed")  # written once a day: seen today
    same_queries(client, "/kaart/punten", grow)


@pytest.mark.list_page("matching.my_availability")
def test_my_availability(same_queries, client_as, volunteer, session):
    made = []

    def grow(n):
        start = local_now().date() + timedelta(days=10 + 3 * len(made))
        rows = [WeeklySlot(user_id=volunteer.id, weekday=i % 7, start=time(9 + i % 8), end=time(18)) for i in range(n)]
        rows += [Absence(user_id=volunteer.id, starts_on=start + timedelta(days=3 * i),
                         ends_on=start + timedelta(days=3 * i + 1), note=f"weg {len(made) + i}") for i in range(n)]
        made.extend(rows)
        session.add_all(rows)
        session.flush()
        return [r.note for r in rows if isinstance(r, Absence)]
    same_queries(client_as(volunteer), "/beschikbaarheid", grow)
