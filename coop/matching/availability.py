"""A helper's availability: weekly slots (weekday, from–to, local time) and absences."""
from __future__ import annotations

from datetime import date, time

from coop.core.errors import DomainError
from coop.core.models import User
from coop.extensions import db
from coop.people.models import Absence, WeeklySlot

MAX_SLOTS = 21


def add_slot(helper: User, weekday: int, start: time, end: time) -> WeeklySlot:
    """A weekly time the helper is usually free; refused when empty or the week is full."""
    if not 0 <= int(weekday) <= 6:
        raise DomainError("Kies een dag van de week.", "weekday")
    if end <= start:
        raise DomainError("De eindtijd moet na de begintijd liggen.", "end")
    if len(helper.weekly_slots) >= MAX_SLOTS:
        raise DomainError(f"U kunt hoogstens {MAX_SLOTS} vaste tijden opgeven.")
    slot = WeeklySlot(user=helper, weekday=int(weekday), start=start, end=end)
    db.session.add(slot)
    return slot


def add_absence(helper: User, starts_on: date, ends_on: date, note: str = "") -> Absence:
    if ends_on < starts_on:
        raise DomainError("De laatste dag moet op of na de eerste dag liggen.", "ends_on")
    absence = Absence(user=helper, starts_on=starts_on, ends_on=ends_on, note=(note or "").strip()[:200])
    db.session.add(absence)
    return absence


def remove(helper: User, obj) -> None:
    """Remove one of the helper's own slots or absences (someone else's: refused)."""
    if obj is None or obj.user_id != helper.id:
        raise DomainError("Dit staat niet in uw eigen beschikbaarheid.")
    db.session.delete(obj)
