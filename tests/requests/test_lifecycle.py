"""The lifecycle as one transition table: every allowed and every forbidden step."""
from __future__ import annotations

import pytest

from coop.core.errors import DomainError
from coop.extensions import db
from coop.requests import service
from coop.requests.models import CANCELLED, DONE, INTAKE, MATCHED, NEW, REFERRED, SEARCHING, STATUSES
from tests.conftest import Factory

ALLOWED = {
    ("start_intake", NEW): INTAKE,
    ("start_search", NEW): SEARCHING, ("start_search", INTAKE): SEARCHING,
    ("match", SEARCHING): MATCHED,
    ("complete", MATCHED): DONE,
    ("reopen", MATCHED): SEARCHING, ("reopen", DONE): SEARCHING,
    ("cancel", NEW): CANCELLED, ("cancel", INTAKE): CANCELLED, ("cancel", SEARCHING): CANCELLED,
    ("cancel", MATCHED): CANCELLED,
    ("refer", NEW): REFERRED, ("refer", INTAKE): REFERRED, ("refer", SEARCHING): REFERRED,
}
# Undoing a stop depends on the timeline and the clock, not only the status: tests/requests/test_confirm.py.
EVERY = [(action, status) for action in service.TRANSITIONS for status in STATUSES
         if (action, status) != ("undo_cancel", CANCELLED)]


def _wmo(req, name="Wmo-loket"):
    return Factory(db.session).destination(req.resident.village, name)


def _do(req, action, by, helper):
    if action == "match":
        return service.mark_matched(req, by=by, helper=helper)
    if action == "refer":
        return service.refer(req, by=by, to=_wmo(req), reason="indicatie nodig")
    return getattr(service, {"start_intake": "start_intake", "start_search": "start_search",
                             "complete": "complete", "reopen": "reopen", "cancel": "cancel",
                             "undo_cancel": "undo_cancel"}[action])(req, by=by)


@pytest.mark.parametrize("action,status", [p for p in EVERY if p in ALLOWED])
def test_allowed_transition_moves_and_writes_the_timeline(action, status, new_request, resident, coordinator,
                                                          volunteer):
    req = new_request(resident, status=status)
    event = _do(req, action, coordinator, volunteer)
    assert req.status == ALLOWED[(action, status)]
    assert (event.action, event.from_status, event.to_status, event.actor_id) == (
        action, status, req.status, coordinator.id)
    assert event in req.events
    if req.status in (DONE, CANCELLED, REFERRED):
        assert req.closed_at is not None
    else:
        assert req.closed_at is None


@pytest.mark.parametrize("action,status", [p for p in EVERY if p not in ALLOWED])
def test_forbidden_transition_is_refused_in_dutch_and_changes_nothing(action, status, new_request, resident,
                                                                      coordinator, volunteer):
    req = new_request(resident, status=status)
    events_before = len(req.events)
    with pytest.raises(DomainError, match="Dit kan niet: de hulpvraag is nu"):
        _do(req, action, coordinator, volunteer)
    assert req.status == status
    assert len(req.events) == events_before
    assert action not in service.allowed_actions(req)


@pytest.mark.parametrize("status", STATUSES)
def test_allowed_actions_match_the_table(status, new_request, resident):
    req = new_request(resident, status=status)
    assert set(service.allowed_actions(req)) == {a for (a, s) in ALLOWED if s == status}


@pytest.mark.parametrize("action", ["start_search", "reopen"])
def test_municipal_category_can_only_be_referred(action, new_request, resident, coordinator):
    req = new_request(resident, code="woningaanpassing", status=NEW if action == "start_search" else DONE)
    with pytest.raises(DomainError, match="hoort bij de gemeente"):
        _do(req, action, coordinator, None)
    assert action not in service.allowed_actions(req)


def test_municipal_category_is_never_matched(new_request, resident, coordinator, volunteer):
    req = new_request(resident, code="woningaanpassing", status=SEARCHING)
    with pytest.raises(DomainError, match="hoort bij de gemeente"):
        service.mark_matched(req, by=coordinator, helper=volunteer)
    assert req.status == SEARCHING
    assert service.allowed_actions(req) == ["cancel", "refer"]


def test_refer_records_to_whom_and_why(new_request, resident, coordinator):
    req = new_request(resident, code="woningaanpassing")
    event = service.refer(req, by=coordinator, to=_wmo(req, "Wmo-loket gemeente Zeist"), reason="traplift")
    assert (req.status, req.referred_to, req.referral_reason) == (REFERRED, "Wmo-loket gemeente Zeist", "traplift")
    assert event.note == "naar Wmo-loket gemeente Zeist: traplift"


