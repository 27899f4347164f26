"""The shared state machine (coop/core/states.py) on a plain object: allowed steps move and
are recorded, refused ones change nothing and say why in Dutch, guards and hooks run in order."""
from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from coop.core import clock
from coop.core.errors import DomainError
from coop.core.states import Lifecycle, Step

OPEN, ACTIVE, CLOSED = "open", "active", "closed"
LABELS = {OPEN: "open", ACTIVE: "bezig", CLOSED: "gesloten"}
AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def frozen():
    clock.freeze(AT)
    yield AT
    clock.freeze(None)


def machine(calls=None, **kw):
    calls = [] if calls is None else calls

    def record(step):
        calls.append(("record", step.action, step.subject.status))
        line = {"who": step.by, "when": step.at, "from": step.source, "to": step.target, "note": step.note}
        step.subject.history.append(line)
        return line

    return Lifecycle("ding", {
        "start": Step({OPEN}, ACTIVE, "gestart"),
        "close": Step({OPEN, ACTIVE}, CLOSED, "gesloten"),
        "reopen": Step({CLOSED}, OPEN, "heropend", refusal="Alleen iets dat dicht is, gaat weer open."),
    }, labels=LABELS, refusal="Dit kan niet: het ding is nu '{label}'.", record=record, stamp="changed_at", **kw)


def thing(status=OPEN):
    return SimpleNamespace(status=status, changed_at=None, history=[])


def test_an_allowed_step_moves_records_who_and_when_and_returns_the_record(frozen):
    lifecycle, item = machine(), thing()
    step = lifecycle.apply(item, "start", by="Marieke", note="begonnen")
    assert item.status == ACTIVE and item.changed_at == AT
    assert (step.source, step.target, step.by, step.at, step.action) == (OPEN, ACTIVE, "Marieke", AT, "start")
    assert item.history == [{"who": "Marieke", "when": AT, "from": OPEN, "to": ACTIVE, "note": "begonnen"}]
    assert step.record is item.history[0]


def test_a_step_the_table_does_not_allow_is_refused_in_dutch_and_changes_nothing():
    lifecycle, item = machine(), thing(CLOSED)
    with pytest.raises(DomainError, match="Dit kan niet: het ding is nu 'gesloten'."):
        lifecycle.apply(item, "start", by="Marieke")
    assert (item.status, item.changed_at, item.history) == (CLOSED, None, [])


def test_a_step_can_say_its_own_refusal_and_an_unknown_step_is_refused():
    lifecycle, item = machine(), thing(OPEN)
    with pytest.raises(DomainError, match="Alleen iets dat dicht is, gaat weer open."):
        lifecycle.apply(item, "reopen")
    with pytest.raises(DomainError, match="Deze stap bestaat niet."):
        lifecycle.apply(item, "explode")
    assert item.status == OPEN and item.history == []


def test_the_refusal_may_be_a_function_of_the_row():
    lifecycle = Lifecycle("ding", {"start": Step({OPEN}, ACTIVE)}, labels=LABELS,
                          refusal=lambda item: f"Nee: {LABELS[item.status]} is niet open.")
    with pytest.raises(DomainError, match="Nee: bezig is niet open."):
        lifecycle.apply(thing(ACTIVE), "start")


def test_guards_run_before_any_change_and_hooks_after_the_record_in_registration_order():
    calls = []
    lifecycle, item = machine(calls), thing()

    @lifecycle.guard()
    def every_step(subject, action, by):
        calls.append(("guard all", action, subject.status))

    @lifecycle.guard("close")
    def only_close(subject, action, by):
        calls.append(("guard close", action, subject.status))

    @lifecycle.after("start")
    def first(step):
        calls.append(("first", step.action, step.subject.status))

    @lifecycle.after()
    def second(step):
        calls.append(("second", step.action, step.subject.status))

    @lifecycle.after("start", "close")
    def third(step):
        calls.append(("third", step.action, step.subject.status))

    lifecycle.apply(item, "start")
    assert calls == [("guard all", "start", OPEN), ("record", "start", ACTIVE), ("first", "start", ACTIVE),
                     ("second", "start", ACTIVE), ("third", "start", ACTIVE)]
    calls.clear()
    lifecycle.apply(item, "close")
    assert calls == [("guard all", "close", ACTIVE), ("guard close", "close", ACTIVE),
                     ("record", "close", CLOSED), ("second", "close", CLOSED), ("third", "close", CLOSED)]


def test_a_guard_that_refuses_stops_the_step_before_anything_changes():
    calls = []
    lifecycle, item = machine(calls), thing()

    @lifecycle.guard("start")
    def not_on_sunday(subject, action, by):
        raise DomainError("Op zondag begint er niets.")

    @lifecycle.after("start")
    def hook(step):
        calls.append("hook")

    with pytest.raises(DomainError, match="Op zondag begint er niets."):
        lifecycle.apply(item, "start", by="Marieke")
    assert (item.status, item.changed_at, item.history, calls) == (OPEN, None, [], [])
    assert lifecycle.allowed(item) == ["close"]  # the guard counts for the buttons too


def test_registering_the_same_hook_twice_runs_it_once():
    calls = []
    lifecycle, item = machine(), thing()

    def hook(step):
        calls.append(step.action)
    lifecycle.after("start")(hook)
    lifecycle.after("start")(hook)
    lifecycle.apply(item, "start")
    assert calls == ["start"]


def test_hooks_and_guards_only_for_steps_in_the_table():
    lifecycle = machine()
    with pytest.raises(ValueError):
        lifecycle.after("finish")
    with pytest.raises(ValueError):
        lifecycle.guard("finish")


def test_the_table_declares_its_states():
    with pytest.raises(ValueError, match="without a label"):
        Lifecycle("ding", {"start": Step({OPEN}, "flying")}, labels=LABELS)
    lifecycle = machine()
    assert lifecycle.states == (OPEN, ACTIVE, CLOSED)
    assert lifecycle.next_states(OPEN) == {ACTIVE, CLOSED}
    assert lifecycle.sources("close") == (OPEN, ACTIVE)  # in the order of the labels
    assert lifecycle.target("reopen") == OPEN
    assert lifecycle.allowed(thing(CLOSED)) == ["reopen"]


def test_the_tables_of_the_features_use_the_one_helper():
    """Requests, agreements, proposals, respite shifts, hours, the outbox, calls: each a table."""
    from coop.agreements import service as agreements
    from coop.core import calls, outbox
    from coop.matching import service as matching
    from coop.requests import service as requests
    from coop.respite import hours
    from coop.respite import service as respite
    for module, name in ((requests, "LIFECYCLE"), (agreements, "LIFECYCLE"), (matching, "LIFECYCLE"),
                         (respite, "LIFECYCLE"), (hours, "LIFECYCLE"), (outbox, "OUTBOX"), (calls, "CALLS")):
        assert isinstance(getattr(module, name), Lifecycle), module.__name__
    assert outbox.OUTBOX.sources("claim") == (outbox.PENDING, outbox.FAILED)
    assert outbox.OUTBOX.next_states(outbox.SENDING) == {
        outbox.SENDING, outbox.SENT, outbox.FAILED, outbox.DEAD, outbox.CANCELLED, outbox.PENDING}
