"""Demo members: most residents' households are members, half by direct debit and half by
transfer (one couple shares a household). Last year's contribution is paid; this year's was
collected in January, one debit came back (storno, a reminder went out), some transfers are
still open. "Kleine klussen" is only for members, and inwoner4 is not one: logging in as that
resident shows what a non-member sees."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from coop.core.clock import local_now
from coop.extensions import db
from coop.members import sepa, service
from coop.members.models import (
    DIRECT_DEBIT,
    FIRST,
    OPEN,
    PAID,
    RECURRING,
    RETURNED,
    TRANSFER,
    Contribution,
    ContributionRun,
    Household,
    Mandate,
    Member,
    MemberSettings,
)

# The check digits are worked out, so the demo's creditor id passes the bank's check.
CREDITOR_NUMBER = "401234560000"
STORNO = 6  # the resident whose debit came back this year


def seed(ctx) -> None:
    village, today = ctx.village, local_now().date()
    settings = MemberSettings(village_id=village.id, yearly_fee=service.DEFAULT_FEE,
                              account_name=village.cooperative_name,
                              creditor_id=f"NL{sepa.creditor_check_digits('NL', CREDITOR_NUMBER)}ZZZ{CREDITOR_NUMBER}",
                              iban="NL91ABNA0417164300", bic="ABNANL2A")
    db.session.add(settings)
    ctx.categories["klussen"].members_only = True
    residents = ctx.residents
    # A couple: the sixth resident moves in with the fifth, and they are one household.
    for name in ("street", "house_number", "postcode", "lat", "lon"):
        setattr(residents[5], name, getattr(residents[4], name))
    households: list[Household] = []
    for i, person in enumerate(residents):
        if i % 4 == 3 or i == 5:
            continue
        number = len(households) + 1
        starts = date(today.year - 1 - i % 4, 1 + i % 12, 1)
        method = DIRECT_DEBIT if i % 2 == 0 else TRANSFER
        household = Household(village_id=village.id, number=number, contact_id=person.id, starts_on=starts,
                              method=method, payment_reference=f"Lid {number}", created_by_id=ctx.coordinator.id,
                              reduction=Decimal("12.50") if i == 10 else Decimal("0"),
                              reduction_reason="minimainkomen" if i == 10 else "")
        household.members = [Member(user_id=person.id)] + ([Member(user_id=residents[5].id)] if i == 4 else [])
        if method == DIRECT_DEBIT:
            household.mandate = Mandate(village_id=village.id, reference=service.mandate_reference_for(village, number),
                                        signed_on=starts, iban=_iban(i), bic=None, account_holder=person.full_name)
        households.append(household)
    db.session.add_all(households)
    db.session.flush()
    used: set[str] = set()  # mandates debited before: RCUR from then on
    for year, collected in ((today.year - 1, date(today.year - 1, 1, 15)), (today.year, date(today.year, 1, 15))):
        if collected < today - timedelta(days=7):
            _year(ctx, settings, [h for h in households if h.starts_on.year <= year], year, collected, used)


def _iban(i: int) -> str:
    """A real-looking Dutch IBAN with correct check digits (ING, a made-up account number)."""
    bban = f"INGB{1000000 + i * 7919:010d}"
    digits = "".join(str(int(ch, 36)) for ch in bban + "NL00")
    return f"NL{98 - int(digits) % 97:02d}{bban}"


def _year(ctx, settings: MemberSettings, households: list[Household], year: int, collected: date,
          used: set[str]) -> None:
    village, fee = ctx.village, settings.yearly_fee
    run = ContributionRun(village_id=village.id, year=year, collection_date=collected, created_by_id=ctx.coordinator.id)
    db.session.add(run)
    debits: list[sepa.Debit] = []
    returned: Contribution | None = None
    for n, h in enumerate(households):
        amount = max(fee - h.reduction, Decimal("0"))
        c = Contribution(village_id=village.id, household_id=h.id, run=run, year=year, amount=amount, method=h.method,
                         due_on=collected, payment_reference=f"Contributie {year} lid {h.number}")
        if h.mandate is not None:
            c.sequence = RECURRING if h.mandate.reference in used else FIRST
            used.add(h.mandate.reference)
            c.mandate_reference = h.mandate.reference
            c.end_to_end_id = f"{village.slug.upper()[:18]}-{year}-{h.number:05d}"
            debits.append(sepa.Debit(name=h.mandate.account_holder, iban=h.mandate.iban or "", bic=None, amount=amount,
                                     sequence=c.sequence, collection_date=collected,
                                     mandate_reference=h.mandate.reference, mandate_signed_on=h.mandate.signed_on,
                                     description=f"Contributie {year} {village.cooperative_name} lid {h.number}",
                                     end_to_end_id=c.end_to_end_id))
            c.status, c.paid_on = PAID, collected
        elif year < collected.year or n % 3:
            c.status, c.paid_on = PAID, collected + timedelta(days=3 + n % 20)
        else:
            c.status = OPEN
        if year == local_now().year and h.contact_id == ctx.residents[STORNO].id:
            c.status, c.paid_on, c.returned_on, c.return_reason = RETURNED, None, collected + timedelta(days=6), "MD06"
            returned = c
        db.session.add(c)
    run.debit_count = len(debits)
    run.transfer_count = len(households) - len(debits)
    run.debit_file, run.message_id = sepa.debit_file(sepa.Creditor(
        name=settings.account_name or village.cooperative_name, iban=settings.iban or "", bic=settings.bic or "",
        creditor_id=settings.creditor_id or ""), debits)
    db.session.flush()
    if returned is not None:
        service.remind(returned, by=ctx.coordinator)

