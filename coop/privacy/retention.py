"""Retention per kind of data, with each village's own periods (`models.periods_for`); run
nightly by the scheduler (registered in coop/privacy/rules.py). Each step deletes or empties
only what is older than its period.

- Login tries on the village's accounts (the address they came from): deleted. Tries at an
  address that is no account anywhere are deleted after 30 days by `auth.forget_old_records`.
- Sent, cancelled and undeliverable mails and messages: their text and details are emptied;
  the row (kind, dates, status) stays, so a periodic rule never sends the same thing twice.
- What a carer told the volunteer ("wat moet de vrijwilliger weten", support needs): emptied
  when the carer has had no respite for the period and none is planned.
- CarerQol answers: deleted. The figures of years that lie beyond the period then no longer
  count them.
- The audit log: rows older than the period leave from the start of the village's chain
  (`audit.trim`); the chain then starts at the hash of the last row removed, so
  `audit-verify` still checks every row kept. Nothing else in the log changes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import CursorResult, Text, cast, delete, exists, func, select, update

from coop.auth.models import LoginAttempt
from coop.core import audit
from coop.core import outbox as O
from coop.core.clock import now
from coop.core.models import AuditLog, User
from coop.extensions import db
from coop.followups.rules import villages
from coop.privacy.models import Periods, periods_for
from coop.respite.models import CarerProfile, CarerQolCheckin, RespiteRequest, RespiteShift

FINISHED = (O.SENT, O.CANCELLED, O.DEAD)


@dataclass
class Cleared:
    login_attempts: int = 0
    message_texts: int = 0
    carer_notes: int = 0
    carerqol: int = 0
    audit_rows: int = 0

    @property
    def total(self) -> int:
        return self.login_attempts + self.message_texts + self.carer_notes + self.carerqol + self.audit_rows


def _count(stmt: Any) -> int:
    result: CursorResult[Any] = db.session.execute(stmt.execution_options(synchronize_session=False))  # type: ignore[assignment]
    return result.rowcount


def apply(village_id: int, at: datetime, periods: Periods) -> Cleared:
    done = Cleared()
    emails = select(func.lower(User.email)).where(User.village_id == village_id, User.email.is_not(None))
    done.login_attempts = _count(delete(LoginAttempt).where(
        LoginAttempt.at < at - timedelta(days=periods.login_attempt_days), LoginAttempt.email.in_(emails)))
    done.message_texts = _count(update(O.FollowUp).where(
        O.FollowUp.village_id == village_id, O.FollowUp.status.in_(FINISHED),
        O.FollowUp.created_at < at - timedelta(days=periods.outbox_body_days),
        (O.FollowUp.body.is_not(None)) | (O.FollowUp.title.is_not(None)) | (O.FollowUp.last_error.is_not(None))
        | (func.length(cast(O.FollowUp.payload, Text)) > 2))
        .values(body=None, title=None, payload={}, last_error=None))
    quiet_since = at - relativedelta(months=periods.carer_notes_months)
    recent = exists().where(RespiteRequest.carer_id == CarerProfile.user_id,
                            RespiteShift.request_id == RespiteRequest.id,
                            RespiteShift.ends_at >= quiet_since)
    done.carer_notes = _count(update(CarerProfile).where(
        CarerProfile.village_id == village_id, CarerProfile.updated_at < quiet_since, ~recent,
        (CarerProfile.routines != "") | (CarerProfile.what_calms != "") | (CarerProfile.who_to_call != "")
        | (CarerProfile.support_needs != ""))
        .values(routines="", what_calms="", who_to_call="", support_needs="", updated_at=at))
    done.carerqol = _count(delete(CarerQolCheckin).where(
        CarerQolCheckin.village_id == village_id,
        CarerQolCheckin.taken_at < at - relativedelta(months=periods.carerqol_months)))
    done.audit_rows = audit.trim(village_id, at - relativedelta(years=periods.audit_years))
    return done


def apply_retention_periods(at: datetime | None = None) -> int:
    """The nightly job: every village with its own periods. Caller commits."""
    at = at or now()
    cleared = sum(apply(village.id, at, periods_for(village.id)).total for village in villages())
    # Rows of no village (the platform's own): the default period.
    return cleared + audit.trim(None, at - relativedelta(years=Periods().audit_years))


def audit_rows_past(village_id: int, at: datetime | None = None) -> int:
    """How many audit rows of the village are older than its period (for the register page)."""
    cutoff = (at or now()) - relativedelta(years=periods_for(village_id).audit_years)
    return db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.village_id == village_id,
                                                                   AuditLog.at < cutoff)) or 0
