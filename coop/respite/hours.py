"""Volunteer hours, kilometres and costs, and the monthly statement for the treasurer.

A finished shift becomes a draft hours entry; the volunteer confirms or corrects it and adds
km and costs; the coordinator approves. The statement pays km at the village's rate, costs and
an hourly amount if the village pays one, within the tax-free volunteer allowance
(vrijwilligersvergoeding) of the year the hours fall in (see allowance.py): at most the monthly
maximum, never more than what is left of the yearly maximum, per hour at most the hourly one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from coop.core import audit, dutch
from coop.core.clock import LOCAL, local_now, now
from coop.core.errors import DomainError
from coop.core.models import User
from coop.core.states import Lifecycle, Step, Transition
from coop.extensions import db
from coop.matching.models import ACCEPTED, Proposal
from coop.people.models import HoursEntry
from coop.requests.models import DONE, HelpRequest
from coop.respite import allowance
from coop.respite.models import ExpenseSettings, RespiteRequest, RespiteShift

SHIFT, REQUEST, MANUAL = "shift", "request", "manual"
CENT = Decimal("0.01")

STATUS_LABELS = {HoursEntry.DRAFT: "nog bevestigen", HoursEntry.CONFIRMED: "wacht op goedkeuring",
                 HoursEntry.APPROVED: "goedgekeurd", HoursEntry.REJECTED: "afgekeurd"}
# Status of an entry, as data (taken by coop/core/states.py).
TRANSITIONS = {
    "confirm": Step({HoursEntry.DRAFT, HoursEntry.CONFIRMED, HoursEntry.REJECTED}, HoursEntry.CONFIRMED, "bevestigd"),
    "approve": Step({HoursEntry.CONFIRMED}, HoursEntry.APPROVED, "goedgekeurd"),
    "reject": Step({HoursEntry.CONFIRMED, HoursEntry.DRAFT}, HoursEntry.REJECTED, "afgekeurd"),
}
LIFECYCLE: Lifecycle[HoursEntry] = Lifecycle("uren", TRANSITIONS, labels=STATUS_LABELS, refusal=lambda entry: (
    "Deze uren zijn al goedgekeurd en kunnen niet meer veranderen."
    if entry.status == HoursEntry.APPROVED else "Dat kan niet bij uren met deze status."))


def _transition(entry: HoursEntry, action: str, by: User | None = None) -> None:
    LIFECYCLE.apply(entry, action, by=by)


def settings_for(village_id: int) -> ExpenseSettings:
    row = db.session.get(ExpenseSettings, village_id)
    return row or ExpenseSettings(village_id=village_id, **ExpenseSettings.DEFAULTS)


def _finite(value: Decimal | None, name: str) -> None:
    # Decimal accepts "NaN" and "Infinity", and comparing NaN raises: refuse them first.
    if value is not None and not value.is_finite():
        raise DomainError("Vul een gewoon bedrag of aantal in, zoals 2,50.", name)


def save_settings(village_id: int, *, by: User, km_rate: Decimal, month_max: Decimal | None,
                  year_max: Decimal | None, hourly_rate: Decimal = Decimal("0"),
                  hourly_rate_young: Decimal = Decimal("0")) -> None:
    """The coordinator sets the km rate, the hourly allowance and the village's own maxima (empty:
    the legal limits); none may pass this year's limits of the Belastingdienst."""
    for name, value in (("km_rate", km_rate), ("allowance_month_max", month_max),
                        ("allowance_year_max", year_max), ("hourly_rate", hourly_rate),
                        ("hourly_rate_young", hourly_rate_young)):
        _finite(value, name)
    if not Decimal("0") <= km_rate <= Decimal("2"):
        raise DomainError("Kies een kilometervergoeding tussen € 0 en € 2.", "km_rate")
    if (month_max is not None and month_max <= 0) or (year_max is not None and year_max <= 0):
        raise DomainError("De maxima moeten groter dan nul zijn.", "allowance_month_max")
    if month_max is not None and year_max is not None and month_max > year_max:
        raise DomainError("Het maandmaximum kan niet hoger zijn dan het jaarmaximum.", "allowance_month_max")
    for name, value in (("hourly_rate", hourly_rate), ("hourly_rate_young", hourly_rate_young)):
        if value < 0:
            raise DomainError("Het uurbedrag kan niet negatief zijn; vul 0 in voor geen uurvergoeding.", name)
    limits = allowance.limits_for(local_now().year)
    allowance.check_village_maxima(limits, month_max=month_max, year_max=year_max, hourly_rate=hourly_rate,
                                   hourly_rate_young=hourly_rate_young)
    row = db.session.get(ExpenseSettings, village_id) or ExpenseSettings(village_id=village_id)
    row.km_rate, row.own_month_max, row.own_year_max = km_rate, month_max, year_max
    row.hourly_rate, row.hourly_rate_young = hourly_rate, hourly_rate_young
    now_terms = allowance.terms(row, limits)
    row.allowance_month_max, row.allowance_year_max = now_terms.month_max, now_terms.year_max
    row.updated_by_id = by.id
    db.session.add(row)
    audit.record("expenses.settings_saved", actor=by, village_id=village_id,
                 detail=f"km {km_rate}, maand {month_max or 'wettelijk'}, jaar {year_max or 'wettelijk'}, "
                        f"uur {hourly_rate} / {hourly_rate_young}")


