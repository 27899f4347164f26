"""Demo follow-ups: something in the bell, and mail waiting to go."""
from __future__ import annotations

from datetime import timedelta

from coop.core import outbox as O
from coop.core.clock import now
from coop.followups import rules


def seed(ctx) -> None:
    at = now()
    coordinator = ctx.coordinator
    resident = ctx.residents[0] if ctx.residents else coordinator

    # Unread in-app notifications for the coordinator (the bell shows 2).
    for title, body, ago in [
        ("Bericht niet bezorgd", "1 bericht kon niet worden bezorgd. Kijk op de startpagina bij "
                                 "'Niet bezorgd' wie u kunt bellen.", 2),
        (f"Bel {resident.full_name}", f"{resident.full_name} heeft geen e-mailadres. Wilt u bellen over "
                                      "de vraag of de hulp goed is gegaan?", 5)]:
        row = O.queue(rules.DEAD_ALERT, coordinator, channel=O.INAPP, payload={"count": 1})
        assert row is not None  # queued without a dedupe key: never skipped
        for action in ("claim", "deliver"):
            O.OUTBOX.apply(row, action)
        row.title, row.body = title, body
        row.sent_at = row.due_at = row.created_at = at - timedelta(hours=ago)

    # Mail waiting to go (the respite demo adds a sent and a dead check-in mail).
    week = "{}-W{:02d}".format(*at.isocalendar()[:2])
    O.queue(rules.DIGEST, coordinator, payload={"week": week}, due_at=at + timedelta(minutes=1),
            dedupe_key=f"digest:{coordinator.id}:{week}")
