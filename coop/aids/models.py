"""An aid (hulpmiddel) in the village's stock, and its loans: reserved, lent, returned.

An item is out to at most one person at a time: while a loan is reserved or lent its
`open_item_id` holds the item's id, and that column is unique. A second reservation or loan of
the same item, however close in time, fails on the key (a row lock on the item makes the
loser wait for the winner and then read that the item is taken).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.core.clock import local_now, now
from coop.core.models import User
from coop.core.types import UTCDateTime
from coop.extensions import Model

# The kinds of aid the cooperative lends; the code is stored, the label shown.
KINDS = {
    "rollator": "rollator",
    "rolstoel": "rolstoel",
    "douchestoel": "douchestoel",
    "toiletverhoger": "toiletverhoger",
    "krukken": "krukken",
    "looprek": "looprek",
    "bedverhoger": "bedverhoger",
    "anders": "ander hulpmiddel",
}
GOOD, WORN, REPAIR = "good", "worn", "repair"
CONDITIONS = {GOOD: "goed", WORN: "gebruikt, werkt goed", REPAIR: "moet nagekeken of gerepareerd"}

RESERVED, LENT, RETURNED, CANCELLED = "reserved", "lent", "returned", "cancelled"
OPEN_LOANS = (RESERVED, LENT)
LOAN_LABELS = {RESERVED: "gereserveerd", LENT: "uitgeleend", RETURNED: "teruggebracht",
               CANCELLED: "reservering vervallen"}

# What the stock page filters on: what an item is doing now.
FREE, OUT, OVERDUE = "free", "out", "overdue"
ITEM_STATES = {FREE: "vrij", RESERVED: "gereserveerd", OUT: "uitgeleend", OVERDUE: "te laat terug"}


class AidItem(Model):
    __tablename__ = "aid_items"
    __table_args__ = (UniqueConstraint("village_id", "label"),
                      Index("ix_aid_items_village_kind", "village_id", "kind"))

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"))
    kind: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(40))  # the number or sticker on the item
    condition: Mapped[str] = mapped_column(String(10), default=GOOD)
    stored_at: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    loans: Mapped[list[AidLoan]] = relationship(back_populates="item", order_by="AidLoan.id.desc()",
                                                foreign_keys="AidLoan.item_id")

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def condition_label(self) -> str:
        return CONDITIONS.get(self.condition, self.condition)

    @property
    def name(self) -> str:
        return f"{self.kind_label.capitalize()} {self.label}"


class AidLoan(Model):
    """One lending of an item to a resident: a reservation first (perhaps), then the loan."""

    __tablename__ = "aid_loans"
    __table_args__ = (Index("ix_aid_loans_village_status", "village_id", "status", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("aid_items.id"), index=True)
    # The item's id while this loan is reserved or lent, else empty: unique, so an item is out once.
    open_item_id: Mapped[int | None] = mapped_column(ForeignKey("aid_items.id"), unique=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # The hulpvraag whose Schijf van Vijf (question 2, hulpmiddel) asked for it, if any.
    help_request_id: Mapped[int | None] = mapped_column(ForeignKey("help_requests.id", ondelete="SET NULL"),
                                                        index=True)
    status: Mapped[str] = mapped_column(String(10))
    starts_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    first_due_on: Mapped[date] = mapped_column(Date)  # before any extension
    returned_on: Mapped[date | None] = mapped_column(Date)
    return_condition: Mapped[str | None] = mapped_column(String(10))
    notes: Mapped[str] = mapped_column(Text, default="")
    # The local month (YYYYMM) the item went out: the figures count loans per month from it.
    lent_month: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)

    item: Mapped[AidItem] = relationship(back_populates="loans", foreign_keys=[item_id])
    resident: Mapped[User] = relationship(foreign_keys=[resident_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def status_label(self) -> str:
        return LOAN_LABELS[self.status]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_LOANS

    @property
    def is_overdue(self) -> bool:
        return self.status == LENT and self.due_on < local_now().date()

    @property
    def extended(self) -> bool:
        return self.due_on != self.first_due_on
