"""Demo: "Austerlitz Belt", six residents who live alone and phone each other each morning;
one is on holiday this week, and each has a contact person with a key (a neighbour or family
member; some without e-mail, so an alert for them lands on the bellijst)."""
from __future__ import annotations

from datetime import time, timedelta

from coop.circles import service
from coop.core import roles as R
from coop.people import service as people

# Residents who live alone (no carers among them); inwoner4 logs in and sees the circle.
MEMBERS = (3, 2, 4, 5, 8, 9)
KEY_HOLDERS = (  # (first name, last name, phone, e-mail, relation); None: a volunteer of the village
    ("Anja", "Vermeulen", "+31612340001", None, "dochter"),
    None,
    ("Henk", "Rozendaal", "+31612340002", "henk.rozendaal@example.nl", "buurman"),
    ("Mieke", "van Asch", "+31612340003", None, "nicht"),
    ("Ria", "Hofstede", "+31612340004", None, "buurvrouw"),
    None,
)


def seed(ctx) -> None:
    residents = [ctx.residents[i] for i in MEMBERS]
    assert all(not p.has_role(R.CARER) for p in residents)
    circle = service.create_circle(ctx.village, name="Austerlitz Belt", start_time=time(9, 0),
                                   confirm_by=time(10, 0), members=list(residents), by=ctx.coordinator)
    helpers = iter(v for v in ctx.volunteers if v.email and v.phone)
    for member, holder in zip(sorted(circle.members, key=lambda m: m.position), KEY_HOLDERS, strict=True):
        if holder is None:
            service.set_key_holder(member, key_holder=next(helpers), relation="vrijwilliger, woont om de hoek",
                                   by=ctx.coordinator)
            continue
        first, last, phone, email, relation = holder
        contact = people.create_person(village=ctx.village, first_name=first, last_name=last, phone=phone,
                                       email=email, by=ctx.coordinator, roles=())
        service.set_key_holder(member, key_holder=contact, relation=relation, by=ctx.coordinator)
    away = sorted(circle.members, key=lambda m: m.position)[3]
    today = service.today()
    service.add_absence(away, starts_on=today - timedelta(days=2), ends_on=today + timedelta(days=8),
                        reason="holiday", by=ctx.coordinator)
