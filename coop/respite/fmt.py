"""Dutch wording of times for messages written by services (no request context needed)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from coop.core.clock import LOCAL


def day(on: date) -> str:
    return format_date(on, "EEEE d MMMM yyyy", locale="nl")


def span(starts_at: datetime, ends_at: datetime) -> str:
    """'dinsdag 24 november 2026 14:00–17:00' in local time."""
    start, end = starts_at.astimezone(LOCAL), ends_at.astimezone(LOCAL)
    return f"{day(start.date())} {start:%H:%M}–{end:%H:%M}"


def euro(amount: Decimal) -> str:
    return format_currency(amount, "EUR", locale="nl_NL")


def hours(amount: Decimal) -> str:
    return format_decimal(amount, "#,##0.##", locale="nl")
