"""Normalising and checking what people type: e-mail, phone, postcode, passwords."""
from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from coop.core.errors import DomainError

POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*$")
COMMON_PASSWORDS = {
    "wachtwoord", "wachtwoord1", "welkom01", "welkom123", "password", "password1",
    "qwertyuiop", "1234567890", "0123456789", "abcdefghij", "zorgcooperatie",
}
MIN_PASSWORD = 10
# The Netherlands, generously (Zuid-Limburg to Rottumeroog, Cadzand to Bad Nieuweschans): a
# village or a pin outside it is a typing or clicking error.
NL_LAT, NL_LON = (50.7, 53.6), (3.3, 7.3)


def in_netherlands(lat: float, lon: float) -> bool:
    return NL_LAT[0] <= lat <= NL_LAT[1] and NL_LON[0] <= lon <= NL_LON[1]


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


def check_password(password: str, *, email: str | None = None, name: str | None = None) -> None:
    """Refuse weak passwords with a Dutch explanation."""
    password = password or ""
    if len(password) < MIN_PASSWORD:
        raise DomainError(f"Kies een wachtwoord van minstens {MIN_PASSWORD} tekens.", "password")
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) < 4:
        raise DomainError("Dit wachtwoord is te makkelijk te raden. Kies een ander.", "password")
    for part in filter(None, [(email or "").split("@")[0].lower(), (name or "").lower()]):
        if len(part) >= 4 and part in lowered:
            raise DomainError("Gebruik uw naam of e-mailadres niet in uw wachtwoord.", "password")
