"""Members and their contribution: joining, the settings, the yearly run, payments, returned
debits and reminders. Every check runs before anything is added, so a refusal writes nothing;
the caller commits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import selectinload

from coop.core import audit, dutch
from coop.core import outbox as O
from coop.core import roles as R
from coop.core.clock import local_now, now
from coop.core.errors import DomainError, DomainErrors, collect
from coop.core.models import TaskCategory, User, UserRole, Village
from coop.extensions import db
from coop.members import sepa
from coop.members.models import (
    COLLECTING,
    DEFAULT_FEE,
    DIRECT_DEBIT,
    FIRST,
    METHODS,
    OPEN,
    PAID,
    RECURRING,
    RETURN_REASONS,
    RETURNED,
    TRANSFER,
    UNPAID,
    Contribution,
    ContributionRun,
    Household,
    Mandate,
    Member,
    MemberSettings,
)

PRENOTICE, INVOICE, REMINDER = "members.prenotice", "members.invoice", "members.reminder"
BROADCAST = "members.broadcast"
PRENOTICE_DAYS = 14  # tell members the amount and date at least this long before the debit
MAX_FEE = Decimal("1000")
FUTURE_MANDATE = ("De machtiging kan niet in de toekomst getekend zijn. Vul de dag in waarop het lid "
                  "de machtiging tekende (vandaag of eerder).")


def today() -> date:
    return local_now().date()


# --- settings ------------------------------------------------------------------------------

def settings_for(village_id: int) -> MemberSettings:
    """The village's settings, or the defaults (not added to the session)."""
    return db.session.get(MemberSettings, village_id) or MemberSettings(village_id=village_id, yearly_fee=DEFAULT_FEE)


def save_settings(village: Village, *, yearly_fee: Decimal | None, creditor_id: str, account_name: str,
                  iban: str, bic: str, by: User) -> MemberSettings:
    """The contribution and the cooperative's account. The bank details may stay empty until
    the first direct debit; once any is filled in, all are checked."""
    fee = yearly_fee if yearly_fee is not None else DEFAULT_FEE
    bank: dict[str, str | None] = {"creditor_id": None, "account_name": None, "iban": None, "bic": None}

    def check_fee() -> None:
        if not Decimal("0") <= fee <= MAX_FEE:
            raise DomainError(f"Vul een bedrag in tussen {dutch.money(0)} en {dutch.money(MAX_FEE)}.", "yearly_fee")

    def check_creditor() -> None:
        bank["creditor_id"] = sepa.clean_creditor_id(creditor_id)

    def check_name() -> None:
        bank["account_name"] = _account_name(account_name)

    def check_account() -> None:
        number = sepa.clean_iban(iban)
        bank["iban"] = str(number)
        bank["bic"] = sepa.clean_bic(bic, number)
        if not bank["bic"]:
            raise DomainError("Vul de BIC van de bank van de coöperatie in.", "bic")

    typed = any((v or "").strip() for v in (creditor_id, account_name, iban, bic))
    problems = collect(check_fee, *((check_creditor, check_name, check_account) if typed else ()))
    if problems:
        raise DomainErrors(problems)
    row = db.session.get(MemberSettings, village.id)
    if row is None:
        row = MemberSettings(village_id=village.id)
        db.session.add(row)
    row.yearly_fee = fee
    row.creditor_id, row.account_name, row.iban, row.bic = (bank["creditor_id"], bank["account_name"],
                                                            bank["iban"], bank["bic"])
    audit.record("members.settings_saved", actor=by, village_id=village.id)
    return row


def _account_name(name: str) -> str:
    text = " ".join((name or "").split())
    if not text:
        raise DomainError("Vul de naam van de rekening van de coöperatie in.", "account_name")
    if len(text) > 70:
        raise DomainError("Gebruik hier hoogstens 70 tekens.", "account_name")
    return text


# --- who is a member -----------------------------------------------------------------------

def _current(day: date) -> ColumnElement[bool]:
    return and_(Household.starts_on <= day, or_(Household.ends_on.is_(None), Household.ends_on >= day))


