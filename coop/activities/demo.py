"""The demo's activities: a coffee morning, the shared meal "Austerlitz Eet" that is nearly
full (one guest is picked up), an exercise class that is full with one on the waiting list,
an outing with a volunteer helping (it is in vrijwilliger3's calendar feed), and last week's
coffee morning with its attendance recorded."""
from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

from coop.activities import service
from coop.activities.service import ActivityInput
from coop.core.clock import local_now
from coop.extensions import db

KAPEL = {"venue": "Dorpshuis De Kapel", "street": "Dorpsstraat", "house_number": "12", "place": "Austerlitz"}
DIETS = ["geen varkensvlees", "vegetarisch", "", "zoutarm", "", "", ""]


def _plan(ctx, kind, title, days, start, end, capacity, cost, description, where=None):
    return service.create(ctx.village.id, ActivityInput(
        kind=kind, title=title, on_date=local_now().date() + timedelta(days=days), start_time=start, end_time=end,
        capacity=capacity, cost=Decimal(cost), description=description, **(where or KAPEL)), by=ctx.coordinator)


def seed(ctx) -> None:
    coordinator, people = ctx.coordinator, ctx.residents
    coffee = _plan(ctx, "coffee", "Koffieochtend in de Kapel", 3, time(10), time(11, 30), 20, "0",
                   "Koffie, thee en een praatje. Iedereen is welkom, ook als u nog niemand kent.")
    for person in people[1:6]:
        service.sign_up(coffee, person, by=coordinator)

    meal = _plan(ctx, "meal", "Austerlitz Eet", 5, time(17, 30), time(19, 30), 8, "7.50",
                 "Samen aan tafel: soep, een hoofdgerecht en een toetje, gekookt door vrijwilligers.")
    for i, person in enumerate(people[6:13]):
        service.sign_up(meal, person, by=coordinator, dietary_note=DIETS[i], wants_lift=i == 0)

    move = _plan(ctx, "exercise", "Austerlitz Beweegt", 6, time(14), time(15), 4, "2",
                 "Stoelgym met muziek, op uw eigen tempo.",
                 {"venue": "Gymzaal De Linde", "street": "Lindelaan", "house_number": "4", "place": "Austerlitz"})
    for person in people[13:18]:
        service.sign_up(move, person, by=coordinator)  # the fifth lands on the waiting list

    outing = _plan(ctx, "outing", "Austerlitz Gaat Uit: Paleis Soestdijk", 12, time(10), time(16), 12, "15",
                   "Met de bus naar Paleis Soestdijk, rondleiding en lunch. Rolstoel mee kan.",
                   {"venue": "Vertrek bij De Kapel", "street": "Dorpsstraat", "house_number": "12",
                    "place": "Austerlitz"})
    for person in people[18:22]:
        service.sign_up(outing, person, by=coordinator)
    service.add_helper(outing, ctx.volunteers[2], by=coordinator)
    service.add_helper(meal, ctx.volunteers[2], by=coordinator)

    # Last week's coffee morning: planned as a coming one, then moved back a week as if it
    # happened, with who came.
    past = _plan(ctx, "coffee", "Koffieochtend in de Kapel", 1, time(10), time(11, 30), 20, "0",
                 "Koffie, thee en een praatje.")
    for person in people[22:30]:
        service.sign_up(past, person, by=coordinator)
    past.on_date = local_now().date() - timedelta(days=7)
    db.session.flush()
    present = {s.id for i, s in enumerate(past.signed_up) if i % 4 != 3}
    service.record_attendance(past, present, by=coordinator)
