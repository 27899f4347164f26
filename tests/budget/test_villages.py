"""Platform: the list of villages, with how many people each has (never who)."""
from __future__ import annotations

import pytest

from coop.core import roles as R
from tests.support.factories import UserFactory, VillageFactory


@pytest.mark.list_page("villages.index")
def test_villages(same_queries, client_as, make, village):
    def grow(n):
        villages = VillageFactory.create_batch(n)
        for v in villages:
            UserFactory.create_batch(2, village=v)
            UserFactory(village=v, roles=(R.COORDINATOR,))
        return [v.name for v in villages] + [v.municipality.name for v in villages]
    same_queries(client_as(make.user(village, R.PLATFORM)), "/platform/", grow)