def household_of(user: User, day: date | None = None) -> Household | None:
    """The household `user` is a member of on `day` (today), or None."""
    return db.session.scalar(select(Household).join(Member, Member.household_id == Household.id)
                             .where(Member.user_id == user.id, _current(day or today())))


def is_member(user: User, day: date | None = None) -> bool:
    return household_of(user, day) is not None


def category_needs_membership(category_id: object, resident: User) -> bool:
    """True when the category is for members only and `resident` is not one (yet)."""
    try:
        category = db.session.get(TaskCategory, int(str(category_id)))
    except (TypeError, ValueError):
        return False
    if category is None or category.village_id != resident.village_id or not category.members_only:
        return False
    return not is_member(resident)


def not_a_member_message(village: Village) -> str:
    fee = dutch.money(settings_for(village.id).yearly_fee)
    return (f"Deze hulp is er alleen voor leden van {village.cooperative_name}. U bent nog geen lid. "
            f"Lid worden kost {fee} per jaar per huishouden. Bel de dorpsondersteuner: die maakt u meteen "
            "lid en zet uw hulpvraag door.")


def next_number(village_id: int) -> int:
    return (db.session.scalar(select(func.max(Household.number)).where(Household.village_id == village_id)) or 0) + 1


def mandate_reference_for(village: Village, number: int) -> str:
    """A reference that stays the same for as long as the mandate runs: the village and the number."""
    return f"{village.slug.upper()[:20]}-LID-{number:05d}"


# --- joining -------------------------------------------------------------------------------

@dataclass
class JoinInput:
    """What the form for a new member household collected, already typed."""
    people: list[User]
    method: str
    number: int | None = None
    starts_on: date | None = None
    reduction: Decimal | None = None
    reduction_reason: str = ""
    iban: str = ""
    account_holder: str = ""
    mandate_reference: str = ""
    signed_on: date | None = None


def join_problems(village: Village, data: JoinInput) -> list[DomainError]:
    """Everything wrong with joining, each on its field."""
    fee = settings_for(village.id).yearly_fee
    found: list[DomainError] = []
    number = data.number
    if number is not None:
        if number < 1:
            found.append(DomainError("Een lidnummer is 1 of hoger.", "number"))
        elif db.session.scalar(select(Household.id).where(Household.village_id == village.id,
                                                          Household.number == number)) is not None:
            found.append(DomainError(f"Lidnummer {number} is al in gebruik. Het eerste vrije nummer is "
                                     f"{next_number(village.id)}.", "number"))
    if not data.people:
        found.append(DomainError("Kies wie lid wordt.", "people"))
    for person in data.people:
        if person.village_id != village.id or not person.has_role(R.RESIDENT):
            found.append(DomainError("Kies alleen inwoners van dit dorp.", "people"))
            break
        other = household_of(person, data.starts_on or today())
        if other is not None:
            found.append(DomainError(f"{person.full_name} is al lid (lidnummer {other.number}).", "people"))
    if data.starts_on is None:
        found.append(DomainError("Vul in vanaf wanneer het huishouden lid is.", "starts_on"))
    if data.reduction is not None and not Decimal("0") <= data.reduction <= fee:
        found.append(DomainError(f"Een korting ligt tussen {dutch.money(0)} en de contributie, {dutch.money(fee)}.",
                                 "reduction"))
    if data.reduction and not data.reduction_reason.strip():
        found.append(DomainError("Schrijf kort op waarom dit huishouden korting krijgt.", "reduction_reason"))
    if data.method not in METHODS:
        found.append(DomainError("Kies hoe het huishouden betaalt.", "method"))
    if data.method == DIRECT_DEBIT:
        found.extend(collect(lambda: sepa.clean_iban(data.iban), lambda: _holder(data.account_holder),
                             lambda: _signed_on(data.signed_on),
                             lambda: _reference_free(village, data.mandate_reference)))
    return found


def _holder(name: str) -> str:
    text = " ".join((name or "").split())
    if not text:
        raise DomainError("Vul de naam in die bij de rekening hoort.", "account_holder")
    if len(text) > 70:
        raise DomainError("Gebruik hier hoogstens 70 tekens.", "account_holder")
    return text


