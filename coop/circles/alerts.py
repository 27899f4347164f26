"""What a missed call and a round not confirmed in time queue in the outbox.

The key holder gets a mail; without an e-mail address the outbox puts them on the bellijst
(coop/core/calls.py), so the coordinator phones them. Each coordinator gets a mail and an
in-app note (the bell, and the panel on their home page). Every row has the missed call (or
the round) as its subject.
"""
from __future__ import annotations

from coop.circles.models import CircleRound, MissedCall
from coop.core import outbox as O

KEY_HOLDER = "circle.key_holder_alert"
COORDINATOR = "circle.no_answer"
LATE = "circle.round_late"
KINDS = (KEY_HOLDER, COORDINATOR, LATE)


def missed_call(row: MissedCall) -> None:
    payload = {"missed_id": row.id}
    key_holder = row.member.key_holder
    if key_holder is not None:
        O.queue(KEY_HOLDER, key_holder, payload=payload, subject=row, village_id=row.village_id)
    _tell_coordinators(COORDINATOR, row.village_id, payload, row)


def round_late(rnd: CircleRound) -> int:
    return _tell_coordinators(LATE, rnd.village_id, {"round_id": rnd.id}, rnd,
                              dedupe=f"circle-late:{rnd.circle_id}:{rnd.day.isoformat()}")


def _tell_coordinators(kind: str, village_id: int, payload: dict, subject: O.Subject,
                       dedupe: str | None = None) -> int:
    queued = 0
    for coordinator in O.coordinators(village_id):
        key = f"{dedupe}:{coordinator.id}" if dedupe else None
        if coordinator.email:
            O.queue(kind, coordinator, payload=payload, channel=O.INAPP, subject=subject, village_id=village_id,
                    dedupe_key=f"{key}:inapp" if key else None)
        queued += O.queue(kind, coordinator, payload=payload, subject=subject, village_id=village_id,
                          dedupe_key=key) is not None
    return queued
