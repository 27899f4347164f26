"""What the aids pages read: the stock with what each item is doing, who has what, an item's
history, a resident's own loans, and the counts for the figures. Each list is one query with
what it shows loaded alongside."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from coop.aids.models import FREE, LENT, OPEN_LOANS, OUT, OVERDUE, RESERVED, AidItem, AidLoan
from coop.core.clock import local_now
from coop.core.models import User
from coop.core.sql import one_of
from coop.extensions import db


@dataclass(frozen=True)
class StockLine:
    item: AidItem
    loan: AidLoan | None  # the open reservation or loan, if any

    @property
    def state(self) -> str:
        if self.loan is None:
            return FREE
        if self.loan.status == RESERVED:
            return RESERVED
        return OVERDUE if self.loan.is_overdue else OUT


def stock(village_id: int, kind: str | None = None, state: str | None = None) -> list[StockLine]:
    """Every item of the village with its open loan, by kind and number; filtered on kind and
    on what it is doing now (free, reserved, out, overdue)."""
    open_ = aliased(AidLoan)
    stmt = (select(AidItem, open_).outerjoin(open_, open_.open_item_id == AidItem.id)
            .where(AidItem.village_id == village_id)
            .options(joinedload(open_.resident).lazyload(User.role_rows))
            .order_by(AidItem.kind, AidItem.label, AidItem.id))
    if kind:
        stmt = stmt.where(AidItem.kind == kind)
    today = local_now().date()
    if state == FREE:
        stmt = stmt.where(open_.id.is_(None))
    elif state == RESERVED:
        stmt = stmt.where(open_.status == RESERVED)
    elif state == OUT:
        stmt = stmt.where(open_.status == LENT, open_.due_on >= today)
    elif state == OVERDUE:
        stmt = stmt.where(open_.status == LENT, open_.due_on < today)
    return [StockLine(item, loan) for item, loan in db.session.execute(stmt).unique()]


def free_items(village_id: int, kind: str | None = None) -> list[AidItem]:
    """Items nobody has or has reserved, in a state to lend."""
    stmt = (select(AidItem).where(AidItem.village_id == village_id, AidItem.condition != "repair",
                                  ~select(AidLoan.id).where(AidLoan.open_item_id == AidItem.id).exists())
            .order_by(AidItem.kind, AidItem.label, AidItem.id))
    if kind:
        stmt = stmt.where(AidItem.kind == kind)
    return list(db.session.scalars(stmt))


def _open_loans(village_id: int):
    return (select(AidLoan).where(AidLoan.village_id == village_id, AidLoan.status.in_(OPEN_LOANS))
            .options(joinedload(AidLoan.item), joinedload(AidLoan.resident).lazyload(User.role_rows)))


def who_has_what(village_id: int) -> list[AidLoan]:
    """Open loans and reservations, the overdue first, then by due date."""
    today = local_now().date()
    late = (AidLoan.status == LENT) & (AidLoan.due_on < today)
    return list(db.session.scalars(_open_loans(village_id).order_by(
        late.desc(), (AidLoan.status == RESERVED).asc(), AidLoan.due_on, AidLoan.id)))


def overdue(village_id: int, today: date | None = None) -> list[AidLoan]:
    today = today or local_now().date()
    return list(db.session.scalars(_open_loans(village_id).where(AidLoan.status == LENT, AidLoan.due_on < today)
                                   .order_by(AidLoan.due_on, AidLoan.id)))


def history(item: AidItem) -> list[AidLoan]:
    return list(db.session.scalars(
        select(AidLoan).where(AidLoan.item_id == item.id)
        .options(joinedload(AidLoan.resident).lazyload(User.role_rows))
        .order_by(AidLoan.created_at.desc(), AidLoan.id.desc())))


def of_resident(user_id: int) -> list[AidLoan]:
    """What a resident has on loan or reserved now, soonest due first."""
    return list(db.session.scalars(
        select(AidLoan).where(AidLoan.resident_id == user_id, AidLoan.status.in_(OPEN_LOANS))
        .options(joinedload(AidLoan.item)).order_by(AidLoan.due_on, AidLoan.id)))


def open_of_user():
    """of_resident's count as a subquery correlated to users.id: read with the login, so a
    resident's home page asks for loans only when there are some (most residents have none)."""
    return (select(func.count(AidLoan.id))
            .where(AidLoan.resident_id == User.id, one_of(AidLoan.status, OPEN_LOANS)).scalar_subquery())


# Read on every view of a request's page: built once, at import.
_FOR_REQUEST = (select(AidLoan).where(AidLoan.help_request_id == bindparam("request_id"))
                .options(joinedload(AidLoan.item)).order_by(AidLoan.id))


def for_request(request_id: int) -> list[AidLoan]:
    """Reservations and loans made from a hulpvraag's Schijf van Vijf."""
    return list(db.session.scalars(_FOR_REQUEST, {"request_id": request_id}))


def residents(village_id: int) -> list[User]:
    from coop.core import roles as R
    from coop.core.models import UserRole
    return list(db.session.scalars(
        select(User).where(User.village_id == village_id, User.erased_at.is_(None),
                           User.id.in_(select(UserRole.user_id).where(UserRole.role == R.RESIDENT)))
        .options(selectinload(User.role_rows)).order_by(User.last_name, User.first_name, User.id)))


def loans_per_month(village_id: int, year: int) -> dict[int, int]:
    """Items that went out, per local month of the year (1..12): counts only, no one named."""
    rows = db.session.execute(
        select(AidLoan.lent_month, func.count()).where(
            AidLoan.village_id == village_id, AidLoan.lent_month >= year * 100 + 1,
            AidLoan.lent_month <= year * 100 + 12).group_by(AidLoan.lent_month))
    return {int(month or 0) % 100: int(n) for month, n in rows}
