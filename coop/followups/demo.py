"""Demo follow-ups: something in the bell and under "Niet bezorgd", and mail waiting to go."""
from __future__ import annotations

from datetime import timedelta

from coop.core import outbox as O
from coop.core.clock import now
from coop.followups import rules


def seed(ctx) -> None:
    at = now()
    coordinator = ctx.coordinator
    resident = ctx.residents[0] if ctx.residents else coordinator
    carer = ctx.carers[0] if ctx.carers else resident

    # Unread in-app notifications for the coordinator (the bell shows 2).
    for title, body, ago in [
        ("Bericht niet bezorgd", "1 bericht kon niet worden bezorgd. Kijk op de startpagina bij "
                                 "'Niet bezorgd' wie u kunt bellen.", 2),
        (f"Bel {resident.full_name}", f"{resident.full_name} heeft geen e-mailadres. Wilt u bellen over "
                                      "de vraag of de hulp goed is gegaan?", 5)]:
        row = O.queue(rules.DEAD_ALERT, coordinator, channel=O.INAPP, payload={"count": 1})
        assert row is not None  # queued without a dedupe key: never skipped
        row.status, row.title, row.body = O.SENT, title, body
        row.sent_at = row.due_at = row.created_at = at - timedelta(hours=ago)

    # Sent, dead and pending mail.
    sent = O.queue(rules.CARER_CHECKIN, carer, payload={"round": 1})
    dead = O.queue(rules.CARER_CHECKIN, carer, payload={"round": 2})
    assert sent is not None and dead is not None
    sent.status, sent.attempts, sent.title = O.SENT, 1, "Hoe gaat het met u als mantelzorger?"
    sent.sent_at = sent.due_at = at - timedelta(days=3)
    dead.status, dead.attempts, dead.title = O.DEAD, 6, "Hoe gaat het met u als mantelzorger?"
    dead.last_error = "550 5.1.1 Mailbox bestaat niet"
    dead.due_at = at - timedelta(days=1)
    week = "{}-W{:02d}".format(*at.isocalendar()[:2])
    O.queue(rules.DIGEST, coordinator, payload={"week": week}, due_at=at + timedelta(minutes=1),
            dedupe_key=f"digest:{coordinator.id}:{week}")
