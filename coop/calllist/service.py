"""Working the bellijst: who to call today, what to say, and recording the outcome."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coop.core import audit
from coop.core import outbox as O
from coop.core.calls import ALREADY_HANDLED, CALLED, CALLS, OPEN, TAKEN_OVER, CallTask
from coop.core.clock import local_now
from coop.core.errors import DomainError
from coop.core.models import User
from coop.extensions import db

log = logging.getLogger(__name__)
NOT_REACHED = "not_reached"
OUTCOMES = {CALLED: "Gebeld en doorgegeven", NOT_REACHED: "Niet bereikt: morgen opnieuw proberen",
            TAKEN_OVER: "Overgenomen door iemand anders"}
MAX_NOTE = 500


@dataclass(frozen=True)
class Call:
    """One line of the list: the task, and the message in plain words."""
    task: CallTask
    why: str
    what_to_say: str


def _message(task: CallTask) -> tuple[str, str]:
    row = task.followup
    if row is None:
        return "Een bericht", ""
    if row.title and row.body:
        return row.title, row.body  # the in-app copy the dispatcher stored
    try:
        message = O.build_message(row)
    except O.Obsolete:
        return "Niet meer nodig", "Dit bericht is niet meer nodig; u kunt de oproep afronden."
    except Exception:  # one broken message must not hide the rest of the list
        log.exception("call %s: message %s could not be written", task.id, row.id)
        return "Een bericht", "De tekst kon niet worden opgemaakt. Kijk bij de persoon wat er speelt."
    return message.subject, message.text


def calls_due(village_id: int, today: date | None = None) -> list[Call]:
    """Open calls due today or earlier, oldest first."""
    today = today or local_now().date()
    tasks = db.session.scalars(
        select(CallTask).where(CallTask.village_id == village_id, CallTask.status == OPEN,
                               CallTask.due_on <= today)
        .options(selectinload(CallTask.person), selectinload(CallTask.followup))
        .order_by(CallTask.due_on, CallTask.created_at, CallTask.id))
    return [Call(task, *_message(task)) for task in tasks]


def count_due(village_id: int, today: date | None = None) -> int:
    today = today or local_now().date()
    return len(db.session.scalars(select(CallTask.id).where(
        CallTask.village_id == village_id, CallTask.status == OPEN, CallTask.due_on <= today)).all())


def recently_handled(village_id: int, limit: int = 20) -> list[CallTask]:
    return list(db.session.scalars(
        select(CallTask).where(CallTask.village_id == village_id, CallTask.handled_at.is_not(None))
        .options(selectinload(CallTask.person), selectinload(CallTask.handled_by))
        .order_by(CallTask.handled_at.desc(), CallTask.id.desc()).limit(limit)))


def record_outcome(task: CallTask, outcome: str, *, by: User, note: str = "", taken_over_by: str = "") -> None:
    """Gebeld → done; niet bereikt → on the list again tomorrow; overgenomen → done, with who."""
    if not CALLS.allowed(task):
        raise DomainError(ALREADY_HANDLED)
    if outcome not in OUTCOMES:
        raise DomainError("Kies wat er uit het gesprek kwam.", "outcome")
    note, taken_over_by = (note or "").strip(), (taken_over_by or "").strip()
    if len(note) > MAX_NOTE:
        raise DomainError(f"Houd de notitie korter dan {MAX_NOTE} tekens.", "note")
    if outcome == TAKEN_OVER and not taken_over_by:
        raise DomainError("Vul in wie het bellen heeft overgenomen.", "taken_over_by")
    CALLS.apply(task, outcome, by=by, note=note)  # the step records who, when and the note
    if outcome == NOT_REACHED:
        task.due_on = local_now().date() + timedelta(days=1)
    else:
        task.taken_over_by = taken_over_by if outcome == TAKEN_OVER else None
    audit.record(f"call.{outcome}", actor=by, subject=task.person, detail=f"oproep {task.id} ({task.kind})")
