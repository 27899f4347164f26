"""A phone circle of four residents who live alone, each with a key holder."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time

import pytest

from coop.circles import service
from coop.circles.models import PhoneCircle
from coop.core import clock
from coop.core import roles as R
from coop.core.models import User

# Tuesday 17 March 2026, 08:30 in Amsterdam: the round starts at 09:00, must be round by 10:00.
MORNING = datetime(2026, 3, 17, 7, 30, tzinfo=UTC)


@dataclass
class Circle:
    circle: PhoneCircle
    people: list[User]  # in the circle's order
    key_holders: list[User]
    coordinator: User

    def member(self, i: int):
        return sorted(self.circle.members, key=lambda m: m.position)[i]


@pytest.fixture
def morning():
    clock.freeze(MORNING)
    yield MORNING
    clock.freeze(None)


@pytest.fixture
def belt(session, make, village, coordinator, morning) -> Circle:
    names = [("Bep", "Jansen"), ("Cor", "de Wit"), ("Dirk", "Smit"), ("Els", "Mulder")]
    people = [make.user(village, R.RESIDENT, first_name=f, last_name=last, street=f"{f}straat",
                        phone=f"+3161111000{i}") for i, (f, last) in enumerate(names)]
    circle = service.create_circle(village, name="Austerlitz Belt", start_time=time(9, 0), confirm_by=time(10, 0),
                                   members=list(people), by=coordinator)
    # Bep's daughter has e-mail; Cor's neighbour has none (the bellijst); Dirk's is a resident.
    anja = make.user(village, first_name="Anja", last_name="Sleutel", phone="+31622227771", street="Anjaweg")
    henk = make.user(village, email=None, first_name="Henk", last_name="Buurman", phone="+31622227772",
                     street="Henkweg")
    ria = make.user(village, first_name="Ria", last_name="Overbuur", phone="+31622227773", street="Riaweg")
    holders = [anja, henk, ria]
    ordered = sorted(circle.members, key=lambda m: m.position)
    for member, holder, relation in zip(ordered, holders, ("dochter", "buurman", "buurvrouw"), strict=False):
        service.set_key_holder(member, key_holder=holder, relation=relation, by=coordinator)
    # Make the circle an earlier day's, so the rule treats today as a normal morning.
    circle.created_at = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    session.commit()
    return Circle(circle, people, holders, coordinator)