def _add_once(entry: HoursEntry) -> bool:
    """Add `entry` unless its source is recorded already, perhaps by a run at the same moment
    (the unique index on source and helper decides; only this savepoint is rolled back)."""
    try:
        with db.session.begin_nested():
            db.session.add(entry)
        return True
    except IntegrityError:
        return False


def record_shift_hours(village_id: int) -> int:
    """Turn every finished booked shift of the village without hours into a draft entry, and
    return how many. Idempotent, needs no request or user: the periodic job calls it, and the
    hours pages call it on opening. The caller commits."""
    done = db.session.scalars(select(RespiteShift).where(
        RespiteShift.village_id == village_id, RespiteShift.status == RespiteShift.BOOKED,
        RespiteShift.ends_at <= now(),
        RespiteShift.id.not_in(select(HoursEntry.source_id).where(HoursEntry.source_type == SHIFT,
                                                                   HoursEntry.source_id.is_not(None))))
        .options(selectinload(RespiteShift.respite_request).selectinload(RespiteRequest.carer))).all()
    created = 0
    for shift in done:
        created += _add_once(HoursEntry(
            village_id=village_id, helper_id=shift.volunteer_id, worked_on=shift.local_start.date(),
            hours=shift.hours, description=f"Respijt bij {shift.respite_request.carer.full_name}"[:200],
            source_type=SHIFT, source_id=shift.id, status=HoursEntry.DRAFT))
    return created


def record_request_hours(req, helper: User, hours: Decimal, worked_on: date | None = None) -> HoursEntry:
    """A matched help request counts as the helper's hours (for matching's load rule), once."""
    def existing():
        return db.session.scalar(select(HoursEntry).where(
            HoursEntry.source_type == REQUEST, HoursEntry.source_id == req.id, HoursEntry.helper_id == helper.id))
    found = existing()
    if found is not None:
        return found
    entry = HoursEntry(village_id=req.village_id, helper_id=helper.id, hours=hours,
                       worked_on=worked_on or local_now().date(), source_type=REQUEST, source_id=req.id,
                       description=f"Hulpvraag: {req.category.name}"[:200], status=HoursEntry.DRAFT)
    return entry if _add_once(entry) else existing()


def request_hours(req) -> tuple[Decimal, date]:
    """What a completed help request counts for: the requested window's length on its day, or
    one hour on the day it was done (the helper corrects it in "Mijn uren")."""
    today = local_now().date()
    if req.window_start is not None and req.window_end is not None \
            and req.window_end > req.window_start:
        length = Decimal((req.window_end - req.window_start).total_seconds()) / Decimal(3600)
        return min(length, Decimal(24)).quantize(CENT), min(req.window_start.astimezone(LOCAL).date(), today)
    on = req.on_date if req.on_date is not None and req.on_date <= today else today
    return Decimal("1.00"), on


def _accepted_helper(req) -> User | None:
    return db.session.scalar(select(User).join(Proposal, Proposal.helper_id == User.id).where(
        Proposal.request_id == req.id, Proposal.status == ACCEPTED).order_by(Proposal.answered_at.desc()))


def hours_for_completed_request(step: Transition[HelpRequest]) -> None:
    """A completed request with an accepted proposal becomes a draft hours entry of its helper.
    (A hook on the request's lifecycle, registered in coop/respite/rules.py.)"""
    req = step.subject
    helper = _accepted_helper(req)
    if helper is not None:
        amount, on = request_hours(req)
        record_request_hours(req, helper, amount, worked_on=on)


def drop_draft_request_hours(step: Transition[HelpRequest]) -> None:
    """"Nee, niet geholpen": a draft nobody confirmed yet no longer counts; confirmed hours stay.
    (A hook on the request's lifecycle, registered in coop/respite/rules.py.)"""
    if step.source == DONE:
        for entry in db.session.scalars(select(HoursEntry).where(
                HoursEntry.source_type == REQUEST, HoursEntry.source_id == step.subject.id,
                HoursEntry.status == HoursEntry.DRAFT)):
            db.session.delete(entry)


