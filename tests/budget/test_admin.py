"""Beheer: the audit log, the task categories of the admin's village and the allowance limits per year."""
from __future__ import annotations

from decimal import Decimal

import factory
import pytest

from coop.core.models import AuditSubject, TaskCategory
from coop.respite.models import AllowanceLimits
from tests.support.factories import AuditLogFactory, UserFactory


def _audit_rows(village, session, n):
    """n looks at a resident's record on someone's behalf, each showing one other person too
    (rows are append-only: everything is written with the row)."""
    rows = AuditLogFactory.create_batch(n, village=village, on_behalf_of=factory.SelfAttribute("subject"))
    session.add_all(AuditSubject(audit_id=r.id, user_id=UserFactory(village=village).id) for r in rows)
    session.flush()
    return [r.actor.full_name for r in rows] + [r.subject.full_name for r in rows]


@pytest.mark.list_page("admin.audit_log")
def test_audit_log(same_queries, client_as, admin, village, session):
    same_queries(client_as(admin), "/beheer/logboek", lambda n: _audit_rows(village, session, n))


@pytest.mark.list_page("admin.audit_log_csv")
def test_audit_log_csv(same_queries, client_as, admin, village, session):
    same_queries(client_as(admin), "/beheer/logboek.csv", lambda n: _audit_rows(village, session, n))


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


@pytest.mark.list_page("respite.allowance_limits")
def test_allowance_limits_per_year(same_queries, client_as, admin, session):
    made: list[AllowanceLimits] = []

    def grow(n):
        start = len(made)
        for year in range(2030 + start, 2030 + start + n):
            made.append(AllowanceLimits(year=year, month_max=Decimal("230.00"), year_max=Decimal("2300.00"),
                                        hourly_max=Decimal("6.00"), hourly_max_young=Decimal("3.50")))
        session.add_all(made[start:])
        session.flush()
        return [f"/beheer/vrijwilligersvergoeding?jaar={r.year}" for r in made[start:]]
    same_queries(client_as(admin), "/beheer/vrijwilligersvergoeding", grow)
