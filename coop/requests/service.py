"""The lifecycle of a hulpvraag. Every status change goes through `apply_transition`.

The allowed transitions are one table (TRANSITIONS), taken by the shared state machine
(coop/core/states.py): each step checks its rules, writes a line on the request's timeline
and runs the hooks other features register (`after_transition`), all in the caller's
transaction. Views never set `status` themselves.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select

from coop.core import dutch
from coop.core import roles as R
from coop.core.clock import now
from coop.core.errors import DomainError
from coop.core.models import ReferralDestination, TaskCategory, User
from coop.core.states import PREVIOUS, Hook, LastStep, Lifecycle, Step, Transition
from coop.extensions import db
from coop.requests.models import (
    CANCELLED,
    DONE,
    FIVE_QUESTIONS_ACTION,
    INTAKE,
    MATCHED,
    NEW,
    REFERRED,
    SEARCHING,
    STATUS_LABELS,
    HelpRequest,
    RequestEvent,
)

TRANSITIONS: dict[str, Step] = {
    "start_intake": Step({NEW}, INTAKE, "gesprek gestart"),
    "start_search": Step({NEW, INTAKE}, SEARCHING, "zoekt een helper"),
    "match": Step({SEARCHING}, MATCHED, "gekoppeld"),
    "complete": Step({MATCHED}, DONE, "afgerond"),
    "reopen": Step({MATCHED, DONE}, SEARCHING, "opnieuw gezocht"),
    "cancel": Step({NEW, INTAKE, SEARCHING, MATCHED}, CANCELLED, "gestopt"),
    "refer": Step({NEW, INTAKE, SEARCHING}, REFERRED, "doorverwezen"),
    # A stop (or a resident's withdrawal) is taken back for a short while, but only to a state
    # in which no helper had said yes: a matched helper has heard nothing, so there is no one
    # to un-tell, but the match itself would have to be made again.
    "undo_cancel": Step({CANCELLED}, PREVIOUS, "weer geopend", undoes="cancel", within=timedelta(minutes=15),
                        back_to={NEW, INTAKE, SEARCHING}),
}
UNDO_WINDOW = TRANSITIONS["undo_cancel"].within
CLOSING = {DONE, CANCELLED, REFERRED}
HELPER_STEPS = ("start_search", "match", "reopen")  # not for a municipal task


def add_event(req: HelpRequest, actor: User | None, action: str, note: str = "",
              from_status: str | None = None, to_status: str | None = None) -> RequestEvent:
    event = RequestEvent(help_request=req, actor_id=actor.id if actor else None, action=action,
                         note=(note or "").strip(), from_status=from_status, to_status=to_status,
                         at=now())
    db.session.add(event)
    return event


def _record(step: Transition[HelpRequest]) -> RequestEvent:
    """The dates the inbox and the reports count from, and the line on the timeline."""
    req = step.subject
    if step.target == MATCHED:
        req.matched_at = step.at
    if step.target in CLOSING:
        req.closed_at = step.at
    elif step.source in CLOSING:
        req.closed_at = None
    return add_event(req, step.by, step.action, step.note, from_status=step.source, to_status=step.target)


def last_step(req: HelpRequest) -> LastStep | None:
    """The request's last status step, from its timeline: (action, status before, when)."""
    event = last_step_event(req)
    if event is None or event.from_status is None:
        return None
    return event.action, event.from_status, event.at


def last_step_event(req: HelpRequest) -> RequestEvent | None:
    if req.id is None:
        return None
    return db.session.scalars(select(RequestEvent).where(
        RequestEvent.request_id == req.id, RequestEvent.action.in_(TRANSITIONS))
        .order_by(RequestEvent.at.desc(), RequestEvent.id.desc()).limit(1)).first()


LIFECYCLE: Lifecycle[HelpRequest] = Lifecycle("hulpvraag", TRANSITIONS, labels=STATUS_LABELS,
                      refusal="Dit kan niet: de hulpvraag is nu '{label}'.",
                      record=_record, stamp="status_changed_at", last=last_step)


def after_transition(*actions: str) -> Callable[[Hook[HelpRequest]], Hook[HelpRequest]]:
    """Decorator: run `fn(transition)` after every successful step of `actions` (e.g.
    "complete"), inside apply_transition and its transaction. Features above this one react to
    a step this way without this module importing them (imports run downward)."""
    return LIFECYCLE.after(*actions)


@LIFECYCLE.guard(*HELPER_STEPS)
def _municipal_tasks_are_referred(req: HelpRequest, action: str, by: User | None) -> None:
    if req.category.rule == TaskCategory.MUNICIPAL:
        raise DomainError("Deze hulpvraag hoort bij de gemeente: verwijs hem door in plaats van een helper te zoeken.")


