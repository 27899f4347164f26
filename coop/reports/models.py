"""The per-village report setting: below how many a count is hidden."""
from __future__ import annotations

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from coop.extensions import db
from coop.requests.models import HelpRequest, RoleSplitLine

DEFAULT_THRESHOLD = 5


class ReportSettings(db.Model):
    """Kept on its own table so the tenant model stays untouched; no row means the default."""

    __tablename__ = "report_settings"

    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id", ondelete="CASCADE"), primary_key=True)
    small_count_threshold: Mapped[int] = mapped_column(default=DEFAULT_THRESHOLD)


# Covering indexes for the report queries: a year of one village's requests (and their role
# split lines) is read from the index alone, without visiting the table rows.
Index("ix_help_requests_report", HelpRequest.village_id, HelpRequest.created_month, HelpRequest.category_id,
      HelpRequest.status, HelpRequest.matched_at, HelpRequest.created_at)
Index("ix_role_split_lines_report", RoleSplitLine.request_id, RoleSplitLine.party, RoleSplitLine.question)
