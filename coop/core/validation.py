"""Normalising and checking what people type: e-mail, phone, postcode, passwords."""
from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from coop.core import strength
from coop.core.errors import DomainError

POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*$")
MIN_PASSWORD, SUGGESTED_PASSWORD, MAX_PASSWORD = 8, 15, 128


def normalise_email(value: str) -> str:
    """The canonical form of an address, or DomainError with a Dutch message."""
    try:
        result = validate_email((value or "").strip(), check_deliverability=False)
    except EmailNotValidError:
        raise DomainError("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.", "email") from None
    return result.normalized.lower()


def normalise_phone(value: str) -> str:
    """E.164 (+31612345678), or DomainError."""
    try:
        number = phonenumbers.parse((value or "").strip(), "NL")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise DomainError("Vul een geldig telefoonnummer in, zoals 06 12345678 of 0343 123456.", "phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=1024)  # every mail's footer shows the coordinator's number
def display_phone(e164: str | None) -> str:
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "NL")
    except phonenumbers.NumberParseException:
        return e164
    fmt = (phonenumbers.PhoneNumberFormat.NATIONAL if number.country_code == 31
           else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, fmt)


def normalise_postcode(value: str) -> str:
    match = POSTCODE.match(value or "")
    if not match:
        raise DomainError("Vul een postcode in zoals 3712 AB.", "postcode")
    return f"{match.group(1)} {match.group(2).upper()}"


def check_password(password: str, *, email: str | None = None, name: str | None = None,
                   village: str | None = None) -> None:
    """Refuse a password that is too short, too long or too easy to guess, saying why in Dutch.

    Strength is zxcvbn's estimate (coop/core/strength.py), told the person's name, e-mail and
    village, and the Dutch words people pick."""
    password = password or ""
    if len(password) < MIN_PASSWORD:
        raise DomainError(f"Kies een wachtwoord van minstens {MIN_PASSWORD} tekens "
                          f"({SUGGESTED_PASSWORD} of meer is beter).", "password")
    if len(password) > MAX_PASSWORD:
        raise DomainError(f"Een wachtwoord mag hoogstens {MAX_PASSWORD} tekens hebben.", "password")
    why = strength.weakness(password, strength.Context(
        names=tuple(n for n in (name,) if n), email=email, village=village))
    if why:
        raise DomainError(f"Dit wachtwoord is te makkelijk te raden: {why}. Kies een langer "
                          "wachtwoord, bijvoorbeeld een zin van een paar gewone woorden.", "password")