def _signed_on(day: date | None) -> date:
    if day is None:
        raise DomainError("Vul de datum in waarop de machtiging getekend is.", "signed_on")
    if day > today():
        raise DomainError(FUTURE_MANDATE, "signed_on")
    return day


def _reference_free(village: Village, reference: str) -> None:
    if not (reference or "").strip():
        return  # made from the number
    text = sepa.clean_reference(reference, "mandate_reference")
    if db.session.scalar(select(Mandate.id).where(Mandate.village_id == village.id,
                                                  Mandate.reference == text)) is not None:
        raise DomainError("Dit machtigingskenmerk is al gebruikt. Elke machtiging heeft een eigen kenmerk; "
                          "laat het leeg, dan maken wij er een.", "mandate_reference")


def join(village: Village, data: JoinInput, *, by: User) -> Household:
    """A new member household, with its mandate when it pays by direct debit."""
    found = join_problems(village, data)
    if found:
        raise DomainErrors(found)
    assert data.starts_on is not None
    number = data.number or next_number(village.id)
    household = Household(village_id=village.id, number=number, contact_id=data.people[0].id,
                          starts_on=data.starts_on, method=data.method, payment_reference=f"Lid {number}",
                          reduction=data.reduction or Decimal("0"),
                          reduction_reason=" ".join(data.reduction_reason.split())[:200], created_by_id=by.id)
    household.members = [Member(user_id=p.id) for p in data.people]
    if data.method == DIRECT_DEBIT:
        iban = sepa.clean_iban(data.iban)
        reference = (sepa.clean_reference(data.mandate_reference, "mandate_reference")
                     if data.mandate_reference.strip() else mandate_reference_for(village, number))
        household.mandate = Mandate(village_id=village.id, reference=reference, signed_on=_signed_on(data.signed_on),
                                    iban=str(iban), bic=sepa.clean_bic("", iban),
                                    account_holder=_holder(data.account_holder))
    db.session.add(household)
    db.session.flush()
    for person in data.people:
        audit.record("member.joined", actor=by, subject=person, village_id=village.id,
                     detail=f"lidnummer {number}, {household.method_label}")
    return household


def end_membership(household: Household, ends_on: date | None, *, by: User) -> None:
    if ends_on is None:
        raise DomainError("Vul de laatste dag van het lidmaatschap in.", "ends_on")
    if ends_on < household.starts_on:
        raise DomainError("Het lidmaatschap kan niet eindigen voor het begon "
                          f"({dutch.date(household.starts_on)}).", "ends_on")
    household.ends_on = ends_on
    for m in household.members:
        audit.record("member.ended", actor=by, subject=m.user, village_id=household.village_id,
                     detail=f"lidnummer {household.number}, tot en met {ends_on.isoformat()}")


def households(village_id: int) -> list[Household]:
    return list(db.session.scalars(
        select(Household).where(Household.village_id == village_id).order_by(Household.number)
        .options(selectinload(Household.members).joinedload(Member.user).lazyload(User.role_rows),
                 selectinload(Household.contributions))))


def residents_to_join(village_id: int, text: str) -> list[User]:
    """Residents whose name or street matches `text` and who are not a member now."""
    like = f"%{text.strip().lower()}%"
    members = select(Member.user_id).join(Household).where(Household.village_id == village_id,
                                                           _current(today()))
    return list(db.session.scalars(
        select(User).where(User.village_id == village_id, User.erased_at.is_(None), User.id.not_in(members),
                           User.id.in_(select(UserRole.user_id).where(UserRole.role == R.RESIDENT)),
                           or_(func.lower(User.first_name).like(like), func.lower(User.last_name).like(like),
                               func.lower(User.street).like(like), func.lower(User.postcode).like(like)))
        .order_by(User.last_name, User.first_name).limit(50)))


def housemates(person: User) -> list[User]:
    """Other residents at the same address who are not a member: they may join the same household."""
    if not person.street or not person.house_number:
        return []
    members = select(Member.user_id).join(Household).where(Household.village_id == person.village_id,
                                                           _current(today()))
    return list(db.session.scalars(select(User).where(
        User.village_id == person.village_id, User.id != person.id, User.street == person.street,
        User.house_number == person.house_number, User.erased_at.is_(None), User.id.not_in(members))
        .order_by(User.first_name)))


