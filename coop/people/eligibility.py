"""Who may take on a task of a category, as one pure function over plain facts.

The rule follows the inspectorate's view: competence, a professional backstop and written
agreements for `trained` tasks; a valid VOG for every volunteer; professionals only for
`professional` tasks; `municipal` tasks are never matched but referred. Matching checks the
same facts for thousands of helpers from SQL rows; the people pages check one person from the
ORM; both call `ineligibility`, so the reasons read the same everywhere.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

OPEN, TRAINED, PROFESSIONAL_RULE, MUNICIPAL = "open", "trained", "professional", "municipal"
VOLUNTEER, PROFESSIONAL = "volunteer", "professional"


class Category(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def rule(self) -> str: ...


class Facts(Protocol):
    """The attributes of HelperFacts the rule reads: matching's bulk-fetched rows have them too."""

    kind: str
    active: bool
    has_volunteer_role: bool
    approved: bool
    paused: bool
    vog_date: date | None
    contract_signed_on: date | None
    offers: bool
    competence: bool
    backstop: bool
    absent: bool


@dataclass
class HelperFacts:
    """What the rule needs to know about one helper for one category.

    Any object with these attributes will do (see Facts): matching passes its bulk-fetched rows.
    """
    kind: str  # volunteer | professional
    active: bool = True
    has_volunteer_role: bool = True
    approved: bool = True
    paused: bool = False
    vog_date: date | None = None
    contract_signed_on: date | None = None
    offers: bool = False  # offers this category (volunteer) or does it (professional)
    competence: bool = False  # recorded competence for this (trained) category
    backstop: bool = False  # that competence has a named professional backstop
    absent: bool = False


def vog_valid(vog_date: date | None, on: date, years: int) -> bool:
    return vog_date is not None and on < plus_years(vog_date, years)


def plus_years(day: date, years: int) -> date:
    """`day + relativedelta(years=years)` (29 February becomes 28 February in a common
    year), without relativedelta's cost: ranking asks it for every helper near a request."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def ineligibility(facts: Facts, category: Category, on: date, vog_years: int) -> list[str]:
    """Why this helper may not take on this task, in Dutch (empty: eligible)."""
    if category.rule == MUNICIPAL:
        return ["wordt doorverwezen naar de gemeente, niet gekoppeld"]
    reasons = [] if facts.active else ["account niet actief"]
    if facts.kind == PROFESSIONAL:
        # Professionals may do open and trained tasks too; professional ones only their own.
        if category.rule == PROFESSIONAL_RULE and not facts.offers:
            reasons.append(f"doet geen {category.name.lower()}")
    elif category.rule == PROFESSIONAL_RULE:
        reasons.append("alleen voor zorgprofessionals")
    elif not facts.has_volunteer_role:
        reasons.append("geen vrijwilliger")
    else:
        reasons += _volunteer_reasons(facts, category, on, vog_years)
    if facts.absent:
        reasons.append("afwezig")
    return reasons


def _volunteer_reasons(facts: Facts, category: Category, on: date, vog_years: int) -> list[str]:
    reasons = []
    if not facts.approved:
        reasons.append("nog niet goedgekeurd")
    if facts.paused:
        reasons.append("staat op pauze")
    if facts.vog_date is None:
        reasons.append("geen VOG")
    elif not vog_valid(facts.vog_date, on, vog_years):
        reasons.append("VOG verlopen")
    if category.rule == TRAINED:
        if not facts.competence:
            reasons.append(f"niet bevoegd voor {category.name.lower()}")
        elif not facts.backstop:
            reasons.append("geen professionele achterwacht")
        if facts.contract_signed_on is None:
            reasons.append("geen getekende vrijwilligersovereenkomst")
    elif not facts.offers:
        reasons.append(f"biedt geen {category.name.lower()} aan")
    return reasons
