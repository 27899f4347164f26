"""Lending aids: the stock, reservations, loans, returns and extensions.

Every step checks everything first and raises DomainError (Dutch) before it writes. An item
is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite has one writer at a time) before its
open loan is read, and the unique `open_item_id` stops a second open loan even if a check
were passed twice at once: two coordinators clicking "Uitlenen" together lend it once.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from coop.aids.models import (
    CANCELLED,
    CONDITIONS,
    KINDS,
    LENT,
    LOAN_LABELS,
    REPAIR,
    RESERVED,
    RETURNED,
    AidItem,
    AidLoan,
)
from coop.core import audit
from coop.core import outbox as O
from coop.core import roles as R
from coop.core.clock import local_now
from coop.core.errors import DomainError, DomainErrors, collect
from coop.core.models import User
from coop.core.states import Lifecycle, Step
from coop.extensions import db
from coop.requests.models import FiveQuestionsAnswer, HelpRequest

MAX_LOAN_DAYS = 366
MAX_NOTE = 1000
DUE_SOON, OVERDUE = "aid.due_soon", "aid.overdue"
REMINDER_KINDS = (DUE_SOON, OVERDUE)
AIDS_QUESTION = 2  # the Schijf van Vijf's "Welke hulpmiddelen kunnen helpen?"

LOANS: Lifecycle[AidLoan] = Lifecycle("uitlening", {
    "hand_out": Step({RESERVED}, LENT, "meegegeven"),
    "cancel": Step({RESERVED}, CANCELLED, "reservering vervallen"),
    "return": Step({LENT}, RETURNED, "teruggebracht"),
    "extend": Step({LENT}, LENT, "verlengd"),
}, labels=LOAN_LABELS, refusal="Dit kan niet: het hulpmiddel is nu '{label}'.")


def _month(day: date) -> int:
    return day.year * 100 + day.month


# --- the stock ----------------------------------------------------------------------------

def _item_fields(village_id: int, kind: str, label: str, condition: str, stored_at: str, notes: str,
                 item: AidItem | None = None) -> tuple[str, str, str, str, str]:
    label, stored_at, notes = (label or "").strip(), (stored_at or "").strip(), (notes or "").strip()

    def known_kind() -> None:
        if kind not in KINDS:
            raise DomainError("Kies wat voor hulpmiddel het is.", "kind")

    def has_label() -> None:
        if not label:
            raise DomainError("Vul het nummer of de sticker op het hulpmiddel in.", "label")
        taken = db.session.scalar(select(AidItem.id).where(AidItem.village_id == village_id, AidItem.label == label,
                                                           AidItem.id != (item.id if item else 0)))
        if taken is not None:
            raise DomainError(f"Er is al een hulpmiddel met nummer {label}. Kies een ander nummer.", "label")

    def known_condition() -> None:
        if condition not in CONDITIONS:
            raise DomainError("Kies in welke staat het hulpmiddel is.", "condition")

    errors = collect(known_kind, has_label, known_condition)
    if errors:
        raise DomainErrors(errors)
    return kind, label, condition, stored_at, notes


def add_item(village_id: int, *, kind: str, label: str, condition: str, stored_at: str = "", notes: str = "",
             by: User) -> AidItem:
    kind, label, condition, stored_at, notes = _item_fields(village_id, kind, label, condition, stored_at, notes)
    item = AidItem(village_id=village_id, kind=kind, label=label, condition=condition, stored_at=stored_at,
                   notes=notes)
    db.session.add(item)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise DomainError(f"Er is al een hulpmiddel met nummer {label}. Kies een ander nummer.", "label") from None
    audit.record("aid.added", actor=by, village_id=village_id, detail=item.name)
    return item


def update_item(item: AidItem, *, kind: str, label: str, condition: str, stored_at: str, notes: str,
                by: User) -> None:
    item.kind, item.label, item.condition, item.stored_at, item.notes = _item_fields(
        item.village_id, kind, label, condition, stored_at, notes, item)
    audit.record("aid.changed", actor=by, village_id=item.village_id, detail=item.name)


# --- reading --------------------------------------------------------------------------------

def _lock(item: AidItem) -> None:
    """Hold the item's row until the transaction ends: a concurrent lend of it waits here."""
    db.session.execute(select(AidItem.id).where(AidItem.id == item.id).with_for_update())


def open_loan(item: AidItem) -> AidLoan | None:
    return db.session.scalar(select(AidLoan).where(AidLoan.open_item_id == item.id))


def resident_of(village_id: int, user_id: int | None) -> User:
    """A resident of the village picked from a list; refused in Dutch otherwise."""
    person = db.session.get(User, user_id) if user_id else None
    if person is None or person.village_id != village_id or not person.has_role(R.RESIDENT):
        raise DomainError("Kies een inwoner uit de lijst.", "resident")
    return person