# --- the yearly run ------------------------------------------------------------------------

@dataclass
class RunPlan:
    year: int
    debits: list[Household]
    transfers: list[Household]
    free: list[Household]  # a reduction of the whole contribution: nothing to pay
    fee: Decimal

    @property
    def total(self) -> int:
        return len(self.debits) + len(self.transfers) + len(self.free)


def _amount(household: Household, fee: Decimal) -> Decimal:
    return max(fee - (household.reduction or Decimal("0")), Decimal("0"))


def plan(village: Village, year: int) -> RunPlan:
    """The households the run for `year` would charge: members in that year without a
    contribution for it yet (so a second run charges nobody twice)."""
    fee = settings_for(village.id).yearly_fee
    first, last = date(year, 1, 1), date(year, 12, 31)
    charged = select(Contribution.household_id).where(Contribution.village_id == village.id,
                                                      Contribution.year == year)
    found = list(db.session.scalars(
        select(Household).where(Household.village_id == village.id, Household.starts_on <= last,
                                or_(Household.ends_on.is_(None), Household.ends_on >= max(first, today())),
                                Household.id.not_in(charged))
        .order_by(Household.number).options(selectinload(Household.mandate))))
    free = [h for h in found if _amount(h, fee) == 0]
    debits = [h for h in found if h not in free and h.method == DIRECT_DEBIT and h.mandate and h.mandate.iban]
    transfers = [h for h in found if h not in free and h not in debits]
    return RunPlan(year=year, debits=debits, transfers=transfers, free=free, fee=fee)


def _creditor(village: Village) -> sepa.Creditor:
    s = settings_for(village.id)
    if not (s.creditor_id and s.iban and s.bic and s.account_name):
        raise DomainError("Vul eerst bij 'Instellingen' het incassant-ID en de rekening van de coöperatie in; "
                          "zonder die gegevens kan de bank niet incasseren.")
    return sepa.Creditor(name=s.account_name, iban=s.iban, bic=s.bic, creditor_id=s.creditor_id)


def sequence_for(mandate: Mandate) -> str:
    """FRST for a mandate's first debit, RCUR for every one after it."""
    used = db.session.scalar(select(Contribution.id).where(
        Contribution.village_id == mandate.village_id, Contribution.mandate_reference == mandate.reference,
        Contribution.sequence.is_not(None)).limit(1))
    return RECURRING if used is not None else FIRST


def _end_to_end(village: Village, year: int, number: int) -> str:
    return f"{village.slug.upper()[:18]}-{year}-{number:05d}"


