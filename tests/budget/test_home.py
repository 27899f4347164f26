"""The home page per role: its panels list what waits for the person."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from coop.agreements import service as agreements
from coop.core.clock import now
from tests.budget.test_aids import _lent_items
from tests.support.factories import (
    CarerProfileFactory,
    CheckinFactory,
    DeadMailFactory,
    HelpRequestFactory,
    ProposalFactory,
    RespiteShiftFactory,
    VolunteerFactory,
)


@pytest.mark.list_page("core.home")
def test_coordinator_home(same_queries, client_as, coordinator, village):
    shown_dead = []  # the panel lists the latest 20

    def grow(n):
        HelpRequestFactory.create_batch(n, village=village, urgency="today")
        pending = VolunteerFactory.create_batch(n, village=village, profile__approved_at=None)
        flagged = CarerProfileFactory.create_batch(n, village=village)
        for i, p in enumerate(flagged):
            CheckinFactory(carer=p.carer, vas=4)
            if i % 2:
                RespiteShiftFactory(village=village, respite_request__carer=p.carer,
                                    respite_request__care_recipient=p.care_recipient)
        RespiteShiftFactory.create_batch(n, village=village, volunteer=None, status="open")
        dead = DeadMailFactory.create_batch(min(n, 20 - len(shown_dead)), village=village)
        shown_dead.extend(dead)
        late = _lent_items(village, coordinator, n, overdue=True)  # the aids panel's overdue list
        return [v.full_name for v in pending] + [p.carer.full_name for p in flagged] + \
            [d.recipient.full_name for d in dead] + late
    same_queries(client_as(coordinator), "/", grow)


@pytest.mark.list_page("core.home")
def test_volunteer_home(same_queries, client_as, volunteer, village):
    made = []

    def grow(n):
        proposals = ProposalFactory.create_batch(n, village=village, helper=volunteer)
        shifts = [RespiteShiftFactory(village=village, volunteer=volunteer,
                                      starts_at=now() + timedelta(hours=5 * (len(made) + i + 1))) for i in range(n)]
        made.extend(shifts)
        return [p.help_request.resident.first_name for p in proposals] + \
            [s.respite_request.care_recipient.first_name for s in shifts if s.starts_at < now() + timedelta(days=14)]
    same_queries(client_as(volunteer), "/", grow)


@pytest.mark.list_page("core.home")
def test_resident_home(same_queries, client_as, resident, village):
    def grow(n):
        HelpRequestFactory.create_batch(n, village=village, resident=resident)
        return ["Boodschappen"]
    same_queries(client_as(resident), "/", grow)


@pytest.mark.list_page("core.home")
def test_gemeente_home(same_queries, client_as, coordinator, municipality_user, village):
    titles = []

    def grow(n):
        made = []
        for i in range(n):
            a = agreements.create_agreement(village, by=coordinator, title=f"Afspraak {len(titles) + i}",
                                            starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31),
                                            review_on=date(2026, 7, 1))
            agreements.propose(a.latest, by=coordinator)
            made.append(a.title)
        titles.extend(made)
        return made
    same_queries(client_as(municipality_user), "/", grow)
