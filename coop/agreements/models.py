"""An agreement, its versions, the responsibility matrix, comments, sign-offs and history.

The matrix lives on a version: rows (domains) carry a stable `key` so that the same row can
be found again in the next version when two versions are compared.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.core.clock import now
from coop.core.models import Municipality, User, Village
from coop.core.types import UTCDateTime
from coop.extensions import Model
from coop.requests.models import PARTIES as _REQUEST_PARTIES

# Version statuses. Transitions are one table in agreements/service.py.
DRAFT, PROPOSED, AGREED, SUPERSEDED = "draft", "proposed", "agreed", "superseded"
STATUS_LABELS = {DRAFT: "concept", PROPOSED: "voorgesteld", AGREED: "afgesproken",
                 SUPERSEDED: "vervangen door een nieuwere versie"}

# The matrix columns: the same parties as a case's Schijf van Vijf (minus "other organisation").
PARTY_KEYS = ("resident", "family", "volunteer", "coordinator", "professional", "municipality")
PARTIES = {k: _REQUEST_PARTIES[k] for k in PARTY_KEYS}

# A cell's role.
DOES, DECIDES, CONSULTED, INFORMED = "does", "decides", "consulted", "informed"
ROLES = {DOES: "voert uit", DECIDES: "beslist", CONSULTED: "denkt mee", INFORMED: "wordt geïnformeerd"}

COOPERATIVE, MUNICIPALITY = "cooperative", "municipality"
SIDES = {COOPERATIVE: "de coöperatie", MUNICIPALITY: "de gemeente"}


class Agreement(Model):
    __tablename__ = "agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    village: Mapped[Village] = relationship()
    municipality: Mapped[Municipality] = relationship()
    versions: Mapped[list[AgreementVersion]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="AgreementVersion.number")
    events: Mapped[list[AgreementEvent]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="AgreementEvent.id")

    @property
    def latest(self) -> AgreementVersion:
        return self.versions[-1]

    @property
    def in_force(self) -> AgreementVersion | None:
        agreed = [v for v in self.versions if v.status == AGREED]
        return agreed[-1] if agreed else None

    @property
    def title(self) -> str:
        return self.latest.title

    def version(self, number: int) -> AgreementVersion | None:
        return next((v for v in self.versions if v.number == number), None)


class AgreementVersion(Model):
    __tablename__ = "agreement_versions"
    __table_args__ = (UniqueConstraint("agreement_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(12), default=DRAFT)
    title: Mapped[str] = mapped_column(String(160))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    review_on: Mapped[date] = mapped_column(Date, index=True)
    cooperative_contact: Mapped[str] = mapped_column(String(160), default="")
    municipality_contact: Mapped[str] = mapped_column(String(160), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    agreement: Mapped[Agreement] = relationship(back_populates="versions")
    rows: Mapped[list[AgreementRow]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="AgreementRow.position")
    sign_offs: Mapped[list[SignOff]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="SignOff.signed_at")

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def signed_by(self, side: str) -> SignOff | None:
        return next((s for s in self.sign_offs if s.side == side), None)

    def row(self, row_id: int) -> AgreementRow | None:
        return next((r for r in self.rows if r.id == row_id), None)


class AgreementRow(Model):
    """A domain of the matrix (e.g. "Boodschappen"), with funding and a free note."""

    __tablename__ = "agreement_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("agreement_versions.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))  # stable across versions, for comparing
    position: Mapped[int] = mapped_column(default=0)
    domain: Mapped[str] = mapped_column(String(120))
    funding: Mapped[str] = mapped_column(String(160), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    version: Mapped[AgreementVersion] = relationship(back_populates="rows")
    cells: Mapped[list[ResponsibilityCell]] = relationship(
        back_populates="row", cascade="all, delete-orphan")
    comments: Mapped[list[RowComment]] = relationship(
        back_populates="row", cascade="all, delete-orphan", order_by="RowComment.id")

    def cell(self, party: str) -> ResponsibilityCell | None:
        return next((c for c in self.cells if c.party == party), None)


class ResponsibilityCell(Model):
    """What one party does in one domain: a role (or none) and an optional note."""

    __tablename__ = "responsibility_cells"
    __table_args__ = (UniqueConstraint("row_id", "party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    row_id: Mapped[int] = mapped_column(ForeignKey("agreement_rows.id", ondelete="CASCADE"), index=True)
    party: Mapped[str] = mapped_column(String(20))
    role: Mapped[str | None] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(String(300), default="")

    row: Mapped[AgreementRow] = relationship(back_populates="cells")

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role or "", "")


class RowComment(Model):
    __tablename__ = "agreement_row_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    row_id: Mapped[int] = mapped_column(ForeignKey("agreement_rows.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    side: Mapped[str] = mapped_column(String(12))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    row: Mapped[AgreementRow] = relationship(back_populates="comments")
    author: Mapped[User] = relationship()


class SignOff(Model):
    """One side's signature on a version: the name as signed and the time."""

    __tablename__ = "agreement_sign_offs"
    __table_args__ = (UniqueConstraint("version_id", "side"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("agreement_versions.id", ondelete="CASCADE"), index=True)
    side: Mapped[str] = mapped_column(String(12))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(160))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    version: Mapped[AgreementVersion] = relationship(back_populates="sign_offs")

    @property
    def side_label(self) -> str:
        return SIDES[self.side]


class AgreementEvent(Model):
    """One line on the agreement's history: who did what to which version, when."""

    __tablename__ = "agreement_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    version_number: Mapped[int]
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(30))
    label: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")

    agreement: Mapped[Agreement] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()

    @property
    def actor_label(self) -> str:
        """Who took the step, by role: the history names no one beyond the signatures."""
        if self.actor is None:
            return ""
        if self.actor.has_role("municipality"):
            return "de gemeente"
        return "de dorpsondersteuner" if self.actor.has_role("coordinator") else "de beheerder"
