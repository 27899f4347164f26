"""Why a volunteer cannot take a shift at a given time. Every reason names the clash.

The rules: end after start, not in the past, not booked elsewhere at that time, within the
volunteer's weekly availability, not absent, and not past their own maximum hours that month.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from coop.core import dutch
from coop.core.clock import LOCAL, now
from coop.core.errors import DomainError
from coop.core.models import User
from coop.extensions import db
from coop.people.models import Absence, HoursEntry, WeeklySlot
from coop.respite.models import RespiteShift


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


def hours_in_month(volunteer: User, on: date, exclude_shift_id: int | None = None) -> Decimal:
    """Hours already counted for the volunteer in the month of `on`: logged hours (not
    rejected) plus booked shifts that have no hours entry yet."""
    first, nxt = month_bounds(on)
    entries = db.session.execute(select(HoursEntry.hours, HoursEntry.source_type, HoursEntry.source_id).where(
        HoursEntry.helper_id == volunteer.id, HoursEntry.status != HoursEntry.REJECTED,
        HoursEntry.worked_on >= first.date(), HoursEntry.worked_on < nxt.date())).all()
    total = sum((row.hours for row in entries), Decimal("0"))
    logged_shifts = {row.source_id for row in entries if row.source_type == "shift"}
    shifts = db.session.scalars(select(RespiteShift).where(
        RespiteShift.volunteer_id == volunteer.id, RespiteShift.status == RespiteShift.BOOKED,
        RespiteShift.starts_at >= first, RespiteShift.starts_at < nxt))
    for shift in shifts:
        if shift.id not in logged_shifts and shift.id != exclude_shift_id:
            total += shift.hours
    return total


def _booked_elsewhere(volunteer, starts_at, ends_at, exclude_shift_id) -> list[str]:
    stmt = select(RespiteShift).where(
        RespiteShift.volunteer_id == volunteer.id, RespiteShift.status == RespiteShift.BOOKED,
        RespiteShift.starts_at < ends_at, RespiteShift.ends_at > starts_at)
    if exclude_shift_id is not None:
        stmt = stmt.where(RespiteShift.id != exclude_shift_id)
    return [f"{volunteer.full_name} is dan al ingeroosterd bij {other.request.carer.full_name} "
            f"({dutch.span(other.starts_at, other.ends_at)})." for other in db.session.scalars(stmt)]


def _outside_availability(volunteer, starts_at, ends_at) -> list[str]:
    start, end = starts_at.astimezone(LOCAL), ends_at.astimezone(LOCAL)
    weekday = start.weekday()
    slots = db.session.scalars(select(WeeklySlot).where(
        WeeklySlot.user_id == volunteer.id, WeeklySlot.weekday == weekday)).all()
    if start.date() == end.date() and any(s.start <= start.time() and end.time() <= s.end for s in slots):
        return []
    day = dutch.weekday(weekday)
    when = f"{day} {dutch.time_span(start, end)}"
    if not slots:
        return [f"{volunteer.full_name} is op {day} niet beschikbaar (gevraagd: {when})."]
    known = ", ".join(dutch.time_span(s.start, s.end) for s in slots)
    return [f"{volunteer.full_name} is niet beschikbaar op {when}; wel op {day} {known}."]


def _absent(volunteer, starts_at) -> list[str]:
    on = starts_at.astimezone(LOCAL).date()
    rows = db.session.scalars(select(Absence).where(
        Absence.user_id == volunteer.id, Absence.starts_on <= on, Absence.ends_on >= on)).all()
    return [f"{volunteer.full_name} is afwezig van {dutch.weekday_date(a.starts_on)} "
            f"tot en met {dutch.weekday_date(a.ends_on)}" + (f" ({a.note})." if a.note else ".") for a in rows]


def _over_hours(volunteer, starts_at, ends_at, exclude_shift_id) -> list[str]:
    profile = volunteer.volunteer_profile
    if profile is None:
        return []
    on = starts_at.astimezone(LOCAL).date()
    this = Decimal((ends_at - starts_at).total_seconds()) / Decimal(3600)
    total = hours_in_month(volunteer, on, exclude_shift_id) + this
    if total > profile.max_hours_month:
        month = dutch.date(on, "MMMM yyyy")
        return [f"{volunteer.full_name} komt dan op {dutch.hours(total.quantize(Decimal('0.1')))} in {month}; "
                f"het maximum is {profile.max_hours_month} uur per maand."]
    return []


def clash_reasons(volunteer: User, starts_at: datetime, ends_at: datetime, *,
                  exclude_shift_id: int | None = None) -> list[str]:
    """Every reason `volunteer` cannot take a shift from starts_at to ends_at (empty: free).

    Shifts booked earlier in the same transaction count too (the session autoflushes), so a
    series booked in one go is held to the monthly maximum occurrence by occurrence.
    """
    if ends_at <= starts_at:
        return ["De eindtijd ligt voor de begintijd."]
    if starts_at < now():
        return [f"{dutch.span(starts_at, ends_at)} ligt in het verleden."]
    return (_booked_elsewhere(volunteer, starts_at, ends_at, exclude_shift_id)
            + _outside_availability(volunteer, starts_at, ends_at)
            + _absent(volunteer, starts_at)
            + _over_hours(volunteer, starts_at, ends_at, exclude_shift_id))


def week_start(on: date) -> date:
    return on - timedelta(days=on.weekday())
