"""SEPA for the contribution: checking an IBAN, a BIC and the creditor id, and writing the
direct-debit file (pain.008.001.02, the version Dutch banks accept widely) with sepaxml.

IBAN and BIC are checked by schwifty (the IBAN's own check digits, its country's length and
its bank). No library we use checks the creditor id (incassant-ID), so that check is here; it
follows the EPC's "Creditor Identifier" rule (EPC262-08): the check digits are ISO 7064
MOD 97-10 over the national identifier followed by the country code and "00", with the
three-character creditor business code left out. In the Netherlands the id is `NL`, two check
digits, `ZZZ` and twelve digits (the KvK number and a four-digit branch number).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from coop.core.errors import DomainError

NL_CREDITOR_ID = re.compile(r"^NL\d{2}ZZZ\d{12}$")
# What EPC allows in a mandate reference and an end-to-end id (the "Latin character set").
SEPA_TEXT = re.compile(r"^[A-Za-z0-9/?:().,'+ -]{1,35}$")
SCHEMA = "pain.008.001.02"


def _compact(value: str | None) -> str:
    return "".join((value or "").split()).upper()


def clean_iban(value: str | None, field: str = "iban") -> IBAN:
    """The IBAN, checked; DomainError with a Dutch message when it is not one."""
    text = _compact(value)
    if not text:
        raise DomainError("Vul het IBAN in, bijvoorbeeld NL91 ABNA 0417 1643 00.", field)
    try:
        return IBAN(text)
    except SchwiftyException:
        raise DomainError("Dit IBAN klopt niet: de controlecijfers of de lengte passen niet. "
                          "Kijk het nummer nog eens na op de bankpas of een afschrift.", field) from None


def clean_bic(value: str | None, iban: IBAN | None = None, field: str = "bic") -> str | None:
    """A typed BIC, checked; empty: the BIC of the IBAN's bank when schwifty knows it."""
    text = _compact(value)
    if not text:
        found = iban.bic if iban is not None else None
        return str(found) if found is not None else None
    try:
        return str(BIC(text))
    except SchwiftyException:
        raise DomainError("Deze BIC klopt niet. Een BIC heeft 8 of 11 tekens, bijvoorbeeld ABNANL2A.", field) \
            from None


def _digits(text: str) -> int:
    """ISO 7064 letters as numbers: A = 10 … Z = 35."""
    return int("".join(str(int(ch, 36)) for ch in text))


def creditor_check_digits(country: str, national_id: str) -> str:
    """The two check digits of a creditor id for `country` and its national identifier."""
    return f"{98 - _digits(national_id + country + '00') % 97:02d}"


def creditor_id_valid(value: str) -> bool:
    """Any country's creditor id: its check digits (the business code at 5–7 is not counted)."""
    text = _compact(value)
    if len(text) < 8 or not text[:2].isalpha() or not text[2:4].isdigit() or not text[7:].isalnum():
        return False
    return creditor_check_digits(text[:2], text[7:]) == text[2:4]


def clean_creditor_id(value: str | None, field: str = "creditor_id") -> str:
    text = _compact(value)
    if not NL_CREDITOR_ID.match(text):
        raise DomainError("Een incassant-ID heeft 19 tekens: NL, twee cijfers, ZZZ en twaalf cijfers "
                          "(bijvoorbeeld NL69ZZZ123456780000). U vindt het in de brief van uw bank.", field)
    if not creditor_id_valid(text):
        raise DomainError("Dit incassant-ID klopt niet: de twee controlecijfers na NL passen niet bij het "
                          "nummer. Kijk het nog eens na in de brief van uw bank.", field)
    return text


def clean_reference(value: str, field: str) -> str:
    text = " ".join((value or "").split())
    if not SEPA_TEXT.match(text):
        raise DomainError("Gebruik voor het kenmerk hoogstens 35 letters, cijfers en de tekens / - ? : ( ) . , ' +.",
                          field)
    return text


@dataclass(frozen=True)
class Creditor:
    name: str
    iban: str
    bic: str
    creditor_id: str


@dataclass(frozen=True)
class Debit:
    name: str
    iban: str
    bic: str | None
    amount: Decimal
    sequence: str
    collection_date: date
    mandate_reference: str
    mandate_signed_on: date
    description: str
    end_to_end_id: str


def debit_file(creditor: Creditor, debits: list[Debit]) -> tuple[str, str]:
    """(the pain.008.001.02 XML, its message id). sepaxml checks it against the XSD it ships."""
    from sepaxml import SepaDD
    sepa = SepaDD({"name": creditor.name, "IBAN": creditor.iban, "BIC": creditor.bic, "batch": True,
                   "creditor_id": creditor.creditor_id, "currency": "EUR"}, schema=SCHEMA)
    for d in debits:
        payment = {"name": d.name, "IBAN": d.iban, "amount": int((d.amount * 100).to_integral_value()),
                   "type": d.sequence, "collection_date": d.collection_date, "mandate_id": d.mandate_reference,
                   "mandate_date": d.mandate_signed_on, "description": d.description,
                   "endtoend_id": d.end_to_end_id}
        if d.bic:
            payment["BIC"] = d.bic
        sepa.add_payment(payment)
    return sepa.export(validate=True).decode("utf-8"), sepa.msg_id
