"""A proposal: the coordinator asks one helper to take on one hulpvraag."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.core.clock import now
from coop.core.models import User
from coop.core.types import UTCDateTime
from coop.extensions import Model
from coop.people.models import ProfessionalProfile, VolunteerProfile
from coop.requests.models import HelpRequest

PROPOSED, ACCEPTED, DECLINED, WITHDRAWN = "proposed", "accepted", "declined", "withdrawn"
OPEN = (PROPOSED, ACCEPTED)
STATUS_LABELS = {PROPOSED: "voorgesteld", ACCEPTED: "geaccepteerd", DECLINED: "afgewezen",
                 WITHDRAWN: "ingetrokken"}


class Proposal(Model):
    __tablename__ = "proposals"
    __table_args__ = (
        # One open proposal per helper per request, also under concurrent clicks.
        Index("uq_proposals_open", "request_id", "helper_id", unique=True,
              sqlite_where=text("status IN ('proposed', 'accepted')"),
              postgresql_where=text("status IN ('proposed', 'accepted')")),
        Index("ix_proposals_helper_status", "helper_id", "status"),
        Index("ix_proposals_resident_helper", "resident_id", "helper_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), index=True)
    helper_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Copied from the request so "helped this person before" is one indexed lookup.
    resident_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(12), default=PROPOSED)
    reason: Mapped[str] = mapped_column(Text, default="")  # the helper's reason when declining
    note: Mapped[str] = mapped_column(Text, default="")  # the coordinator's note
    by_phone: Mapped[bool] = mapped_column(default=False)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    help_request: Mapped[HelpRequest] = relationship()
    helper: Mapped[User] = relationship(foreign_keys=[helper_id])
    resident: Mapped[User] = relationship(foreign_keys=[resident_id])
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


# The largest radius bounds the first box when ranking (coop/matching/candidates.py): with
# these, max(radius_km) is one index lookup instead of a scan of every profile.
Index("ix_volunteer_profiles_radius", VolunteerProfile.radius_km)
Index("ix_professional_profiles_radius", ProfessionalProfile.radius_km)
# The helpers near a request, without the village's residents: users.is_helper is kept by
# triggers on both profile tables (0031_users_helper_marker).
Index("ix_users_helpers_village_lat_lon", User.village_id, User.lat, User.lon,
      postgresql_where=text("is_helper"), sqlite_where=text("is_helper = 1"))
