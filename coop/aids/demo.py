"""The demo's aids: ten items in the stock, four on loan (one overdue, one with the resident of
the "inwoner en mantelzorger" login), one in repair, and a rollator reserved from an open
hulpvraag whose Schijf van Vijf names one."""
from __future__ import annotations

from datetime import timedelta

from coop.aids import rules, service
from coop.aids.models import GOOD, REPAIR, WORN
from coop.core.clock import local_now, now

STOCK = [
    ("rollator", "R-01", GOOD, "Schuur achter het dorpshuis"),
    ("rollator", "R-02", WORN, "Schuur achter het dorpshuis"),
    ("rollator", "R-03", GOOD, "Schuur achter het dorpshuis"),
    ("rolstoel", "RS-01", GOOD, "Berging dorpshuis"),
    ("rolstoel", "RS-02", REPAIR, "Berging dorpshuis"),
    ("douchestoel", "D-01", GOOD, "Kast in de gang van het dorpshuis"),
    ("douchestoel", "D-02", WORN, "Kast in de gang van het dorpshuis"),
    ("toiletverhoger", "T-01", GOOD, "Kast in de gang van het dorpshuis"),
    ("krukken", "K-01", GOOD, "Berging dorpshuis"),
    ("looprek", "L-01", GOOD, "Berging dorpshuis"),
]


def seed(ctx) -> None:
    today = local_now().date()
    by = ctx.coordinator
    items = {label: service.add_item(ctx.village.id, kind=kind, label=label, condition=condition, stored_at=where,
                                     by=by) for kind, label, condition, where in STOCK}
    items["RS-02"].notes = "Rechterrem pakt niet goed; Gerrit kijkt ernaar."
    residents = ctx.residents
    # (item, resident, started days ago, weeks lent): the first is overdue, the second due in two days.
    for label, person, ago, weeks in [("R-02", residents[4], 50, 6), ("D-01", residents[7], 40, 6),
                                      ("RS-01", residents[10], 10, 8), ("T-01", residents[0], 14, 8)]:
        start = today - timedelta(days=ago)
        service.lend(items[label], person, starts_on=start, due_on=start + timedelta(weeks=weeks), by=by,
                     notes="Opgehaald door de buurman." if label == "D-01" else "")
    # A returned loan, so that an item has a history.
    earlier = service.lend(items["K-01"], residents[13], starts_on=today - timedelta(days=90),
                           due_on=today - timedelta(days=48), by=by)
    service.record_return(earlier, returned_on=today - timedelta(days=50), condition=GOOD, by=by)
    _reserve_from_a_request(ctx, items["R-01"])
    rules.aid_loan_reminders(now())


def _reserve_from_a_request(ctx, rollator) -> None:
    today = local_now().date()
    for req in getattr(ctx, "requests", []):
        if req.is_open and service.aids_line(req) is not None:
            service.reserve(rollator, req.resident, starts_on=today + timedelta(days=2),
                            due_on=today + timedelta(days=2, weeks=6), by=ctx.coordinator, help_request=req,
                            notes="Brengen met de boodschappenkar.")
            return
