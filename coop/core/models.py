"""Villages (the tenants), people, their roles, task categories and the audit log."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.core import roles as R
from coop.core.clock import now
from coop.core.types import UTCDateTime
from coop.extensions import Model


class Municipality(Model):
    __tablename__ = "municipalities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)

    villages: Mapped[list[Village]] = relationship(back_populates="municipality")


class Village(Model):
    """A village and its cooperative: the tenant every query is scoped to."""

    __tablename__ = "villages"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    cooperative_name: Mapped[str] = mapped_column(String(160))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id"))
    centre_lat: Mapped[float]
    centre_lon: Mapped[float]
    coordinator_phone: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    municipality: Mapped[Municipality | None] = relationship(back_populates="villages")


class UserRole(Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


def full_name(first_name: str | None, last_name: str | None) -> str:
    """'Gerda Veldhuis': a person's name as every page shows it (also from plain rows)."""
    return f"{first_name or ''} {last_name or ''}".strip()


class User(UserMixin, Model):
    """A person. Many residents never log in: then email and password_hash stay empty."""

    __tablename__ = "users"
    __table_args__ = (Index("ix_users_village_last_name", "village_id", "last_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(20))  # E.164
    street: Mapped[str | None] = mapped_column(String(120))
    house_number: Mapped[str | None] = mapped_column(String(12))
    postcode: Mapped[str | None] = mapped_column(String(7))
    place: Mapped[str | None] = mapped_column(String(80))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on password change: every session made before it stops working.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the person was forgotten (AVG art. 17, coop/privacy/erasure.py): the row stays so
    # that counts and the audit log keep pointing at it, and reads as "Persoon <id>".
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Whether the person has a volunteer or professional profile. Kept by the database
    # (triggers on both profile tables, 0031_users_helper_marker), never written by the app:
    # matching reads the helpers near a request from a partial index on it.
    is_helper: Mapped[bool] = mapped_column(server_default=false())

    village: Mapped[Village] = relationship()
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    created_by: Mapped[User | None] = relationship(remote_side=[id])

    # Flask-Login: the session carries id and version, so a password change logs out elsewhere.
    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def roles(self) -> set[str]:
        return {r.role for r in self.role_rows}

    def has_role(self, *names: str) -> bool:
        return bool(self.roles.intersection(names))

    def add_role(self, role: str) -> None:
        if role not in R.ALL:
            raise ValueError(f"unknown role {role}")
        if role not in self.roles:
            self.role_rows.append(UserRole(role=role))

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.last_name)

    @property
    def address_line(self) -> str:
        street = " ".join(p for p in (self.street, self.house_number) if p)
        place = " ".join(p for p in (self.postcode, self.place) if p)
        return ", ".join(p for p in (street, place) if p)

    @property
    def can_log_in(self) -> bool:
        return bool(self.email and self.password_hash and self.active)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.full_name}>"


class TaskCategory(Model):
    """A kind of task and the rule for who may do it (applied in people/eligibility.py)."""

    __tablename__ = "task_categories"
    __table_args__ = (UniqueConstraint("village_id", "code"),)

    OPEN, TRAINED, PROFESSIONAL, MUNICIPAL = "open", "trained", "professional", "municipal"
    RULES = (OPEN, TRAINED, PROFESSIONAL, MUNICIPAL)
    RULE_LABELS = {
        OPEN: "elke goedgekeurde vrijwilliger",
        TRAINED: "getrainde vrijwilliger met overeenkomst en achterwacht",
        PROFESSIONAL: "alleen zorgprofessionals",
        MUNICIPAL: "doorverwijzen naar de gemeente",
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="")
    rule: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    sort_order: Mapped[int] = mapped_column(default=0)
    # Only member households may ask for this; others are offered to join (coop/members).
    members_only: Mapped[bool] = mapped_column(default=False, server_default=false())

    @property
    def rule_label(self) -> str:
        return self.RULE_LABELS[self.rule]


class AuditLog(Model):
    """Who did what to whom, in which role, on whose behalf, from where (NEN 7513, AVG).

    Staff reading a person's record is written here too. Append-only: the app changes no row
    and deletes rows only at the start of a chain when their retention period is over
    (`AuditChainStart`); the database refuses UPDATE and any other DELETE (triggers in
    0019_audit_chain and 0022_audit_retention), and each row carries a hash over its fields
    and the previous row's hash in its village's chain (coop/core/audit.py; `flask --app coop audit-verify`).
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_chain", "village_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, index=True)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # The role the actor used (the view's admitted role they hold); None: the system or a script.
    actor_role: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(60))
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # The person the actor acted for, e.g. the resident whose request the coordinator typed in.
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    ip: Mapped[str | None] = mapped_column(String(45))
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    row_hash: Mapped[str | None] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    subject: Mapped[User | None] = relationship(foreign_keys=[subject_user_id])
    on_behalf_of: Mapped[User | None] = relationship(foreign_keys=[on_behalf_of_id])
    others: Mapped[list[AuditSubject]] = relationship(order_by="AuditSubject.user_id", viewonly=True)


class ReferralDestination(Model):
    """Where the village refers a request it cannot take on (Wmo-loket, huisarts, wijkteam…).

    A list per village, kept by the coordinator: only these names reach the gemeente's figures,
    never what someone typed. A name no longer used is set inactive, so past referrals keep it.
    """

    __tablename__ = "referral_destinations"
    __table_args__ = (UniqueConstraint("village_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    active: Mapped[bool] = mapped_column(default=True)
    sort_order: Mapped[int] = mapped_column(default=0)


# Every new village starts with these; the coordinator adds, renames and hides its own.
DEFAULT_REFERRAL_DESTINATIONS = (
    "Wmo-loket", "Huisarts", "Wijkteam", "Thuiszorg", "Casemanager dementie",
    "Maatschappelijk werk", "Mantelzorgsteunpunt", "Ouderenadviseur", "Andere organisatie",
)


def default_referral_destinations(village_id: int) -> list[ReferralDestination]:
    return [ReferralDestination(village_id=village_id, name=name, sort_order=10 * (i + 1))
            for i, name in enumerate(DEFAULT_REFERRAL_DESTINATIONS)]


class FormSubmission(Model):
    """A create form's one-time token, claimed in the transaction that creates (core/once.py).

    The token is the key, so two submits of one form cannot both claim it; `result_url` is where
    the first one's result is, for the answer to every repeat.
    """

    __tablename__ = "form_submissions"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(String(80))
    result_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, index=True)


class AuditChainStart(Model):
    """Where a chain of the audit log begins once its oldest rows were removed at the end of
    their retention period (`coop.core.audit.trim`): the first row kept and the hash it builds
    on. The database lets a DELETE of audit rows through only before this start, and a start
    only moves forward (triggers in 0022_audit_retention)."""

    __tablename__ = "audit_chain_starts"

    chain: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # the village's id; 0: no village
    first_id: Mapped[int]
    start_hash: Mapped[str] = mapped_column(String(64))
    removed: Mapped[int] = mapped_column(default=0)  # rows removed from this chain, all runs together
    removed_before: Mapped[datetime] = mapped_column(UTCDateTime)  # the last run's cutoff
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)  # when it last moved


class AuditSubject(Model):
    """The other people an audit event concerns: everyone a search, list, roster or export showed.

    Written with its event, hashed into the event's row, append-only like it."""

    __tablename__ = "audit_log_subjects"

    audit_id: Mapped[int] = mapped_column(ForeignKey("audit_log.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)

    user: Mapped[User] = relationship()
