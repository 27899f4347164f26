"""One clock for the whole application, so tests can move time (follow-ups, throttling)."""
from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Europe/Amsterdam")

_frozen: datetime | None = None


def now() -> datetime:
    """The current time, aware, in UTC."""
    return _frozen if _frozen is not None else datetime.now(UTC)


def local_now() -> datetime:
    return now().astimezone(LOCAL)


def freeze(at: datetime | None) -> None:
    """Fix the clock at `at` (aware), or release it with None. For tests and the demo."""
    global _frozen
    if at is not None and at.tzinfo is None:
        raise ValueError("freeze() needs an aware datetime")
    _frozen = at
