"""The lifecycle of a hulpvraag. Every status change goes through `apply_transition`.

The allowed transitions are one table (TRANSITIONS); each named step checks its own extra
rule, writes a line on the request's timeline and may queue follow-ups, all in the
caller's transaction. Views never set `status` themselves.
"""
from __future__ import annotations

from dataclasses import dataclass

from coop.core.clock import now
from coop.core.errors import DomainError
from coop.core.models import TaskCategory, User
from coop.extensions import db
from coop.requests.models import (CANCELLED, DONE, INTAKE, MATCHED, NEW, REFERRED, SEARCHING,
                                  STATUS_LABELS, HelpRequest, RequestEvent)


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    label: str  # what the timeline says, in Dutch


TRANSITIONS: dict[str, Transition] = {
    "start_intake": Transition(frozenset({NEW}), INTAKE, "gesprek gestart"),
    "start_search": Transition(frozenset({NEW, INTAKE}), SEARCHING, "zoekt een helper"),
    "match": Transition(frozenset({SEARCHING}), MATCHED, "gekoppeld"),
    "complete": Transition(frozenset({MATCHED}), DONE, "afgerond"),
    "reopen": Transition(frozenset({MATCHED, DONE}), SEARCHING, "opnieuw gezocht"),
    "cancel": Transition(frozenset({NEW, INTAKE, SEARCHING, MATCHED}), CANCELLED, "geannuleerd"),
    "refer": Transition(frozenset({NEW, INTAKE, SEARCHING}), REFERRED, "doorverwezen"),
}
CLOSING = {DONE, CANCELLED, REFERRED}


def allowed_actions(request: HelpRequest) -> list[str]:
    """The transitions open to this request now (for the buttons on its page)."""
    actions = [name for name, t in TRANSITIONS.items() if request.status in t.sources]
    if request.category.rule == TaskCategory.MUNICIPAL:
        actions = [a for a in actions if a not in ("start_search", "match", "reopen")]
    return actions


def add_event(request: HelpRequest, actor: User | None, action: str, note: str = "",
              from_status: str | None = None, to_status: str | None = None) -> RequestEvent:
    event = RequestEvent(request=request, actor_id=actor.id if actor else None, action=action,
                         note=(note or "").strip(), from_status=from_status, to_status=to_status,
                         at=now())
    db.session.add(event)
    return event


def apply_transition(request: HelpRequest, action: str, *, by: User | None, note: str = "") -> RequestEvent:
    """Move `request` along `action`, or raise DomainError saying why not."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise DomainError("Deze stap bestaat niet.")
    if request.status not in transition.sources:
        raise DomainError(f"Dit kan niet: de hulpvraag is nu '{STATUS_LABELS[request.status]}'.")
    if request.category.rule == TaskCategory.MUNICIPAL and action in ("start_search", "match", "reopen"):
        raise DomainError("Deze hulpvraag hoort bij de gemeente: verwijs hem door in plaats van een helper te zoeken.")
    source = request.status
    request.status = transition.target
    request.status_changed_at = now()
    if transition.target == MATCHED:
        request.matched_at = request.status_changed_at
    if transition.target in CLOSING:
        request.closed_at = request.status_changed_at
    elif source in CLOSING:
        request.closed_at = None
    return add_event(request, by, action, note, from_status=source, to_status=transition.target)


def start_intake(request: HelpRequest, *, by: User, note: str = "") -> RequestEvent:
    return apply_transition(request, "start_intake", by=by, note=note)


def start_search(request: HelpRequest, *, by: User, note: str = "") -> RequestEvent:
    return apply_transition(request, "start_search", by=by, note=note)


def mark_matched(request: HelpRequest, *, by: User | None, helper: User, note: str = "") -> RequestEvent:
    """The request has a helper (called by matching when a proposal is accepted)."""
    return apply_transition(request, "match", by=by, note=note or f"gekoppeld aan {helper.first_name}")


def complete(request: HelpRequest, *, by: User | None, note: str = "") -> RequestEvent:
    return apply_transition(request, "complete", by=by, note=note)


def reopen(request: HelpRequest, *, by: User | None, note: str = "") -> RequestEvent:
    """Back to searching: the helper withdrew, or the resident answered "nee, niet geholpen"."""
    return apply_transition(request, "reopen", by=by, note=note)


def cancel(request: HelpRequest, *, by: User, note: str = "") -> RequestEvent:
    return apply_transition(request, "cancel", by=by, note=note)


def refer(request: HelpRequest, *, by: User, to: str, reason: str) -> RequestEvent:
    """Doorverwijzen: to the gemeente's Wmo desk or a care provider, saying to whom and why."""
    to, reason = (to or "").strip(), (reason or "").strip()
    if not to:
        raise DomainError("Vul in naar wie u doorverwijst.", "referred_to")
    if not reason:
        raise DomainError("Vul in waarom u doorverwijst.", "referral_reason")
    request.referred_to, request.referral_reason = to, reason
    return apply_transition(request, "refer", by=by, note=f"naar {to}: {reason}")
