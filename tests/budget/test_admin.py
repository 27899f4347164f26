"""Beheer: the audit log and the task categories of the admin's village."""
from __future__ import annotations

import pytest

from coop.core.models import TaskCategory
from tests.support.factories import AuditLogFactory


@pytest.mark.list_page("admin.audit_log")
def test_audit_log(same_queries, client_as, admin, village):
    def grow(n):
        rows = AuditLogFactory.create_batch(n, village=village)
        return [r.actor.full_name for r in rows] + [r.subject.full_name for r in rows]
    same_queries(client_as(admin), "/beheer/logboek", grow)


@pytest.mark.list_page("admin.categories")
def test_categories(same_queries, client_as, coordinator, village, session):
    made = []

    def grow(n):
        start = len(made)
        for i in range(start, start + n):
            made.append(TaskCategory(village_id=village.id, code=f"taak-{i}", name=f"Klus nummer {i}",
                                     rule=TaskCategory.OPEN, sort_order=100 + i))
        session.add_all(made[start:])
        session.flush()
        return [c.name for c in made[start:]]
    same_queries(client_as(coordinator), "/beheer/categorieen", grow)
