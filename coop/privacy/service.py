"""Changing the village's retention periods."""
from __future__ import annotations

from coop.core import audit
from coop.core.errors import DomainError
from coop.core.models import User, Village
from coop.extensions import db
from coop.followups.models import FollowUpSettings
from coop.privacy.models import BOUNDS, FIELDS, REQUEST_MONTHS, RetentionSettings


def set_periods(village: Village, values: dict[str, int], *, by: User) -> None:
    """Save every period (each within its bounds); the requests' one lives with the follow-up durations."""
    for name, (low, high) in {**BOUNDS, "retention_months": REQUEST_MONTHS}.items():
        value = values.get(name)
        if value is None or not low <= value <= high:
            raise DomainError(f"Kies een getal van {low} tot en met {high}.", field=name)
    row = db.session.get(RetentionSettings, village.id)
    if row is None:
        row = RetentionSettings(village_id=village.id)
        db.session.add(row)
    for name in FIELDS:
        setattr(row, name, values[name])
    row.updated_by_id = by.id
    durations = db.session.get(FollowUpSettings, village.id)
    if durations is None:
        durations = FollowUpSettings(village_id=village.id)
        db.session.add(durations)
    durations.retention_months = values["retention_months"]
    audit.record("retention.changed", actor=by, village_id=village.id,
                 detail=", ".join(f"{name}={values[name]}" for name in (*FIELDS, "retention_months")))