def allowed_actions(req: HelpRequest) -> list[str]:
    """The transitions open to this request now (for the buttons on its page)."""
    return LIFECYCLE.allowed(req)


def apply_transition(req: HelpRequest, action: str, *, by: User | None, note: str = "") -> RequestEvent:
    """Move `request` along `action`, or raise DomainError saying why not."""
    return LIFECYCLE.apply(req, action, by=by, note=note).record


def start_intake(req: HelpRequest, *, by: User, note: str = "") -> RequestEvent:
    return apply_transition(req, "start_intake", by=by, note=note)


def start_search(req: HelpRequest, *, by: User, note: str = "") -> RequestEvent:
    return apply_transition(req, "start_search", by=by, note=note)


def mark_matched(req: HelpRequest, *, by: User | None, helper: User, note: str = "") -> RequestEvent:
    """The request has a helper (called by matching when a proposal is accepted)."""
    return apply_transition(req, "match", by=by, note=note or f"gekoppeld aan {helper.first_name}")


def complete(req: HelpRequest, *, by: User | None, note: str = "") -> RequestEvent:
    return apply_transition(req, "complete", by=by, note=note)


def reopen(req: HelpRequest, *, by: User | None, note: str = "") -> RequestEvent:
    """Back to searching: the helper withdrew, or the resident answered "nee, niet geholpen"."""
    return apply_transition(req, "reopen", by=by, note=note)


def cancel(req: HelpRequest, *, by: User, note: str = "") -> RequestEvent:
    return apply_transition(req, "cancel", by=by, note=note)


def stop(req: HelpRequest, *, by: User, note: str = "") -> RequestEvent:
    """The coordinator stops a request ("Hulpvraag stoppen"), with an optional reason."""
    if len((note or "").strip()) > MAX_NOTE:
        raise DomainError(f"Gebruik hier hoogstens {MAX_NOTE} tekens.", "note")
    return cancel(req, by=by, note=note)


def undo_until(req: HelpRequest) -> datetime | None:
    """Until when the stop of `request` may be undone (None: not, or no longer)."""
    until = LIFECYCLE.undo_until(req, "undo_cancel")
    return until if until is not None and until > now() else None


def may_undo(req: HelpRequest, user: User) -> bool:
    """Staff may undo any stop; a resident only the withdrawal they made themselves."""
    if user.has_role(R.COORDINATOR, R.ADMIN) and user.village_id == req.village_id:
        return True
    event = last_step_event(req)
    return req.resident_id == user.id and event is not None and event.actor_id == user.id


def undo_cancel(req: HelpRequest, *, by: User) -> RequestEvent:
    """Take a stop or withdrawal back within UNDO_WINDOW: the request is where it was."""
    if not may_undo(req, by):
        raise DomainError("Alleen wie de hulpvraag stopte, of de dorpsondersteuner, kan dit ongedaan maken.")
    return apply_transition(req, "undo_cancel", by=by, note="stoppen ongedaan gemaakt")


def refer(req: HelpRequest, *, by: User, to: ReferralDestination | None, reason: str) -> RequestEvent:
    """Doorverwijzen: to one of the village's list (the Wmo desk, a care provider…), and why.

    Only the list's name reaches the gemeente's figures; the reason stays in the file. The name
    is kept as text too (`referred_to`), for the timeline and the code that reads only that.
    """
    reason = (reason or "").strip()
    if to is None:
        raise DomainError("Vul in naar wie u doorverwijst.", "referred_to")
    if to.village_id != req.village_id or not to.active:
        raise DomainError("Kies uit de lijst naar wie u doorverwijst.", "referred_to")
    if not reason:
        raise DomainError("Vul in waarom u doorverwijst.", "referral_reason")
    req.referral_destination, req.referred_to, req.referral_reason = to, to.name, reason
    return apply_transition(req, "refer", by=by, note=f"naar {to.name}: {reason}")


def referral_destinations(village_id: int) -> list[ReferralDestination]:
    """The names the coordinator chooses from when referring, in the village's order."""
    return list(db.session.scalars(select(ReferralDestination).where(
        ReferralDestination.village_id == village_id, ReferralDestination.active)
        .order_by(ReferralDestination.sort_order, ReferralDestination.id)))


def chosen_destination(village_id: int, destination_id: int | None) -> ReferralDestination | None:
    """The list's entry a form chose: None when none was chosen, refused when it is not on the list."""
    if destination_id is None:
        return None
    found = next((d for d in referral_destinations(village_id) if d.id == destination_id), None)
    if found is None:
        raise DomainError("Kies uit de lijst naar wie u doorverwijst.", "referred_to")
    return found


