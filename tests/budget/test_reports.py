"""Cijfers: the figures of the village, as the gemeente reads them (counts, never names)."""
from __future__ import annotations

import pytest

from coop.core.clock import local_now
from tests.support.factories import HelpRequestFactory, HoursEntryFactory


@pytest.mark.list_page("reports.village")
def test_figures_of_the_village(same_queries, client_as, municipality_user, village):
    def grow(n):
        HelpRequestFactory.create_batch(n, village=village, status="searching")
        HoursEntryFactory.create_batch(n, village=village, status="approved")
        return []
    same_queries(client_as(municipality_user), f"/cijfers/dorp/{village.id}?jaar={local_now().year}", grow)