def item_of(village_id: int, item_id: int | None) -> AidItem:
    item = db.session.get(AidItem, item_id) if item_id else None
    if item is None or item.village_id != village_id:
        raise DomainError("Kies een hulpmiddel uit de lijst.", "item")
    return item


def _who(loan: AidLoan) -> str:
    return loan.resident.full_name


# --- checks shared by reserving and lending ------------------------------------------------------

def _check_period(starts_on: date | None, due_on: date | None) -> None:
    def has_start() -> None:
        if starts_on is None:
            raise DomainError("Vul de begindatum in.", "starts_on")

    def has_due() -> None:
        if due_on is None:
            raise DomainError("Vul in tot wanneer het hulpmiddel mee mag.", "due_on")
        if starts_on is not None and due_on < starts_on:
            raise DomainError("De einddatum ligt voor de begindatum. Kies een einddatum op of na de begindatum.",
                              "due_on")
        if starts_on is not None and (due_on - starts_on).days > MAX_LOAN_DAYS:
            raise DomainError("Leen een hulpmiddel voor hoogstens een jaar uit; verleng daarna.", "due_on")

    errors = collect(has_start, has_due)
    if errors:
        raise DomainErrors(errors)


def _check_resident(item: AidItem, resident: User) -> None:
    if resident.village_id != item.village_id or not resident.has_role(R.RESIDENT) or resident.erased_at is not None:
        raise DomainError("Kies een inwoner uit de lijst.", "resident")


def _check_note(notes: str) -> str:
    notes = (notes or "").strip()
    if len(notes) > MAX_NOTE:
        raise DomainError(f"Houd de notitie korter dan {MAX_NOTE} tekens.", "notes")
    return notes


def _check_free(item: AidItem, resident: User, *, reserving: bool) -> AidLoan | None:
    """The reservation for `resident` that lending may hand out, or None; DomainError when the
    item is out, reserved for someone else, or needs repair first."""
    if item.condition == REPAIR:
        raise DomainError(f"{item.name} moet eerst worden nagekeken of gerepareerd. Pas de staat aan als "
                          "het weer in orde is.")
    current = open_loan(item)
    if current is None:
        return None
    if current.status == LENT:
        raise DomainError(f"{item.name} is al uitgeleend aan {_who(current)}, tot {_dutch(current.due_on)}.")
    if current.resident_id != resident.id:
        raise DomainError(f"{item.name} is gereserveerd voor {_who(current)}. Zeg die reservering eerst af, "
                          "of kies een ander hulpmiddel.")
    if reserving:
        raise DomainError(f"{item.name} is al gereserveerd voor {_who(current)}.")
    return current


def _dutch(day: date) -> str:
    from coop.core import dutch
    return dutch.date(day)


def _insert(loan: AidLoan, item: AidItem) -> AidLoan:
    db.session.add(loan)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        # Only when the row lock is absent (SQLite takes turns anyway): another request got it first.
        raise DomainError(f"{item.name} is net door iemand anders uitgeleend of gereserveerd.") from None
    return loan


# --- reserving --------------------------------------------------------------------------------

def aids_line(help_request: HelpRequest) -> FiveQuestionsAnswer | None:
    """The request's Schijf van Vijf answer to question 2 (hulpmiddel), when there is one to act on."""
    return next((line for line in help_request.five_questions
                 if line.question == AIDS_QUESTION and not line.not_needed and line.note), None)


def reserve(item: AidItem, resident: User, *, starts_on: date | None, due_on: date | None, by: User,
            help_request: HelpRequest | None = None, notes: str = "") -> AidLoan:
    """Put `item` aside for `resident`: a loan not yet handed out."""
    if help_request is not None:
        if help_request.village_id != item.village_id or help_request.resident_id != resident.id:
            raise DomainError("Deze hulpvraag hoort niet bij deze inwoner.")
        if aids_line(help_request) is None:
            raise DomainError("Vul eerst bij vraag 2 van de Schijf van Vijf in welk hulpmiddel kan helpen.")
        if not help_request.is_open:
            raise DomainError("Deze hulpvraag is afgesloten; reserveer vanuit een open hulpvraag.")
    _check_resident(item, resident)
    _check_period(starts_on, due_on)
    notes = _check_note(notes)
    _lock(item)
    _check_free(item, resident, reserving=True)
    assert starts_on is not None and due_on is not None  # _check_period refused None
    loan = _insert(AidLoan(village_id=item.village_id, item=item, open_item_id=item.id, resident=resident,
                           help_request_id=help_request.id if help_request else None, status=RESERVED,
                           starts_on=starts_on, due_on=due_on, first_due_on=due_on, notes=notes,
                           created_by_id=by.id), item)
    audit.record("aid.reserved", actor=by, subject=resident, detail=item.name)
    return loan