@pytest.mark.parametrize("to,reason,field", [("", "traplift", "referred_to"), ("Wmo-loket", "  ", "referral_reason")])
def test_refer_needs_whom_and_why(to, reason, field, new_request, resident, coordinator):
    req = new_request(resident)
    with pytest.raises(DomainError) as err:
        service.refer(req, by=coordinator, to=_wmo(req, to) if to else None, reason=reason)
    assert err.value.field == field
    assert req.status == NEW and req.referred_to is None


def test_unknown_action_is_refused(new_request, resident, coordinator):
    req = new_request(resident)
    with pytest.raises(DomainError, match="bestaat niet"):
        service.apply_transition(req, "teleport", by=coordinator)


def test_reopen_after_done_clears_closed_at(new_request, resident, coordinator):
    req = new_request(resident, status=MATCHED)
    service.complete(req, by=coordinator)
    assert req.closed_at is not None
    service.reopen(req, by=coordinator, note="nee, niet geholpen")
    assert req.status == SEARCHING and req.closed_at is None
    assert [e.action for e in req.events] == ["complete", "reopen"]
    assert req.events[-1].note == "nee, niet geholpen"


# --- the resident's own steps -------------------------------------------------------------

@pytest.mark.parametrize("status", [NEW, INTAKE, SEARCHING])
def test_resident_may_withdraw_until_matched(status, new_request, resident):
    req = new_request(resident, status=status)
    service.cancel_by_resident(req, by=resident, note="buurman helpt")
    assert req.status == CANCELLED
    assert req.events[-1].actor_id == resident.id and req.events[-1].note == "buurman helpt"


@pytest.mark.parametrize("status", [MATCHED, DONE, CANCELLED, REFERRED])
def test_resident_may_not_withdraw_once_matched_or_closed(status, new_request, resident):
    req = new_request(resident, status=status)
    with pytest.raises(DomainError, match="niet meer zelf intrekken"):
        service.cancel_by_resident(req, by=resident)
    assert req.status == status and req.events == []


def test_resident_may_not_withdraw_anothers_request(new_request, resident, make, village):
    other = make.user(village)
    req = new_request(other)
    with pytest.raises(DomainError, match="niet uw hulpvraag"):
        service.cancel_by_resident(req, by=resident)
    assert req.status == NEW


def test_add_information_goes_on_the_timeline(new_request, resident):
    req = new_request(resident)
    service.add_information(req, by=resident, text="  Liever na tienen.  ")
    assert (req.events[-1].action, req.events[-1].note) == ("info_added", "Liever na tienen.")


@pytest.mark.parametrize("text,message", [("   ", "Schrijf op"), ("x" * 1001, "hoogstens 1000")])
def test_add_information_refuses_empty_or_long_text(text, message, new_request, resident):
    req = new_request(resident)
    with pytest.raises(DomainError, match=message):
        service.add_information(req, by=resident, text=text)
    assert req.events == []


def test_add_information_refused_on_closed_request(new_request, resident):
    req = new_request(resident, status=DONE)
    with pytest.raises(DomainError, match="kan niet meer"):
        service.add_information(req, by=resident, text="nog iets")


def test_every_timeline_label_is_dutch():
    for action in list(service.TRANSITIONS) + ["posted", "info_added", "role_split"]:
        label = service.event_label(action)
        assert label and label != action


def test_resident_adds_nothing_once_matched_but_coordinator_may(new_request, resident, coordinator):
    req = new_request(resident, status=MATCHED)
    with pytest.raises(DomainError, match="Er is al een helper"):
        service.add_information(req, by=resident, text="andere tijd")
    assert req.events == []
    service.add_information(req, by=coordinator, text="helper komt om tien uur")
    assert req.events[-1].note == "helper komt om tien uur"


def test_a_stranger_cannot_add_information(new_request, resident, volunteer):
    req = new_request(resident)
    with pytest.raises(DomainError, match="niet uw hulpvraag"):
        service.add_information(req, by=volunteer, text="hallo")


def test_every_timeline_line_has_a_dutch_name(app):
    from coop.requests.service import event_label
    actions = ["posted", "info_added", "role_split", "start_intake", "start_search", "match", "complete",
               "reopen", "cancel", "refer", "proposed", "proposal_declined", "proposal_withdrawn", "located",
               "answer"]
    assert [a for a in actions if event_label(a) == a] == []
