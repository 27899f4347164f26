"""Meldingen: the in-app messages behind the bell."""
from __future__ import annotations

import pytest

from tests.support.factories import NotificationFactory


@pytest.mark.list_page("followups.notifications")
def test_notifications(same_queries, client_as, volunteer):
    def grow(n):
        return [m.title for m in NotificationFactory.create_batch(n, recipient=volunteer)]
    same_queries(client_as(volunteer), "/meldingen", grow)