def run_year(village: Village, year: int, collection_date: date | None, *, by: User) -> ContributionRun | None:
    """Charge each member household its contribution for `year`, once: a direct-debit file for
    those with a mandate, a payment request for the others, and a notice to every household.
    None when every household has its contribution for the year already (nothing changes)."""
    if collection_date is None:
        raise DomainError("Vul de incassodatum in.", "collection_date")
    earliest = today() + timedelta(days=PRENOTICE_DAYS)
    if collection_date < earliest:
        raise DomainError(f"De incassodatum moet minstens {PRENOTICE_DAYS} dagen na vandaag liggen, op "
                          f"{dutch.date(earliest)} of later: de leden horen het bedrag en de datum vooraf.",
                          "collection_date")
    if collection_date.year > year + 1 or year < 2000:
        raise DomainError("Kies een incassodatum in het jaar van de contributie.", "collection_date")
    chosen = plan(village, year)
    if not chosen.total:
        return None
    creditor = _creditor(village) if chosen.debits else None
    run = ContributionRun(village_id=village.id, year=year, collection_date=collection_date, created_by_id=by.id,
                          debit_count=len(chosen.debits), transfer_count=len(chosen.transfers))
    db.session.add(run)
    rows: list[tuple[Household, Contribution]] = []
    debits: list[sepa.Debit] = []
    for h in chosen.debits:
        mandate = h.mandate
        assert mandate is not None and mandate.iban
        c = Contribution(village_id=village.id, household_id=h.id, run=run, year=year, amount=_amount(h, chosen.fee),
                         method=DIRECT_DEBIT, status=COLLECTING, due_on=collection_date,
                         sequence=sequence_for(mandate), mandate_reference=mandate.reference,
                         end_to_end_id=_end_to_end(village, year, h.number),
                         payment_reference=f"Contributie {year} lid {h.number}")
        debits.append(sepa.Debit(name=mandate.account_holder, iban=mandate.iban, bic=mandate.bic, amount=c.amount,
                                 sequence=c.sequence or FIRST, collection_date=collection_date,
                                 mandate_reference=mandate.reference, mandate_signed_on=mandate.signed_on,
                                 description=f"Contributie {year} {village.cooperative_name} lid {h.number}",
                                 end_to_end_id=c.end_to_end_id or ""))
        rows.append((h, c))
    for h in chosen.transfers:
        rows.append((h, Contribution(village_id=village.id, household_id=h.id, run=run, year=year,
                                     amount=_amount(h, chosen.fee), method=TRANSFER, status=OPEN,
                                     due_on=collection_date, payment_reference=f"Contributie {year} lid {h.number}")))
    for h in chosen.free:
        rows.append((h, Contribution(village_id=village.id, household_id=h.id, run=run, year=year,
                                     amount=Decimal("0"), method=h.method, status=PAID, due_on=collection_date,
                                     paid_on=today(), payment_reference=f"Contributie {year} lid {h.number}")))
    if creditor is not None:
        run.debit_file, run.message_id = sepa.debit_file(creditor, debits)
    db.session.add_all(c for _, c in rows)
    db.session.flush()
    for h, c in rows:
        if c.status == COLLECTING:
            _tell(PRENOTICE, h, c)
        elif c.status == OPEN:
            _tell(INVOICE, h, c)
    audit.record("contributions.run", actor=by, village_id=village.id,
                 detail=f"{year}: {len(chosen.debits)} incasso, {len(chosen.transfers)} overmaken")
    return run


def _tell(kind: str, household: Household, contribution: Contribution, dedupe: str | None = None) -> None:
    """A letter to the household's contact: a mail, or a call on the bellijst without e-mail."""
    O.queue(kind, household.contact, payload={"contribution_id": contribution.id}, subject=contribution,
            village_id=household.village_id, dedupe_key=dedupe or f"{kind}:{contribution.id}")


def runs(village_id: int) -> list[ContributionRun]:
    return list(db.session.scalars(select(ContributionRun).where(ContributionRun.village_id == village_id)
                                   .order_by(ContributionRun.id.desc())))


def debited_people(run: ContributionRun) -> list[int]:
    """The people of the households in a run's debit file."""
    return list(db.session.scalars(select(Member.user_id).join(
        Contribution, Contribution.household_id == Member.household_id).where(
        Contribution.run_id == run.id, Contribution.method == DIRECT_DEBIT)))


def transfer_list(village_id: int, year: int) -> list[Contribution]:
    """Who pays `year` by transfer (and whose debit came back), with reference and amount."""
    return list(db.session.scalars(
        select(Contribution).where(Contribution.village_id == village_id, Contribution.year == year,
                                   or_(Contribution.method == TRANSFER, Contribution.status == RETURNED),
                                   Contribution.amount > 0)
        .join(Household, Household.id == Contribution.household_id).order_by(Household.number)
        .options(selectinload(Contribution.household).selectinload(Household.members)
                 .joinedload(Member.user).lazyload(User.role_rows))))


# --- payments, returns, reminders -----------------------------------------------------------

def _not_future(day: date | None, what: str, field_name: str) -> date:
    if day is None:
        raise DomainError(f"Vul de datum in waarop {what}.", field_name)
    if day > today():
        raise DomainError(f"Deze datum ligt in de toekomst. Vul de dag in waarop {what}.", field_name)
    return day


def record_payment(contribution: Contribution, paid_on: date | None, *, by: User) -> None:
    if contribution.status == PAID:
        raise DomainError("Deze contributie staat al als betaald.")
    contribution.paid_on = _not_future(paid_on, "het geld binnenkwam", "paid_on")
    contribution.status = PAID
    O.cancel_for(contribution, kinds=(REMINDER, INVOICE))
    audit.record("contribution.paid", actor=by, subject=contribution.household.contact,
                 village_id=contribution.village_id, detail=f"{contribution.year}, lid {contribution.household.number}")