def _amounts(hours: Decimal, km: Decimal, costs: Decimal) -> None:
    for name, value in (("hours", hours), ("km", km), ("costs", costs)):
        _finite(value, name)
    if not Decimal("0") < hours <= Decimal("24"):
        raise DomainError("Vul een aantal uren tussen 0 en 24 in.", "hours")
    if not Decimal("0") <= km <= Decimal("1000"):
        raise DomainError("Vul een aantal kilometers tussen 0 en 1000 in.", "km")
    if not Decimal("0") <= costs <= Decimal("1000"):
        raise DomainError("Vul kosten tussen € 0 en € 1000 in.", "costs")


def confirm_entry(entry: HoursEntry, *, by: User, hours: Decimal, km: Decimal, costs: Decimal,
                  description: str | None = None) -> list[str]:
    """The volunteer confirms or corrects their hours and adds km and costs. Returns warnings
    when the month's claim would pass the allowance maxima."""
    if entry.helper_id != by.id:
        raise DomainError("Dit zijn niet uw uren.")
    _amounts(hours, km, costs)
    _transition(entry, "confirm", by)
    entry.hours, entry.km, entry.costs = hours, km, costs
    if description is not None and description.strip():
        entry.description = description.strip()[:200]
    db.session.flush()
    return statement(by, entry.worked_on.year, entry.worked_on.month, include_pending=True).warnings


def add_manual_entry(volunteer: User, *, worked_on: date, hours: Decimal, km: Decimal, costs: Decimal,
                     description: str) -> tuple[HoursEntry, list[str]]:
    if worked_on > local_now().date():
        raise DomainError("Deze datum ligt in de toekomst.", "worked_on")
    if not description.strip():
        raise DomainError("Schrijf kort wat u deed.", "description")
    _amounts(hours, km, costs)
    entry = HoursEntry(village_id=volunteer.village_id, helper_id=volunteer.id, worked_on=worked_on,
                       hours=hours, km=km, costs=costs, description=description.strip()[:200],
                       source_type=MANUAL, status=HoursEntry.CONFIRMED)
    db.session.add(entry)
    db.session.flush()
    return entry, statement(volunteer, worked_on.year, worked_on.month, include_pending=True).warnings


def review_entry(entry: HoursEntry, *, by: User, approve: bool) -> None:
    _transition(entry, "approve" if approve else "reject", by)
    entry.approved_by_id, entry.approved_at = by.id, now()
    audit.record("hours.approved" if approve else "hours.rejected", actor=by, subject=entry.helper,
                 detail=f"entry {entry.id}")


def entries(user: User, year: int, month: int) -> list[HoursEntry]:
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return list(db.session.scalars(select(HoursEntry).where(
        HoursEntry.helper_id == user.id, HoursEntry.worked_on >= first, HoursEntry.worked_on < nxt)
        .order_by(HoursEntry.worked_on, HoursEntry.id)))


def pending_review(village_id: int) -> list[HoursEntry]:
    return list(db.session.scalars(select(HoursEntry).where(
        HoursEntry.village_id == village_id, HoursEntry.status == HoursEntry.CONFIRMED)
        .order_by(HoursEntry.worked_on, HoursEntry.id).options(selectinload(HoursEntry.helper))))


def _year_so_far(helper_ids, year: int, month: int) -> dict[int, dict[int, list[HoursEntry]]]:
    """Every entry of these helpers from January up to and including `month`: helper → month → entries
    (as `entries` orders them), in one query."""
    ids = set(helper_ids)
    out: dict[int, dict[int, list[HoursEntry]]] = {i: {} for i in ids}
    if not ids:
        return out
    for entry in db.session.scalars(select(HoursEntry).where(
            HoursEntry.helper_id.in_(ids), HoursEntry.worked_on >= date(year, 1, 1),
            HoursEntry.worked_on < date(year + (month == 12), month % 12 + 1, 1))
            .order_by(HoursEntry.worked_on, HoursEntry.id)):
        out[entry.helper_id].setdefault(entry.worked_on.month, []).append(entry)
    return out


@dataclass
class Statement:
    volunteer: User
    year: int
    month: int
    entries: list[HoursEntry]
    hours: Decimal
    hourly_rate: Decimal  # what is paid per hour, within the year's hourly maximum
    hours_amount: Decimal
    km: Decimal
    km_rate: Decimal
    km_amount: Decimal
    costs: Decimal
    claim: Decimal
    paid_before_this_year: Decimal
    payable: Decimal
    month_max: Decimal  # the maxima that held: the village's own, never above the year's limits
    year_max: Decimal
    limits: allowance.YearLimits
    warnings: list[str] = field(default_factory=list)

    @property
    def paid_this_year(self) -> Decimal:
        return self.paid_before_this_year + self.payable


@dataclass(frozen=True)
class _Claim:
    hours: Decimal
    hours_amount: Decimal
    km: Decimal
    km_amount: Decimal
    costs: Decimal

    @property
    def total(self) -> Decimal:
        return self.hours_amount + self.km_amount + self.costs


