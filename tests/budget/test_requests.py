"""Hulpvragen: the coordinator's inbox, a resident's own list, finding a resident who phones."""
from __future__ import annotations

import pytest
from markupsafe import Markup

from tests.support.factories import HelpRequestFactory, UserFactory


@pytest.mark.list_page("requests.inbox")
@pytest.mark.parametrize("status", ["open", "all", "new", "searching"])
def test_inbox(same_queries, client_as, coordinator, village, status):
    def grow(n):
        rows = HelpRequestFactory.create_batch(n, village=village,
                                               status="searching" if status == "searching" else "new")
        return [r.resident.full_name for r in rows]
    same_queries(client_as(coordinator), f"/hulpvragen?status={status}", grow)


@pytest.mark.list_page("requests.mine")
def test_own_requests(same_queries, client_as, resident, village):
    def grow(n):
        rows = HelpRequestFactory.create_batch(n, village=village, resident=resident)
        return [Markup(f'href="/hulpvragen/{r.id}"') for r in rows]
    same_queries(client_as(resident), "/mijn-hulpvragen", grow)


@pytest.mark.list_page("requests.on_behalf_pick")
def test_find_resident_on_the_phone(same_queries, client_as, coordinator, village):
    def grow(n):
        return [u.full_name for u in UserFactory.create_batch(n, village=village, street="Lindenlaan")]
    same_queries(client_as(coordinator), "/hulpvragen/namens?zoek=lindenlaan", grow)
