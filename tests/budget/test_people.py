"""Mensen: the coordinator's list of people, per role, and one's own data page."""
from __future__ import annotations

import pytest

from coop.core import roles as R
from tests.support.factories import AuditLogFactory, ProfessionalFactory, UserFactory, VolunteerFactory

MAKERS = {
    R.VOLUNTEER: VolunteerFactory.create_batch,
    R.PROFESSIONAL: ProfessionalFactory.create_batch,
}


@pytest.mark.list_page("people.index")
@pytest.mark.parametrize("role", [None, *R.ALL])
def test_people_list(same_queries, client_as, coordinator, village, role):
    def grow(n):
        if role in MAKERS:
            people = MAKERS[role](n, village=village)
        else:
            people = UserFactory.create_batch(n, village=village, roles=(role or R.RESIDENT,))
        return [p.full_name for p in people]
    same_queries(client_as(coordinator), f"/mensen?rol={role}" if role else "/mensen", grow)


@pytest.mark.list_page("people.my_data")
def test_my_data(same_queries, client_as, resident, village):
    def grow(n):
        from coop.core import audit_text
        rows = AuditLogFactory.create_batch(n, village=village, subject=resident)
        return [audit_text.sentence(r, resident) for r in rows]  # "Marieke (dorpsondersteuner) bekeek…"
    same_queries(client_as(resident), "/mijn-gegevens", grow)
