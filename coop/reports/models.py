"""The per-village report setting: below how many a count is hidden."""
from __future__ import annotations

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from coop.extensions import Model
from coop.requests.models import FiveQuestionsAnswer, HelpRequest

DEFAULT_THRESHOLD = 5


class ReportSettings(Model):
    """Kept on its own table so the tenant model stays untouched; no row means the default."""

    __tablename__ = "report_settings"

    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id", ondelete="CASCADE"), primary_key=True)
    small_count_threshold: Mapped[int] = mapped_column(default=DEFAULT_THRESHOLD)


# Covering indexes for the report queries: a year of one village's requests (and their role
# split lines) is one range of an index, read without visiting the table rows. Requests are in
# month × category × hours-to-match order, so both the counts and the median's histogram are
# grouped as they stream from the index, with no sort.
Index("ix_help_requests_report", HelpRequest.village_id, HelpRequest.created_month, HelpRequest.category_id,
      HelpRequest.hours_to_match, HelpRequest.status, HelpRequest.matched_at)
Index("ix_role_split_lines_report", FiveQuestionsAnswer.village_id, FiveQuestionsAnswer.created_month,
      FiveQuestionsAnswer.party, FiveQuestionsAnswer.question)
