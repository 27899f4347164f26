"""The per-village report setting: below how many a count is hidden."""
from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from coop.extensions import db

DEFAULT_THRESHOLD = 5


class ReportSettings(db.Model):
    """Kept on its own table so the tenant model stays untouched; no row means the default."""

    __tablename__ = "report_settings"

    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id", ondelete="CASCADE"), primary_key=True)
    small_count_threshold: Mapped[int] = mapped_column(default=DEFAULT_THRESHOLD)
