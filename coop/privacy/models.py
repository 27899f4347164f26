"""How long each kind of personal data is kept, per village (one row per village that differs)."""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from coop.core.clock import now
from coop.core.types import UTCDateTime
from coop.extensions import Model, db


@dataclass(frozen=True)
class Periods:
    """The defaults, and the bounds a village may choose within (`BOUNDS`)."""

    login_attempt_days: int = 30     # login tries with the address they came from
    outbox_body_days: int = 90       # the text and details of sent mails and messages
    carer_notes_months: int = 12     # "wat moet de vrijwilliger weten" after the last respite
    carerqol_months: int = 36        # CarerQol answers (health data, AVG art. 9)
    audit_years: int = 5             # the audit log (NEN 7513: at least five years)


DEFAULTS = Periods()
FIELDS = tuple(f.name for f in fields(Periods))
# (lowest, highest) per period. Login tries: the throttle needs a day of them, and the platform
# forgets every try after 30 days anyway. The audit log: NEN 7513 asks five years at least.
BOUNDS = {"login_attempt_days": (2, 30), "outbox_body_days": (7, 730), "carer_notes_months": (1, 60),
          "carerqol_months": (3, 120), "audit_years": (5, 20)}
# Requests closed this long ago are anonymised (the period itself lives with the follow-up
# durations, followups.models.Durations.retention_months, which the retention job reads).
REQUEST_MONTHS = (6, 120)


class RetentionSettings(Model):
    __tablename__ = "retention_settings"

    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id", ondelete="CASCADE"), primary_key=True)
    login_attempt_days: Mapped[int | None]
    outbox_body_days: Mapped[int | None]
    carer_notes_months: Mapped[int | None]
    carerqol_months: Mapped[int | None]
    audit_years: Mapped[int | None]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)


def periods_for(village_id: int) -> Periods:
    row = db.session.get(RetentionSettings, village_id)
    if row is None:
        return DEFAULTS
    return Periods(**{f: getattr(row, f) if getattr(row, f) is not None else getattr(DEFAULTS, f) for f in FIELDS})
