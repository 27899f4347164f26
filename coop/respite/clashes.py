"""Why a volunteer cannot take a shift at a given time. Every reason names the clash.

The rules: end after start, not in the past, not booked elsewhere at that time, within the
volunteer's weekly availability, not absent, and not past their own maximum hours that month.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coop.core import dutch
from coop.core.clock import LOCAL, now
from coop.core.errors import DomainError
from coop.core.models import User
from coop.extensions import db
from coop.people.models import Absence, HoursEntry, VolunteerProfile, WeeklySlot
from coop.respite.models import RespiteRequest, RespiteShift


def check_times(starts_at: datetime, ends_at: datetime) -> None:
    """Refuse a shift that ends before it starts or lies in the past."""
    if ends_at <= starts_at:
        raise DomainError("De eindtijd moet na de begintijd liggen.", "end_time")
    if starts_at < now():
        raise DomainError(f"Deze tijd ligt in het verleden ({dutch.span(starts_at, ends_at)}).", "first_date")


def month_bounds(on: date) -> tuple[datetime, datetime]:
    """The local month containing `on`, as UTC instants."""
    first = datetime(on.year, on.month, 1, tzinfo=LOCAL)
    nxt = datetime(on.year + (on.month == 12), on.month % 12 + 1, 1, tzinfo=LOCAL)
    return first, nxt


@dataclass
class Calendar:
    """What the clash rules read about some volunteers around some times, fetched in a fixed
    number of queries (see `calendar_for`): one volunteer for a booking, a week's worth of
    volunteers for the roster."""

    booked: dict[int, list[RespiteShift]]  # volunteer id → booked shifts, by start
    slots: dict[int, list[WeeklySlot]]
    absences: dict[int, list[Absence]]
    logged: dict[int, list]  # volunteer id → (hours, source_type, source_id, worked_on) not rejected
    profiles: dict[int, VolunteerProfile]

    def hours_in_month(self, volunteer_id: int, on: date, exclude_shift_id: int | None = None) -> Decimal:
        first, nxt = month_bounds(on)
        entries = [row for row in self.logged.get(volunteer_id, ()) if first.date() <= row.worked_on < nxt.date()]
        total = sum((row.hours for row in entries), Decimal("0"))
        logged_shifts = {row.source_id for row in entries if row.source_type == "shift"}
        for shift in self.booked.get(volunteer_id, ()):
            if first <= shift.starts_at < nxt and shift.id not in logged_shifts and shift.id != exclude_shift_id:
                total += shift.hours
        return total

    def reasons(self, volunteer: User, starts_at: datetime, ends_at: datetime, *,
                exclude_shift_id: int | None = None) -> list[str]:
        """clash_reasons, answered from what was fetched (it must cover starts_at..ends_at)."""
        if ends_at <= starts_at:
            return ["De eindtijd ligt voor de begintijd."]
        if starts_at < now():
            return [f"{dutch.span(starts_at, ends_at)} ligt in het verleden."]
        return (self._booked_elsewhere(volunteer, starts_at, ends_at, exclude_shift_id)
                + self._outside_availability(volunteer, starts_at, ends_at)
                + self._absent(volunteer, starts_at)
                + self._over_hours(volunteer, starts_at, ends_at, exclude_shift_id))

    def _booked_elsewhere(self, volunteer, starts_at, ends_at, exclude_shift_id) -> list[str]:
        return [f"{volunteer.full_name} is dan al ingeroosterd bij {other.respite_request.carer.full_name} "
                f"({dutch.span(other.starts_at, other.ends_at)})." for other in self.booked.get(volunteer.id, ())
                if other.starts_at < ends_at and other.ends_at > starts_at and other.id != exclude_shift_id]

    def _outside_availability(self, volunteer, starts_at, ends_at) -> list[str]:
        start, end = starts_at.astimezone(LOCAL), ends_at.astimezone(LOCAL)
        weekday = start.weekday()
        slots = [s for s in self.slots.get(volunteer.id, ()) if s.weekday == weekday]
        if start.date() == end.date() and any(s.start <= start.time() and end.time() <= s.end for s in slots):
            return []
        day = dutch.weekday(weekday)
        when = f"{day} {dutch.time_span(start, end)}"
        if not slots:
            return [f"{volunteer.full_name} is op {day} niet beschikbaar (gevraagd: {when})."]
        known = ", ".join(dutch.time_span(s.start, s.end) for s in slots)
        return [f"{volunteer.full_name} is niet beschikbaar op {when}; wel op {day} {known}."]

    def _absent(self, volunteer, starts_at) -> list[str]:
        on = starts_at.astimezone(LOCAL).date()
        return [f"{volunteer.full_name} is afwezig van {dutch.weekday_date(a.starts_on)} "
                f"tot en met {dutch.weekday_date(a.ends_on)}" + (f" ({a.note})." if a.note else ".")
                for a in self.absences.get(volunteer.id, ()) if a.starts_on <= on <= a.ends_on]

    def _over_hours(self, volunteer, starts_at, ends_at, exclude_shift_id) -> list[str]:
        profile = self.profiles.get(volunteer.id)
        if profile is None:
            return []
        on = starts_at.astimezone(LOCAL).date()
        this = Decimal((ends_at - starts_at).total_seconds()) / Decimal(3600)
        total = self.hours_in_month(volunteer.id, on, exclude_shift_id) + this
        if total > profile.max_hours_month:
            month = dutch.date(on, "MMMM yyyy")
            return [f"{volunteer.full_name} komt dan op {dutch.hours(total.quantize(Decimal('0.1')))} in {month}; "
                    f"het maximum is {profile.max_hours_month} uur per maand."]
        return []


def _grouped(rows, key) -> dict[int, list]:
    out: dict[int, list] = {}
    for row in rows:
        out.setdefault(key(row), []).append(row)
    return out


def calendar_for(volunteer_ids, first: datetime, last: datetime) -> Calendar:
    """Everything the clash rules need for these volunteers and times from `first` to `last`:
    their booked shifts, slots, absences, logged hours and profiles, in five queries."""
    ids = set(volunteer_ids)
    start, _ = month_bounds(first.astimezone(LOCAL).date())
    _, end = month_bounds(last.astimezone(LOCAL).date())
    start, end = min(start, first), max(end, last)
    booked = db.session.scalars(select(RespiteShift).where(
        RespiteShift.volunteer_id.in_(ids), RespiteShift.status == RespiteShift.BOOKED,
        RespiteShift.starts_at < end, RespiteShift.ends_at > start)
        .options(selectinload(RespiteShift.respite_request).selectinload(RespiteRequest.carer))
        .order_by(RespiteShift.starts_at, RespiteShift.id))
    slots = db.session.scalars(select(WeeklySlot).where(WeeklySlot.user_id.in_(ids))
                               .order_by(WeeklySlot.weekday, WeeklySlot.start, WeeklySlot.id))
    absences = db.session.scalars(select(Absence).where(
        Absence.user_id.in_(ids), Absence.starts_on <= end.astimezone(LOCAL).date(),
        Absence.ends_on >= start.astimezone(LOCAL).date()).order_by(Absence.starts_on, Absence.id))
    logged = db.session.execute(select(
        HoursEntry.helper_id, HoursEntry.hours, HoursEntry.source_type, HoursEntry.source_id, HoursEntry.worked_on)
        .where(HoursEntry.helper_id.in_(ids), HoursEntry.status != HoursEntry.REJECTED,
               HoursEntry.worked_on >= start.astimezone(LOCAL).date(),
               HoursEntry.worked_on < end.astimezone(LOCAL).date() + timedelta(days=1)))
    profiles = db.session.scalars(select(VolunteerProfile).where(VolunteerProfile.user_id.in_(ids)))
    return Calendar(booked=_grouped(booked, lambda s: s.volunteer_id), slots=_grouped(slots, lambda s: s.user_id),
                    absences=_grouped(absences, lambda a: a.user_id), logged=_grouped(logged, lambda r: r.helper_id),
                    profiles={p.user_id: p for p in profiles})


def hours_in_month(volunteer: User, on: date, exclude_shift_id: int | None = None) -> Decimal:
    """Hours already counted for the volunteer in the month of `on`: logged hours (not
    rejected) plus booked shifts that have no hours entry yet."""
    first, nxt = month_bounds(on)
    return calendar_for([volunteer.id], first, nxt).hours_in_month(volunteer.id, on, exclude_shift_id)


def clash_reasons(volunteer: User, starts_at: datetime, ends_at: datetime, *,
                  exclude_shift_id: int | None = None) -> list[str]:
    """Every reason `volunteer` cannot take a shift from starts_at to ends_at (empty: free).

    Shifts booked earlier in the same transaction count too (the session autoflushes), so a
    series booked in one go is held to the monthly maximum occurrence by occurrence.
    """
    if ends_at <= starts_at or starts_at < now():
        return Calendar({}, {}, {}, {}, {}).reasons(volunteer, starts_at, ends_at)
    return calendar_for([volunteer.id], starts_at, ends_at).reasons(
        volunteer, starts_at, ends_at, exclude_shift_id=exclude_shift_id)


def week_start(on: date) -> date:
    return on - timedelta(days=on.weekday())
