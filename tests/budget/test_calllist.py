"""Bellijst: the coordinator's calls to make today, each with what to say."""
from __future__ import annotations

import pytest

from coop.core import outbox as O
from coop.core import roles as R
from coop.respite import rules as respite_rules
from tests.support.factories import UserFactory


@pytest.mark.list_page("calllist.index")
def test_calls_to_make(same_queries, client_as, coordinator, village, session):
    def grow(n):
        people = UserFactory.create_batch(n, village=village, email=None, roles=(R.RESIDENT, R.CARER))
        for i, person in enumerate(people):
            row = O.queue(respite_rules.CARER_CHECKIN, person, payload={"round": 1})
            if i % 2 and row is not None:
                # Sent already: the page shows the in-app copy the dispatcher stored.
                row.status, row.title, row.body = O.SENT, f"Bericht voor {person.first_name}", "Hoe gaat het?"
        session.flush()
        return [p.full_name for p in people]
    same_queries(client_as(coordinator), "/bellijst/", grow)