def record_return(contribution: Contribution, returned_on: date | None, reason: str | None, *, by: User) -> None:
    """A debit the bank returned (storno): the household has not paid, and hears how to pay."""
    if contribution.method != DIRECT_DEBIT or contribution.status not in (COLLECTING, PAID):
        raise DomainError("Alleen een geïncasseerde contributie kan worden teruggeboekt.")
    found = collect(lambda: _not_future(returned_on, "de bank het bedrag terugboekte", "returned_on"),
                    lambda: _reason(reason))
    if found:
        raise DomainErrors(found)
    contribution.status, contribution.returned_on, contribution.return_reason = RETURNED, returned_on, reason
    contribution.paid_on = None
    remind(contribution, by=by, audit_it=False)
    audit.record("contribution.returned", actor=by, subject=contribution.household.contact,
                 village_id=contribution.village_id,
                 detail=f"{contribution.year}, lid {contribution.household.number}, {reason}")


def _reason(reason: str | None) -> None:
    if reason not in RETURN_REASONS:
        raise DomainError("Kies de reden die de bank opgaf.", "reason")


def remind(contribution: Contribution, *, by: User | None, audit_it: bool = True) -> bool:
    """A reminder to pay, at most one a day per contribution. False when it had one today."""
    if not contribution.unpaid:
        raise DomainError("Deze contributie is betaald of wordt nog geïncasseerd; een herinnering is niet nodig.")
    row = O.queue(REMINDER, contribution.household.contact, payload={"contribution_id": contribution.id},
                  subject=contribution, village_id=contribution.village_id,
                  dedupe_key=f"{REMINDER}:{contribution.id}:{today().isoformat()}")
    if row is None:
        return False
    contribution.reminded_at = now()
    if audit_it:
        audit.record("contribution.reminded", actor=by, subject=contribution.household.contact,
                     village_id=contribution.village_id,
                     detail=f"{contribution.year}, lid {contribution.household.number}")
    return True


def remind_all(village_id: int, year: int, *, by: User) -> int:
    """A reminder to every household that has not paid `year` (past its date), once a day."""
    due = list(db.session.scalars(select(Contribution).where(
        Contribution.village_id == village_id, Contribution.year == year, Contribution.status.in_(UNPAID),
        Contribution.due_on <= today(), Contribution.amount > 0)
        .options(selectinload(Contribution.household).joinedload(Household.contact))))
    sent = sum(1 for c in due if remind(c, by=by, audit_it=False))
    if sent:
        audit.record("contributions.reminded", actor=by, village_id=village_id, detail=f"{year}: {sent}")
    return sent


# --- figures -------------------------------------------------------------------------------

def member_counts(village_id: int, year: int) -> tuple[int, int]:
    """(households that were members on some day of `year`, households that joined in it), in one query."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    joined = and_(Household.starts_on >= first, Household.starts_on <= last)
    every, new = db.session.execute(select(func.count(Household.id), func.count(case((joined, 1))))
                                    .where(Household.village_id == village_id, Household.starts_on <= last,
                                           or_(Household.ends_on.is_(None), Household.ends_on >= first))).one()
    return int(every or 0), int(new or 0)


@dataclass
class Income:
    charged: Decimal
    paid: Decimal
    unpaid: Decimal
    returned: int


def income(village_id: int, year: int) -> Income:
    """The contribution of `year`: what was asked, what came in, what is still open."""
    rows = db.session.execute(select(Contribution.status, func.count(Contribution.id),
                                     func.coalesce(func.sum(Contribution.amount), 0))
                              .where(Contribution.village_id == village_id, Contribution.year == year)
                              .group_by(Contribution.status)).all()
    by_status = {status: (n, Decimal(str(total))) for status, n, total in rows}
    charged = sum((t for _, t in by_status.values()), Decimal("0"))
    paid = by_status.get(PAID, (0, Decimal("0")))[1]
    return Income(charged=charged, paid=paid, unpaid=charged - paid, returned=by_status.get(RETURNED, (0, 0))[0])