def cancel_reservation(loan: AidLoan, *, by: User) -> None:
    LOANS.apply(loan, "cancel", by=by)
    loan.open_item_id = None
    audit.record("aid.reservation_cancelled", actor=by, subject=loan.resident, detail=loan.item.name)


# --- lending ----------------------------------------------------------------------------------

def lend(item: AidItem, resident: User, *, starts_on: date | None, due_on: date | None, by: User,
         notes: str = "") -> AidLoan:
    """Lend `item` to `resident` from `starts_on` until `due_on`. A reservation of the item for
    this resident becomes the loan."""
    _check_resident(item, resident)
    _check_period(starts_on, due_on)
    notes = _check_note(notes)
    _lock(item)
    reservation = _check_free(item, resident, reserving=False)
    assert starts_on is not None and due_on is not None
    if reservation is not None:
        return hand_out(reservation, starts_on=starts_on, due_on=due_on, by=by, notes=notes)
    loan = _insert(AidLoan(village_id=item.village_id, item=item, open_item_id=item.id, resident=resident,
                           status=LENT, starts_on=starts_on, due_on=due_on, first_due_on=due_on,
                           lent_month=_month(starts_on), notes=notes, created_by_id=by.id), item)
    audit.record("aid.lent", actor=by, subject=resident, detail=item.name)
    return loan


def hand_out(loan: AidLoan, *, starts_on: date | None, due_on: date | None, by: User, notes: str = "") -> AidLoan:
    """A reservation is handed out: from now on it is a loan."""
    LOANS.check(loan, "hand_out", by)
    _check_period(starts_on, due_on)
    notes = _check_note(notes)
    if loan.item.condition == REPAIR:
        raise DomainError(f"{loan.item.name} moet eerst worden nagekeken of gerepareerd.")
    assert starts_on is not None and due_on is not None
    LOANS.apply(loan, "hand_out", by=by)
    loan.starts_on, loan.due_on, loan.first_due_on = starts_on, due_on, due_on
    loan.lent_month = _month(starts_on)
    if notes:
        loan.notes = "\n".join(n for n in (loan.notes, notes) if n)
    audit.record("aid.lent", actor=by, subject=loan.resident, detail=loan.item.name)
    return loan


def record_return(loan: AidLoan, *, returned_on: date | None, condition: str, by: User, notes: str = "") -> None:
    LOANS.check(loan, "return", by)

    def has_date() -> None:
        if returned_on is None:
            raise DomainError("Vul in wanneer het hulpmiddel terugkwam.", "returned_on")
        if loan.starts_on is not None and returned_on < loan.starts_on:
            raise DomainError(f"Het hulpmiddel ging pas op {_dutch(loan.starts_on)} mee; kies die dag of later.",
                              "returned_on")
        if returned_on > local_now().date():
            raise DomainError("Deze datum ligt in de toekomst. Leg de terugkomst vast als het hulpmiddel er is.",
                              "returned_on")

    def known_condition() -> None:
        if condition not in CONDITIONS:
            raise DomainError("Kies in welke staat het hulpmiddel terugkwam.", "condition")

    errors = collect(has_date, known_condition, lambda: _check_note(notes))
    if errors:
        raise DomainErrors(errors)
    LOANS.apply(loan, "return", by=by)
    loan.returned_on, loan.return_condition, loan.open_item_id = returned_on, condition, None
    loan.item.condition = condition
    if notes.strip():
        loan.notes = "\n".join(n for n in (loan.notes, notes.strip()) if n)
    O.cancel_for(loan, REMINDER_KINDS)  # a reminder not yet sent has nothing to remind of now
    audit.record("aid.returned", actor=by, subject=loan.resident, detail=loan.item.name)


def extend(loan: AidLoan, *, due_on: date | None, by: User) -> None:
    LOANS.check(loan, "extend", by)
    if due_on is None:
        raise DomainError("Vul de nieuwe einddatum in.", "due_on")
    if due_on <= loan.due_on:
        raise DomainError(f"Kies een datum na de huidige einddatum, {_dutch(loan.due_on)}.", "due_on")
    assert loan.starts_on is not None
    if (due_on - loan.starts_on).days > MAX_LOAN_DAYS * 2:
        raise DomainError("Zo lang lenen kan niet; spreek een nieuwe uitlening af.", "due_on")
    LOANS.apply(loan, "extend", by=by)
    loan.due_on = due_on
    # The reminders of the old date are no longer true; the new date gets its own (rules.py).
    O.cancel_for(loan, REMINDER_KINDS)
    audit.record("aid.extended", actor=by, subject=loan.resident, detail=loan.item.name)


def default_due(starts_on: date, weeks: int = 6) -> date:
    return starts_on + timedelta(weeks=weeks)

