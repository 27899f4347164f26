"""Cijfers: the figures of a village and the overview of all villages of the gemeente, as the
gemeente reads them (counts, never names)."""
from __future__ import annotations

import pytest

from coop.core.clock import local_now
from tests.support.factories import HelpRequestFactory, HoursEntryFactory, VillageFactory


@pytest.mark.list_page("reports.village")
def test_figures_of_the_village(same_queries, client_as, municipality_user, village):
    def grow(n):
        HelpRequestFactory.create_batch(n, village=village, status="searching")
        HoursEntryFactory.create_batch(n, village=village, status="approved")
        return []
    same_queries(client_as(municipality_user), f"/cijfers/dorp/{village.id}?jaar={local_now().year}", grow)


@pytest.mark.list_page("reports.municipality")
def test_overview_of_the_gemeente(same_queries, client_as, municipality_user, village):
    def grow(n):
        villages = VillageFactory.create_batch(n, municipality=village.municipality)
        for v in villages:
            HelpRequestFactory.create_batch(2, village=v, status="searching")
        return [v.name for v in villages]
    same_queries(client_as(municipality_user), f"/cijfers/gemeente?jaar={local_now().year}", grow)
