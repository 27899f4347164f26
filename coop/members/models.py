"""Leden en contributie: member households, their SEPA mandates, the yearly contribution of
each household, the yearly run that collects it, and the village's settings for it."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.core.clock import now
from coop.core.models import User
from coop.core.types import UTCDateTime
from coop.extensions import Model

DEFAULT_FEE = Decimal("25.00")

DIRECT_DEBIT, TRANSFER = "direct_debit", "transfer"
METHODS = (DIRECT_DEBIT, TRANSFER)
METHOD_LABELS = {DIRECT_DEBIT: "automatische incasso", TRANSFER: "zelf overmaken"}

# A contribution: to be paid by transfer, in a direct-debit file, paid, or returned (storno).
OPEN, COLLECTING, PAID, RETURNED = "open", "collecting", "paid", "returned"
STATUS_LABELS = {OPEN: "nog te betalen", COLLECTING: "wordt geïncasseerd", PAID: "betaald",
                 RETURNED: "teruggeboekt (storno)"}
UNPAID = (OPEN, RETURNED)

FIRST, RECURRING = "FRST", "RCUR"  # SEPA sequence types

# Why a bank returned a debit: the common SEPA reason codes, in the words of a bank statement.
RETURN_REASONS = {
    "MD06": "teruggeboekt door de rekeninghouder",
    "AM04": "onvoldoende saldo",
    "AC04": "rekening opgeheven",
    "MD01": "geen geldige machtiging",
    "MS02": "geweigerd door de rekeninghouder",
    "MS03": "andere reden van de bank",
}


class MemberSettings(Model):
    """The village's contribution and the cooperative's bank details for direct debit."""

    __tablename__ = "member_settings"

    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id", ondelete="CASCADE"), primary_key=True)
    yearly_fee: Mapped[Decimal] = mapped_column(Numeric(8, 2), default=DEFAULT_FEE)
    creditor_id: Mapped[str | None] = mapped_column(String(35))  # incassant-ID
    account_name: Mapped[str | None] = mapped_column(String(70))
    iban: Mapped[str | None] = mapped_column(String(34))
    bic: Mapped[str | None] = mapped_column(String(11))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)


class Household(Model):
    """A member household: one or more people of the village, with a membership number."""

    __tablename__ = "households"
    __table_args__ = (UniqueConstraint("village_id", "number", name="uq_households_village_number"),
                      UniqueConstraint("village_id", "payment_reference", name="uq_households_village_reference"))

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    number: Mapped[int]
    # The person letters and reminders go to; also one of the members.
    contact_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(16))
    # What a transfer says, so the treasurer can tell whose it is.
    payment_reference: Mapped[str] = mapped_column(String(35))
    reduction: Mapped[Decimal] = mapped_column(Numeric(8, 2), default=Decimal("0"))
    reduction_reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    contact: Mapped[User] = relationship(foreign_keys=[contact_id])
    members: Mapped[list[Member]] = relationship(back_populates="household", cascade="all, delete-orphan",
                                                 order_by="Member.id")
    mandate: Mapped[Mandate | None] = relationship(back_populates="household", uselist=False,
                                                   cascade="all, delete-orphan")
    contributions: Mapped[list[Contribution]] = relationship(back_populates="household",
                                                             order_by="Contribution.year.desc()")

    @property
    def method_label(self) -> str:
        return METHOD_LABELS[self.method]

    def active_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)

    @property
    def names(self) -> str:
        return ", ".join(m.user.full_name for m in self.members)


class Member(Model):
    """A person in a household; in one current household at a time (members.service.join checks),
    and perhaps in an earlier one that ended."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    household: Mapped[Household] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class Mandate(Model):
    """A SEPA direct-debit mandate (machtiging): its reference is stable and unique within the
    creditor (the village's cooperative), the signing date never in the future."""

    __tablename__ = "mandates"
    __table_args__ = (UniqueConstraint("village_id", "reference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), unique=True)
    reference: Mapped[str] = mapped_column(String(35))
    signed_on: Mapped[date] = mapped_column(Date)
    # Emptied when the account holder is forgotten (AVG art. 17): the reference stays for the books.
    iban: Mapped[str | None] = mapped_column(String(34))
    bic: Mapped[str | None] = mapped_column(String(11))
    account_holder: Mapped[str] = mapped_column(String(70))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    household: Mapped[Household] = relationship(back_populates="mandate")


class ContributionRun(Model):
    """One yearly run: the contributions it made and the direct-debit file, kept as sent."""

    __tablename__ = "contribution_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    year: Mapped[int]
    collection_date: Mapped[date] = mapped_column(Date)
    message_id: Mapped[str | None] = mapped_column(String(35))
    debit_file: Mapped[str | None] = mapped_column(Text)  # pain.008.001.02, None when nobody pays by debit
    debit_count: Mapped[int] = mapped_column(default=0)
    transfer_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped[User | None] = relationship()


class Contribution(Model):
    """A household's contribution for one year: at most one (the yearly run makes it once)."""

    __tablename__ = "contributions"
    __table_args__ = (UniqueConstraint("household_id", "year"),
                      Index("ix_contributions_village_year", "village_id", "year"))

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("contribution_runs.id"))
    year: Mapped[int]
    amount: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    method: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(12), default=OPEN)
    due_on: Mapped[date] = mapped_column(Date)  # the collection date, or the date to pay by
    sequence: Mapped[str | None] = mapped_column(String(4))  # FRST / RCUR for a debit
    mandate_reference: Mapped[str | None] = mapped_column(String(35))
    end_to_end_id: Mapped[str | None] = mapped_column(String(35))
    payment_reference: Mapped[str] = mapped_column(String(35))
    paid_on: Mapped[date | None] = mapped_column(Date)
    returned_on: Mapped[date | None] = mapped_column(Date)
    return_reason: Mapped[str | None] = mapped_column(String(4))
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    household: Mapped[Household] = relationship(back_populates="contributions")
    run: Mapped[ContributionRun | None] = relationship()

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def return_reason_label(self) -> str:
        return RETURN_REASONS.get(self.return_reason or "", "")

    @property
    def unpaid(self) -> bool:
        return self.status in UNPAID


class Broadcast(Model):
    """A message the coordinator sent to a group at once; one outbox row per recipient has it
    as its subject, so the print list of those without e-mail can be made from them."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    group_key: Mapped[str] = mapped_column(String(60))
    group_label: Mapped[str] = mapped_column(String(120))
    subject: Mapped[str] = mapped_column(String(150))
    text: Mapped[str] = mapped_column(Text)
    recipients: Mapped[int] = mapped_column(default=0)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    sent_by: Mapped[User | None] = relationship()
