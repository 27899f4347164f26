"""Per-village follow-up durations, and the single-use tokens behind one-click answers."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from coop.core.clock import now
from coop.core.types import UTCDateTime
from coop.extensions import Model, db


@dataclass(frozen=True)
class Durations:
    """The defaults; a village may override any of them in FollowUpSettings."""

    escalate_today_hours: int = 4
    escalate_week_hours: int = 48
    escalate_no_rush_hours: int = 7 * 24
    ask_helped_after_hours: int = 24        # after the agreed date or window end
    ask_helped_flexible_days: int = 7       # flexible requests: days after matched
    carerqol_every_months: int = 3
    agreement_review_days_ahead: int = 30
    retention_months: int = 24


DEFAULTS = Durations()
FIELDS = tuple(Durations.__dataclass_fields__)


class FollowUpSettings(Model):
    """One row per village that differs from the defaults; an empty column means "default"."""

    __tablename__ = "followup_settings"

    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id", ondelete="CASCADE"), primary_key=True)
    escalate_today_hours: Mapped[int | None]
    escalate_week_hours: Mapped[int | None]
    escalate_no_rush_hours: Mapped[int | None]
    ask_helped_after_hours: Mapped[int | None]
    ask_helped_flexible_days: Mapped[int | None]
    carerqol_every_months: Mapped[int | None]
    agreement_review_days_ahead: Mapped[int | None]
    retention_months: Mapped[int | None]


def durations_for(village_id: int) -> Durations:
    row = db.session.get(FollowUpSettings, village_id)
    if row is None:
        return DEFAULTS
    return Durations(**{f: getattr(row, f) if getattr(row, f) is not None else getattr(DEFAULTS, f)
                        for f in FIELDS})


class AnswerToken(Model):
    """Makes a signed answer link single-use: the link carries this row's id and nonce."""

    __tablename__ = "answer_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    nonce: Mapped[str] = mapped_column(String(32), unique=True)
    purpose: Mapped[str] = mapped_column(String(30))          # e.g. "helped"
    subject_id: Mapped[int] = mapped_column(index=True)       # e.g. the HelpRequest id
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answer: Mapped[str | None] = mapped_column(String(10))

    @property
    def expired(self) -> bool:
        return now() >= self.expires_at


ANSWER_LINK_VALID = timedelta(days=14)