# --- what residents may do themselves ------------------------------------------------------

RESIDENT_CANCELLABLE = frozenset({NEW, INTAKE, SEARCHING})
MAX_NOTE = 1000


def _own(req: HelpRequest, by: User) -> None:
    if req.resident_id != by.id:
        raise DomainError("Dit is niet uw hulpvraag.")


def add_information(req: HelpRequest, *, by: User, text: str) -> RequestEvent:
    """The resident (or the coordinator) adds a line of information while the request is open."""
    text = (text or "").strip()
    if not text:
        raise DomainError("Schrijf op wat u wilt toevoegen.", "text")
    if len(text) > MAX_NOTE:
        raise DomainError(f"Gebruik hier hoogstens {MAX_NOTE} tekens.", "text")
    if not req.is_open:
        raise DomainError(f"Dit kan niet meer: de hulpvraag is '{req.status_label}'.")
    if by.id == req.resident_id and req.status not in RESIDENT_CANCELLABLE:
        # Once a helper is on the way, changes go by phone so the helper hears them too.
        raise DomainError("Er is al een helper. Wilt u iets veranderen? Bel de dorpsondersteuner.")
    if by.id != req.resident_id and not by.has_role(R.COORDINATOR, R.ADMIN):
        raise DomainError("Dit is niet uw hulpvraag.")
    return add_event(req, by, "info_added", text)


def cancel_by_resident(req: HelpRequest, *, by: User, note: str = "") -> RequestEvent:
    """A resident may withdraw their own request until a helper has been found."""
    _own(req, by)
    if req.status not in RESIDENT_CANCELLABLE:
        raise DomainError("U kunt deze hulpvraag niet meer zelf intrekken. "
                          "Bel de dorpsondersteuner, dan regelen we het samen.")
    if len((note or "").strip()) > MAX_NOTE:
        raise DomainError(f"Gebruik hier hoogstens {MAX_NOTE} tekens.", "note")
    return cancel(req, by=by, note=note or "ingetrokken door de inwoner")


# --- what a helper may see (data minimisation, AVG) ------------------------------------------

def when_text(req: HelpRequest) -> str:
    """When help is wanted, in plain Dutch ("dinsdag 3 december, ochtend · elke week")."""
    from coop.requests.models import PARTS_OF_DAY, RECURRENCE_LABELS
    if req.flexible or req.on_date is None:
        text = "flexibel"
    elif req.window_start and req.window_end:
        text = (f"{dutch.date(req.window_start, 'EEEE d MMMM')}, "
                f"{dutch.time_span(req.window_start, req.window_end)}")
    else:
        text = dutch.date(req.on_date, "EEEE d MMMM")
        if req.part_of_day in PARTS_OF_DAY:
            text += f", {PARTS_OF_DAY[req.part_of_day]}"
    if req.recurrence and req.recurrence != "once":
        text += f" · {RECURRENCE_LABELS[req.recurrence]}"
    return text


def helper_view(req: HelpRequest, helper: User, *, accepted: bool = False) -> dict:
    """What a volunteer or professional may see of a request offered to them.

    Before accepting: first name, street, task and time. Full name, house number and phone
    only after accepting, and only when the resident consented to it.
    """
    if helper.village_id != req.village_id:
        raise DomainError("Deze hulpvraag hoort bij een ander dorp.")
    resident = req.resident
    view = {
        "id": req.id,
        "first_name": resident.first_name if not req.anonymised_at else "",
        "street": req.street or "",
        "place": req.place or "",
        "category": req.category.name,
        "task": req.description if not req.anonymised_at else "",
        "when": when_text(req),
        "urgency": req.urgency_label,
        "contact_shared": False,
    }
    if accepted and req.consent_contact and not req.anonymised_at:
        view.update(full_name=resident.full_name, phone=resident.phone or "",
                    address=req.address_line, contact_shared=True)
    return view


EVENT_LABELS = {"posted": "hulpvraag geplaatst", "info_added": "informatie toegevoegd",
                FIVE_QUESTIONS_ACTION: "Schijf van Vijf", "answer": "antwoord van de inwoner"}


def register_event_labels(**labels: str) -> None:
    """Features that write on a request's timeline name their own lines, in Dutch."""
    EVENT_LABELS.update(labels)


def event_label(action: str) -> str:
    """What a timeline line is called, in Dutch."""
    if action in TRANSITIONS:
        return TRANSITIONS[action].label
    return EVENT_LABELS.get(action, action)