def _claim(rows: list[HoursEntry], km_rate: Decimal, hourly_rate: Decimal) -> _Claim:
    hours = sum((e.hours for e in rows), Decimal("0"))
    km = sum((e.km for e in rows), Decimal("0"))
    costs = sum((e.costs for e in rows), Decimal("0"))
    return _Claim(hours, (hours * hourly_rate).quantize(CENT), km, (km * km_rate).quantize(CENT), costs)


def statement(volunteer: User, year: int, month: int, include_pending: bool = False, *,
              limits: allowance.YearLimits | None = None, cfg: ExpenseSettings | None = None) -> Statement:
    """The month's claim and what may be paid tax-free, by the limits of `year`: at most the
    month's maximum, what is left of the year's maximum, and an hourly amount within the year's
    hourly maximum (the under-21 one for a volunteer recorded as under 21). Earlier months of the
    year count against the yearly maximum with what they could pay. `include_pending` also counts
    confirmed (not yet approved) entries: for warning the volunteer while they type."""
    cfg = cfg or settings_for(volunteer.village_id)
    return _statement(volunteer, year, month, include_pending, cfg, limits or allowance.limits_for(year),
                      _year_so_far([volunteer.id], year, month)[volunteer.id])


def _statement(volunteer: User, year: int, month: int, include_pending: bool, cfg: ExpenseSettings,
               limits: allowance.YearLimits, by_month: dict[int, list[HoursEntry]]) -> Statement:
    """`statement` from what was fetched: `limits` are those of `year` (the year all of
    `by_month`'s hours fall in), `by_month` the volunteer's entries of that year by month."""
    terms = allowance.terms(cfg, limits)
    month_max, year_max = terms.month_max, terms.year_max
    young = allowance.is_young(volunteer)
    rate_asked = cfg.hourly_rate_young if young else cfg.hourly_rate
    rate = terms.hourly_rate_for(young)
    counted = {HoursEntry.APPROVED} | ({HoursEntry.CONFIRMED, HoursEntry.DRAFT} if include_pending else set())
    paid_before = Decimal("0")
    for earlier in range(1, month):
        rows = [e for e in by_month.get(earlier, []) if e.status in counted]
        paid_before += min(_claim(rows, cfg.km_rate, rate).total, month_max,
                           max(year_max - paid_before, Decimal("0")))
    rows = [e for e in by_month.get(month, []) if e.status in counted]
    claim = _claim(rows, cfg.km_rate, rate)
    year_left = max(year_max - paid_before, Decimal("0"))
    payable = min(claim.total, month_max, year_left)
    st = Statement(volunteer=volunteer, year=year, month=month, entries=rows, hours=claim.hours,
                   hourly_rate=rate, hours_amount=claim.hours_amount, km=claim.km, km_rate=cfg.km_rate,
                   km_amount=claim.km_amount, costs=claim.costs, claim=claim.total,
                   paid_before_this_year=paid_before, payable=payable, month_max=month_max,
                   year_max=year_max, limits=limits)
    if rate < rate_asked and claim.hours:
        st.warnings.append(f"Het uurbedrag van {dutch.money(rate_asked)} is hoger dan het maximum van "
                           f"{dutch.money(rate)} in {year}{' onder 21 jaar' if young else ''}; "
                           f"er is gerekend met {dutch.money(rate)} per uur.")
    if claim.total > month_max:
        st.warnings.append(f"De vergoeding van {dutch.money(claim.total)} is hoger dan het maximum van "
                           f"{dutch.money(month_max)} per maand; "
                           f"er wordt {dutch.money(payable)} belastingvrij uitbetaald.")
    if claim.total > year_left:
        st.warnings.append(f"Van het jaarmaximum van {dutch.money(year_max)} is nog "
                           f"{dutch.money(year_left)} over; meer kan dit jaar niet belastingvrij worden uitbetaald.")
    return st


def month_statements(village_id: int, year: int, month: int) -> list[Statement]:
    """A statement for every volunteer with approved entries that month."""
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    ids = db.session.scalars(select(HoursEntry.helper_id).where(
        HoursEntry.village_id == village_id, HoursEntry.status == HoursEntry.APPROVED,
        HoursEntry.worked_on >= first, HoursEntry.worked_on < nxt).distinct()).all()
    people = db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.last_name, User.first_name)
                                .options(selectinload(User.volunteer_profile))).all()
    limits, cfg = allowance.limits_for(year), settings_for(village_id)
    year_so_far = _year_so_far(ids, year, month)
    return [_statement(p, year, month, False, cfg, limits, year_so_far[p.id]) for p in people]


def this_month() -> tuple[int, int]:
    today = now().astimezone(LOCAL).date()
    return today.year, today.month
