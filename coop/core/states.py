"""State machines as data: the steps a status may take, and the one function that takes them.

A feature writes its table once, as a `Lifecycle`::

    LIFECYCLE = Lifecycle("hulpvraag", {
        "start_intake": Step({NEW}, INTAKE, "gesprek gestart"),
        "cancel": Step({NEW, INTAKE}, CANCELLED, "geannuleerd"),
    }, labels=STATUS_LABELS, refusal="Dit kan niet: de hulpvraag is nu '{label}'.",
       record=write_timeline_line, stamp="status_changed_at")

and moves a row only with `LIFECYCLE.apply(row, "start_intake", by=user, note=...)`, which

1. finds the step (an unknown one is refused: "Deze stap bestaat niet."),
2. checks that the row's status is one of the step's sources (if not: the feature's Dutch
   refusal, and nothing changes),
3. runs the feature's guards (`@LIFECYCLE.guard(...)`: extra rules such as "only the
   gemeente"); a guard refuses by raising DomainError, before anything changes,
4. sets the status, and the `stamp` attribute (if any) to the moment of the step,
5. calls `record(transition)`: the feature writes who did it and when (a timeline or history
   line); what it returns is kept as `transition.record`,
6. runs the hooks (`@LIFECYCLE.after(...)`, e.g. queue or cancel follow-ups) in the order
   they were registered.

An undo is a step too: `Step({CANCELLED}, PREVIOUS, "ongedaan gemaakt", undoes="cancel",
within=timedelta(minutes=15))` takes a row back to where the step `undoes` found it, only
while that step was the row's last one and not longer ago than `within`. The lifecycle learns
the last step from the feature's `last(row)`, which returns (action, state before, when) from
its own record, or None.

Nothing is committed here: every step is part of the caller's transaction. Bulk changes that
must stay one guarded UPDATE (the outbox dispatcher's claim) do not go through `apply`; they
take their states from the table (`sources`, `target`), so the table remains the one place
that says what may happen.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from coop.core.clock import now
from coop.core.errors import DomainError

UNKNOWN_STEP = "Deze stap bestaat niet."
DEFAULT_REFUSAL = "Dit kan niet: de status is nu '{label}'."
PREVIOUS = "<previous>"  # the target of an undo: the state the undone step started from
UNDO_GONE = "Dit kan niet meer ongedaan worden gemaakt: er is intussen iets anders veranderd."
UNDO_LATE = "Ongedaan maken kon tot {minutes} minuten na het afzeggen of stoppen; die tijd is voorbij."
UNDO_NOT_BACK = "Dit kan niet ongedaan worden gemaakt: daarvoor is er te veel gebeurd."

# What a feature's `last(row)` says about the row's last step: its action, the state it
# started from, and when it was taken.
LastStep = tuple[str, str, datetime]

S = TypeVar("S")  # what the lifecycle moves: a HelpRequest, a Proposal, a FollowUp …


@dataclass(frozen=True, init=False)
class Step:
    """One allowed step: from any of `sources` to `target`; `label` says it in Dutch."""

    sources: frozenset[str]
    target: str
    label: str
    refusal: str | None  # this step's own refusal, instead of the lifecycle's
    undoes: str | None  # an undo: the step it takes back (target is PREVIOUS)
    within: timedelta | None  # an undo: how long after that step it may be taken
    back_to: frozenset[str] | None  # an undo: the states it may return to (None: any source of `undoes`)

    def __init__(self, sources: Iterable[str] | str, target: str, label: str = "",
                 refusal: str | None = None, *, undoes: str | None = None, within: timedelta | None = None,
                 back_to: Iterable[str] | None = None) -> None:
        if (target == PREVIOUS) != (undoes is not None):
            raise ValueError("an undo step has the target PREVIOUS and names the step it undoes")
        object.__setattr__(self, "sources", frozenset((sources,) if isinstance(sources, str) else sources))
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "refusal", refusal)
        object.__setattr__(self, "undoes", undoes)
        object.__setattr__(self, "within", within)
        object.__setattr__(self, "back_to", None if back_to is None else frozenset(back_to))


@dataclass
class Transition(Generic[S]):
    """A step that was taken: on what, from where to where, by whom and when."""

    subject: S
    action: str
    step: Step
    source: str
    by: Any  # the User who took the step; None for the system (the scheduler, a mail answer)
    at: datetime
    note: str = ""
    record: Any = None  # what the lifecycle's `record` returned (e.g. the timeline line)
    back_to: str | None = None  # an undo: the state the row returned to

    @property
    def target(self) -> str:
        return self.back_to if self.back_to is not None else self.step.target


Guard = Callable[[S, str, Any], None]  # (subject, action, by); raises DomainError to refuse
Hook = Callable[[Transition[S]], None]


@dataclass(frozen=True)
class _Registered:
    actions: frozenset[str] | None  # None: every step
    fn: Callable[..., Any]

    def applies(self, action: str) -> bool:
        return self.actions is None or action in self.actions


class Lifecycle(Generic[S]):
    """The allowed steps of one kind of row (a status column), and how to take them."""

    def __init__(self, name: str, steps: Mapping[str, Step], *, labels: Mapping[str, str],
                 field: str = "status", refusal: str | Callable[[S], str] = DEFAULT_REFUSAL,
                 record: Callable[[Transition[S]], Any] | None = None, stamp: str | None = None,
                 last: Callable[[S], LastStep | None] | None = None) -> None:
        """`labels`: every state and its Dutch name. `refusal`: the message when the status does
        not allow a step, with `{label}` for the current state's name, or a function of the
        row. `record(transition)`: writes who and when. `stamp`: an attribute set to the
        moment of every step. `last(row)`: the row's last step, for undo steps."""
        unknown = {s for step in steps.values() for s in (*step.sources, step.target)} - set(labels) - {PREVIOUS}
        if unknown:
            raise ValueError(f"{name}: steps use states without a label: {sorted(unknown)}")
        for action, step in steps.items():
            if step.undoes is not None and (step.undoes not in steps or last is None or step.within is None):
                raise ValueError(f"{name}: undo step {action} needs a known step, a time limit and `last`")
        self.name = name
        self.steps = dict(steps)
        self.labels = dict(labels)
        self.field = field
        self.refusal = refusal
        self.record = record
        self.stamp = stamp
        self.last = last
        self._guards: list[_Registered] = []
        self._hooks: list[_Registered] = []

    # --- reading the table ---------------------------------------------------------------

    @property
    def states(self) -> tuple[str, ...]:
        return tuple(self.labels)

    def step(self, action: str) -> Step:
        try:
            return self.steps[action]
        except KeyError:
            raise DomainError(UNKNOWN_STEP) from None

    def sources(self, action: str) -> tuple[str, ...]:
        """The states `action` starts from, in the order of `labels` (stable, e.g. for SQL)."""
        sources = self.step(action).sources
        return tuple(s for s in self.labels if s in sources)

    def target(self, action: str) -> str:
        return self.step(action).target

    def next_states(self, state: str) -> frozenset[str]:
        """Where a row in `state` may go, by any step."""
        out: set[str] = set()
        for s in self.steps.values():
            if state in s.sources:
                out |= self._back_states(s) if s.undoes is not None else {s.target}
        return frozenset(out)

    def _back_states(self, step: Step) -> frozenset[str]:
        assert step.undoes is not None
        return step.back_to if step.back_to is not None else self.steps[step.undoes].sources

    def label(self, state: str) -> str:
        return self.labels[state]

    # --- what features add -----------------------------------------------------------------

    def _actions(self, actions: Iterable[str]) -> frozenset[str] | None:
        actions = frozenset(actions)
        unknown = actions - set(self.steps)
        if unknown:
            raise ValueError(f"{self.name}: unknown steps {sorted(unknown)}")
        return actions or None

    def guard(self, *actions: str) -> Callable[[Guard[S]], Guard[S]]:
        """Decorator: `fn(subject, action, by)` may refuse these steps (none named: every
        step) by raising DomainError. Guards run after the status check, before any change."""
        chosen = self._actions(actions)

        def register(fn: Guard[S]) -> Guard[S]:
            entry = _Registered(chosen, fn)
            if entry not in self._guards:
                self._guards.append(entry)
            return fn
        return register

    def after(self, *actions: str) -> Callable[[Hook[S]], Hook[S]]:
        """Decorator: run `fn(transition)` after every successful step of these actions (none
        named: every step), in the caller's transaction, in the order of registration."""
        chosen = self._actions(actions)

        def register(fn: Hook[S]) -> Hook[S]:
            entry = _Registered(chosen, fn)
            if entry not in self._hooks:
                self._hooks.append(entry)
            return fn
        return register

    # --- taking a step ---------------------------------------------------------------------

    def _refusal(self, subject: S, step: Step, state: str) -> str:
        if step.refusal is not None:
            return step.refusal
        if callable(self.refusal):
            return self.refusal(subject)
        return self.refusal.format(label=self.labels.get(state, state), state=state)

    def check(self, subject: S, action: str, by: Any = None) -> Step:
        """The step `action` would take now, or DomainError saying (in Dutch) why not."""
        step = self.step(action)
        state = getattr(subject, self.field)
        if state not in step.sources:
            raise DomainError(self._refusal(subject, step, state))
        if step.undoes is not None:
            self._back_to(subject, step)
        for guard in self._guards:
            if guard.applies(action):
                guard.fn(subject, action, by)
        return step

    def _back_to(self, subject: S, step: Step) -> str:
        """Where an undo step would take `subject`, or DomainError saying why it cannot."""
        assert self.last is not None and step.within is not None
        last = self.last(subject)
        if last is None or last[0] != step.undoes:
            raise DomainError(UNDO_GONE)
        _, before, at = last
        if now() - at > step.within:
            raise DomainError(UNDO_LATE.format(minutes=int(step.within.total_seconds() // 60)))
        if before not in self._back_states(step):
            raise DomainError(UNDO_NOT_BACK)
        return before

    def undo_until(self, subject: S, action: str) -> datetime | None:
        """Until when the undo step `action` is open to `subject`; None when it is not."""
        try:
            step = self.check(subject, action)
        except DomainError:
            return None
        assert self.last is not None and step.within is not None
        last = self.last(subject)
        return last[2] + step.within if last else None

    def allowed(self, subject: S, by: Any = None) -> list[str]:
        """The steps open to `subject` now (table order), guards included."""
        open_ = []
        for action in self.steps:
            try:
                self.check(subject, action, by)
            except DomainError:
                continue
            open_.append(action)
        return open_

    def apply(self, subject: S, action: str, *, by: Any = None, note: str = "") -> Transition[S]:
        """Take the step `action` on `subject`, or raise DomainError and change nothing."""
        step = self.check(subject, action, by)
        transition: Transition[S] = Transition(subject=subject, action=action, step=step,
                                source=getattr(subject, self.field), by=by, at=now(), note=note)
        if step.undoes is not None:
            transition.back_to = self._back_to(subject, step)
        setattr(subject, self.field, transition.target)
        if self.stamp is not None:
            setattr(subject, self.stamp, transition.at)
        if self.record is not None:
            transition.record = self.record(transition)
        for hook in self._hooks:
            if hook.applies(action):
                hook.fn(transition)
        return transition
