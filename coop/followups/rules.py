"""Periodic rules: small functions that look at the database and queue what is due.

Each rule is `fn(at) -> int` (how many follow-ups it queued). Features register theirs with
`coop.core.registry.periodic_rule` in their own `rules.py` (requests: "Bent u geholpen?" and
escalation; respite: CarerQol check-ins and shift hours; agreements: review dates); this
module runs them and holds the rules of the outbox itself (the weekly digest, dead mail).
The scheduler runs them every minute; each runs in its own transaction and queues at most one
row per `dedupe_key`, so running twice (or in two processes) queues nothing twice, and
nothing here depends on memory between runs.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from coop.core import outbox as O
from coop.core import registry
from coop.core.clock import LOCAL, now
from coop.core.models import Village
from coop.core.once import forget_old_tokens
from coop.core.registry import Rule, periodic_rule
from coop.core.transaction import unit_of_work
from coop.extensions import db

log = logging.getLogger(__name__)

DIGEST, DEAD_ALERT = "digest.weekly", "followups.dead"


def run_rules(at: datetime | None = None, rules: Iterable[Rule] | None = None) -> dict[str, int]:
    """Run every rule once, each in its own transaction. A failing rule does not stop the rest."""
    at = at or now()
    results = {}
    for rule in list(rules or registry.periodic_rules()):
        try:
            with unit_of_work():
                results[rule.__name__] = rule(at)
        except IntegrityError:
            # Another scheduler queued the same dedupe_key first: nothing is lost, it is there.
            results[rule.__name__] = 0
        except Exception:
            log.exception("periodic rule %s failed", rule.__name__)
            results[rule.__name__] = -1
    return results


def run_daily_jobs(at: datetime | None = None) -> int:
    """Run the daily jobs (retention) in one transaction; what they changed, summed."""
    at = at or now()
    with unit_of_work():
        return sum(job(at) for job in registry.daily_jobs())


def villages() -> list[Village]:
    return list(db.session.scalars(select(Village).order_by(Village.id)))


def alert_coordinators(kind: str, village_id: int | None, *, payload: dict, subject: O.Subject | None = None,
                       dedupe_key: str, channels=(O.MAIL, O.INAPP)) -> int:
    """Queue `kind` to every coordinator of the village, by mail and in the bell."""
    queued = 0
    for coordinator in O.coordinators(village_id):
        for channel in channels:
            row = O.queue(kind, coordinator, payload=payload, channel=channel, subject=subject,
                          village_id=village_id, dedupe_key=f"{dedupe_key}:{coordinator.id}:{channel}")
            queued += row is not None
    return queued


def stamp(moment: datetime) -> int:
    """A moment as whole seconds, for dedupe keys."""
    return int(moment.timestamp())


# --- weekly digest and dead mail ----------------------------------------------------------

@periodic_rule
def weekly_digest(at: datetime) -> int:
    """One digest per coordinator per ISO week, from Monday 08:00 (local) on."""
    local = at.astimezone(LOCAL)
    if local.isoweekday() == 1 and local.hour < 8:
        return 0
    year, week, _ = local.isocalendar()
    queued = 0
    for village in villages():
        for coordinator in O.coordinators(village.id):
            queued += O.queue(DIGEST, coordinator, payload={"week": f"{year}-W{week:02d}"},
                              dedupe_key=f"digest:{coordinator.id}:{year}-W{week:02d}") is not None
    return queued


@periodic_rule
def dead_mail_alert(at: datetime) -> int:
    """A new dead follow-up in a village gives its coordinators one in-app note."""
    queued = 0
    rows = db.session.execute(
        select(O.FollowUp.village_id, func.max(O.FollowUp.id), func.count(O.FollowUp.id))
        .where(O.FollowUp.status == O.DEAD, O.FollowUp.village_id.is_not(None))
        .group_by(O.FollowUp.village_id))
    for village_id, newest, count in rows:
        queued += alert_coordinators(DEAD_ALERT, village_id, payload={"count": count},
                                     dedupe_key=f"dead:{village_id}:{newest}", channels=(O.INAPP,))
    return queued


# Housekeeping, once a day: the one-time tokens of create forms are kept a month.
registry.daily_job(forget_old_tokens)
