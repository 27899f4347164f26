"""What a booking, a change or a cancellation queues: in-app notes and mails for the carer and
the volunteer, and reminders (volunteer: 24 h before; carer: 19:00 the evening before).

Every row has the shift as its subject, so `cancel_for(shift)` withdraws what no longer holds.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from coop.core import dutch, outbox
from coop.core.clock import LOCAL, now
from coop.core.models import User
from coop.extensions import db
from coop.respite.models import RespiteShift

BOOKED, CHANGED, CANCELLED = "shift.booked", "shift.changed", "shift.cancelled"
REMINDER, REMINDER_CARER = "shift.reminder", "shift.reminder_carer"
KINDS = (BOOKED, CHANGED, CANCELLED, REMINDER, REMINDER_CARER)
REMINDERS = (REMINDER, REMINDER_CARER)


def _summary(shifts: list[RespiteShift]) -> str:
    first = dutch.span(shifts[0].starts_at, shifts[0].ends_at)
    return first if len(shifts) == 1 else f"{len(shifts)} keer, de eerste op {first}"


def _tell(kind: str, user: User | None, shifts: list[RespiteShift], text: str, role: str) -> None:
    """An in-app note now, and a mail when the person has an address; without one the mail
    becomes a call on the coordinator's bellijst (outbox.queue), its in-app copy the note."""
    if user is None:
        return
    payload = {"shift_ids": [s.id for s in shifts], "role": role, "text": text}
    if user.email:
        outbox.queue(kind, user, payload=payload, channel=outbox.INAPP, subject=shifts[0])
    outbox.queue(kind, user, payload=payload, channel=outbox.MAIL, subject=shifts[0])


def carer_reminder_due(shift: RespiteShift) -> datetime:
    """19:00 local on the evening before the shift."""
    evening = shift.local_start.date() - timedelta(days=1)
    return datetime.combine(evening, time(19, 0), tzinfo=LOCAL)


def _queue_reminders(shift: RespiteShift) -> None:
    payload = {"shift_ids": [shift.id]}
    volunteer_due = shift.starts_at - timedelta(hours=24)
    if shift.volunteer is not None and shift.volunteer.email and volunteer_due > now():
        outbox.queue(REMINDER, shift.volunteer, payload={**payload, "role": "volunteer"},
                     due_at=volunteer_due, subject=shift)
    carer = shift.respite_request.carer
    carer_due = carer_reminder_due(shift)
    if carer.email and carer_due > now():
        outbox.queue(REMINDER_CARER, carer, payload={**payload, "role": "carer"}, due_at=carer_due, subject=shift)


def _to_volunteer(shift: RespiteShift, when: str) -> str:
    """Where the volunteer goes is the person cared for; the carer is who they deal with."""
    respite_request = shift.respite_request
    return (f"U bent ingeroosterd voor respijt bij {respite_request.care_recipient.full_name}: {when}. "
            f"Contactpersoon: {respite_request.carer.full_name} (mantelzorger).")


def booked(shifts: list[RespiteShift], volunteer: User) -> None:
    carer = shifts[0].respite_request.carer
    when = _summary(shifts)
    _tell(BOOKED, volunteer, shifts, _to_volunteer(shifts[0], when), "volunteer")
    _tell(BOOKED, carer, shifts, f"{volunteer.first_name} komt u vervangen: {when}.", "carer")
    for shift in shifts:
        _queue_reminders(shift)


def swapped(shift: RespiteShift, old: User | None, new: User) -> None:
    outbox.cancel_for(shift, kinds=REMINDERS)
    when = _summary([shift])
    if old is not None:
        _tell(CANCELLED, old, [shift], f"U hoeft niet meer te komen op {when}; iemand anders neemt het over.",
              "volunteer")
    _tell(BOOKED, new, [shift], _to_volunteer(shift, when), "volunteer")
    _tell(CHANGED, shift.respite_request.carer, [shift], f"Op {when} komt nu {new.first_name}.", "carer")
    _queue_reminders(shift)


def _tell_carer_and_volunteers(shifts: list[RespiteShift], carer: tuple[str, str], volunteer: tuple[str, str]) -> None:
    """The carer hears of all `shifts`, each volunteer of their own: (kind, text with {when}
    and, for volunteers, {home})."""
    first = shifts[0].respite_request
    _tell(carer[0], first.carer, shifts, carer[1].format(when=_summary(shifts)), "carer")
    volunteers = {s.volunteer_id: s.volunteer for s in shifts if s.volunteer is not None}
    for person in volunteers.values():
        mine = [s for s in shifts if s.volunteer_id == person.id]
        _tell(volunteer[0], person, mine,
              volunteer[1].format(when=_summary(mine), home=first.care_recipient.full_name), "volunteer")


def cancelled(shifts: list[RespiteShift]) -> None:
    for shift in shifts:
        outbox.cancel_for(shift)
    _tell_carer_and_volunteers(shifts, (CANCELLED, "Afgezegd: respijt op {when}."),
                               (CANCELLED, "Afgezegd: respijt bij {home} op {when}. U hoeft niet te komen."))


def restored(shifts: list[RespiteShift]) -> None:
    """A cancellation taken back: its notices not yet sent are withdrawn, and whoever heard it
    was off hears that it goes on after all; the reminders come back."""
    for shift in shifts:
        outbox.cancel_for(shift, kinds=(CANCELLED,))
    _tell_carer_and_volunteers(shifts, (CHANGED, "Gaat toch door: respijt op {when}."),
                               (BOOKED, "Gaat toch door: respijt bij {home} op {when}. U wordt verwacht."))
    for shift in shifts:
        _queue_reminders(shift)


def inbox(user: User, limit: int = 8) -> list[outbox.FollowUp]:
    """The latest in-app notes about shifts for `user`, newest first."""
    return list(db.session.scalars(select(outbox.FollowUp).where(
        outbox.FollowUp.recipient_id == user.id, outbox.FollowUp.channel == outbox.INAPP,
        outbox.FollowUp.kind.in_(KINDS), outbox.FollowUp.status != outbox.CANCELLED)
        .order_by(outbox.FollowUp.created_at.desc(), outbox.FollowUp.id.desc()).limit(limit)))
