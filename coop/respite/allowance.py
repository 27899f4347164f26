"""The limits of the tax-free volunteer allowance (vrijwilligersvergoeding), per calendar year.

The Belastingdienst sets a maximum per month, per year and per hour (one for volunteers of 21
and over, a lower one under 21); all three apply at once. They change every year, so they live
in a table by year, and a statement uses the row of the year its hours fall in. A year not in
the table yet borrows the nearest known year's figures and says so, until the admin adds it.
A village may choose lower maxima of its own, never higher ones.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from coop.core import audit, dutch
from coop.core.errors import DomainError
from coop.core.models import User
from coop.extensions import db
from coop.respite.models import AllowanceLimits, ExpenseSettings

CENT = Decimal("0.01")
FIRST_YEAR, LAST_YEAR = 2000, 2100
# Far above any real limit, low enough to catch a slipped digit.
UPPER = {"month_max": Decimal("2000"), "year_max": Decimal("20000"),
         "hourly_max": Decimal("50"), "hourly_max_young": Decimal("50")}
LABELS = {"month_max": "het maximum per maand", "year_max": "het maximum per jaar",
          "hourly_max": "het uurbedrag vanaf 21 jaar", "hourly_max_young": "het uurbedrag onder 21 jaar"}


@dataclass(frozen=True)
class YearLimits:
    """The limits that hold for `year`: that year's own row, or the nearest known one."""
    year: int
    source_year: int
    month_max: Decimal
    year_max: Decimal
    hourly_max: Decimal
    hourly_max_young: Decimal

    @property
    def missing(self) -> bool:
        return self.source_year != self.year

    @property
    def notice(self) -> str | None:
        if not self.missing:
            return None
        return (f"De grenzen voor {self.year} zijn nog niet ingevoerd; we rekenen met die van "
                f"{self.source_year}. Controleer de bedragen van de Belastingdienst.")

    def hourly_for(self, young: bool) -> Decimal:
        return self.hourly_max_young if young else self.hourly_max


def all_limits() -> list[AllowanceLimits]:
    return list(db.session.scalars(select(AllowanceLimits).order_by(AllowanceLimits.year.desc())))


def limits_for(year: int) -> YearLimits:
    """The year's limits; for a year not entered yet the latest earlier year's (or, before
    the first known year, that first year's), with a notice."""
    row = db.session.get(AllowanceLimits, year)
    if row is None:
        row = db.session.scalar(select(AllowanceLimits).where(AllowanceLimits.year < year)
                                .order_by(AllowanceLimits.year.desc()).limit(1)) \
            or db.session.scalar(select(AllowanceLimits).order_by(AllowanceLimits.year).limit(1))
    if row is None:
        # The migration ships the known years and rows are never deleted: this is a broken install.
        raise LookupError("allowance_limits is empty; run the migrations")
    return YearLimits(year, row.year, row.month_max, row.year_max, row.hourly_max, row.hourly_max_young)


def _money(value: Decimal | None, name: str) -> Decimal:
    """A finite, positive amount in whole cents below the field's sanity bound."""
    label = LABELS[name]
    if value is None or not value.is_finite():
        raise DomainError(f"Vul bij {label} een bedrag in, zoals 5,75.", name)
    if value <= 0:
        raise DomainError(f"Vul bij {label} een bedrag groter dan nul in.", name)
    if value > UPPER[name]:
        raise DomainError(f"Vul bij {label} hoogstens {dutch.money(UPPER[name])} in; kijk het bedrag nog eens na.",
                          name)
    if value != value.quantize(CENT):
        raise DomainError(f"Gebruik bij {label} hoogstens twee cijfers achter de komma.", name)
    return value.quantize(CENT)


def save_limits(year: int | None, *, by: User, month_max: Decimal | None, year_max: Decimal | None,
                hourly_max: Decimal | None, hourly_max_young: Decimal | None) -> AllowanceLimits:
    """The admin enters (or corrects) the Belastingdienst's figures for one calendar year."""
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        raise DomainError(f"Kies een jaar tussen {FIRST_YEAR} en {LAST_YEAR}.", "year")
    amounts = {name: _money(value, name) for name, value in (
        ("month_max", month_max), ("year_max", year_max), ("hourly_max", hourly_max),
        ("hourly_max_young", hourly_max_young))}
    if amounts["month_max"] > amounts["year_max"]:
        raise DomainError("Het maximum per maand kan niet hoger zijn dan het maximum per jaar.", "month_max")
    if amounts["hourly_max_young"] > amounts["hourly_max"]:
        raise DomainError("Het uurbedrag onder 21 jaar kan niet hoger zijn dan dat vanaf 21 jaar.",
                          "hourly_max_young")
    row = db.session.get(AllowanceLimits, year) or AllowanceLimits(year=year)
    for name, value in amounts.items():
        setattr(row, name, value)
    row.updated_by_id = by.id
    db.session.add(row)
    audit.record("allowance.limits_saved", actor=by, detail=f"{year}: maand {amounts['month_max']}, "
                 f"jaar {amounts['year_max']}, uur {amounts['hourly_max']} / {amounts['hourly_max_young']}")
    return row


def check_village_maxima(limits: YearLimits, *, month_max: Decimal | None, year_max: Decimal | None,
                         hourly_rate: Decimal, hourly_rate_young: Decimal) -> None:
    """A village's own maxima and hourly amounts may be lower than the legal limits, not higher."""
    year = limits.year
    if month_max is not None and month_max > limits.month_max:
        raise DomainError(f"Het maximum per maand mag in {year} niet hoger zijn dan {dutch.money(limits.month_max)}.",
                          "allowance_month_max")
    if year_max is not None and year_max > limits.year_max:
        raise DomainError(f"Het maximum per jaar mag in {year} niet hoger zijn dan {dutch.money(limits.year_max)}.",
                          "allowance_year_max")
    if hourly_rate > limits.hourly_max:
        raise DomainError(f"Het uurbedrag mag in {year} niet hoger zijn dan {dutch.money(limits.hourly_max)}.",
                          "hourly_rate")
    if hourly_rate_young > limits.hourly_max_young:
        raise DomainError(f"Het uurbedrag onder 21 jaar mag in {year} niet hoger zijn dan "
                          f"{dutch.money(limits.hourly_max_young)}.", "hourly_rate_young")


@dataclass(frozen=True)
class Terms:
    """What holds for a village in one year: its own choices, never above that year's limits
    (an own maximum chosen in a year with higher limits does not pass an earlier year's)."""
    limits: YearLimits
    month_max: Decimal
    year_max: Decimal
    hourly_rate: Decimal
    hourly_rate_young: Decimal

    def hourly_rate_for(self, young: bool) -> Decimal:
        return self.hourly_rate_young if young else self.hourly_rate


def terms(cfg: ExpenseSettings, limits: YearLimits) -> Terms:
    """The village's maxima (its own where it chose lower ones, the legal limits otherwise) and
    hourly amounts for the limits' year."""
    def own(value: Decimal | None, legal: Decimal) -> Decimal:
        return legal if value is None else min(value, legal)
    return Terms(limits, own(cfg.own_month_max, limits.month_max), own(cfg.own_year_max, limits.year_max),
                 min(cfg.hourly_rate, limits.hourly_max), min(cfg.hourly_rate_young, limits.hourly_max_young))


def is_young(volunteer: User) -> bool:
    profile = getattr(volunteer, "volunteer_profile", None)
    return bool(profile is not None and profile.under_21)
