"""A person's copy of their data: the same statements for a short history as for a long one."""
from __future__ import annotations

from datetime import timedelta

import pytest

from coop.core import audit_text
from coop.core import outbox as O
from coop.core.clock import now
from coop.extensions import db
from coop.requests.models import RequestEvent
from tests.support.factories import AuditLogFactory, CheckinFactory, HelpRequestFactory, ProposalFactory


def _history(carer, village):
    def grow(n):
        shown = []
        for _ in range(n):
            req = HelpRequestFactory(village=village, resident=carer, status="done", closed_at=now())
            db.session.add(RequestEvent(help_request=req, action="posted", note=f"notitie bij {req.description}"))
            ProposalFactory(village=village, help_request=req, status="accepted")
            CheckinFactory(carer=carer, taken_at=now() - timedelta(days=len(shown) + 1))
            db.session.add(O.FollowUp(village_id=village.id, recipient_id=carer.id, kind="k", status=O.SENT,
                                      body=f"bericht over {req.description}"))
            row = AuditLogFactory(village=village, subject=carer)
            shown += [req.description, f"bericht over {req.description}", audit_text.sentence(row, carer)]
        db.session.flush()
        return shown
    return grow


@pytest.mark.list_page("privacy.my_export")
def test_my_copy_as_json(same_queries, client_as, carer, village):
    same_queries(client_as(carer), "/mijn-gegevens/download.json", _history(carer, village))


@pytest.mark.list_page("privacy.my_print")
def test_my_copy_to_print(same_queries, client_as, carer, village):
    same_queries(client_as(carer), "/mijn-gegevens/afdrukken", _history(carer, village))
