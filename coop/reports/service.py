"""Who may read a village's figures, and the one setting of the reports."""
from __future__ import annotations

from coop.core import audit
from coop.core.errors import DomainError
from coop.core.guard import may_see_gemeente_matters
from coop.core.models import User, Village
from coop.extensions import db
from coop.reports.models import ReportSettings

MIN_THRESHOLD, MAX_THRESHOLD = 3, 50


def may_read(village: Village, user: User) -> bool:
    return may_see_gemeente_matters(user, village.id, village.municipality_id)


def set_threshold(village: Village, value: int, *, by: User) -> None:
    """Below this count a figure is hidden. Never below 3: smaller groups are people."""
    if value is None or not MIN_THRESHOLD <= value <= MAX_THRESHOLD:
        raise DomainError(f"Kies een getal van {MIN_THRESHOLD} tot en met {MAX_THRESHOLD}.", field="threshold")
    settings = db.session.get(ReportSettings, village.id)
    if settings is None:
        settings = ReportSettings(village_id=village.id)
        db.session.add(settings)
    settings.small_count_threshold = value
    audit.record("reports.threshold", actor=by, village_id=village.id, detail=str(value))
