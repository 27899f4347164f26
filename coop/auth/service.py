"""Accounts: login with throttling, registration, password reset by signed link."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute

from coop.auth import passwords
from coop.auth.models import LoginAttempt
from coop.core import audit
from coop.core import roles as R
from coop.core.clock import now
from coop.core.errors import DomainError
from coop.core.models import User, Village
from coop.core.outbox import FollowUp, Message, message_builder, queue, recipient_of
from coop.core.validation import check_password, normalise_email
from coop.extensions import db
from coop.people import service as people
from coop.people.models import VolunteerProfile

THROTTLED = ("U heeft te vaak een verkeerd wachtwoord ingevuld. Wacht een kwartier en probeer "
             "het dan opnieuw, of bel de dorpsondersteuner.")
WRONG = "Het e-mailadres of het wachtwoord klopt niet."


def _recent_failures(column: InstrumentedAttribute[str], value: str) -> int:
    window = now() - timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    return db.session.scalar(select(func.count(LoginAttempt.id)).where(
        column == value, LoginAttempt.at >= window, LoginAttempt.success.is_(False))) or 0


def is_throttled(email: str, ip: str) -> bool:
    limit = current_app.config["LOGIN_MAX_FAILURES"]
    return _recent_failures(LoginAttempt.email, email) >= limit or _recent_failures(LoginAttempt.ip, ip) >= limit


@dataclass(frozen=True)
class Credentials:
    """What checking a login found out, without writing anything."""
    email: str
    ip: str
    user_id: int | None
    throttled: bool
    ok: bool
    new_hash: str | None = None  # the password hashed again when the cost settings changed


def check_credentials(email: str, password: str, ip: str) -> Credentials:
    """The slow half of logging in, read only: find the account and verify the password
    (argon2 takes its time on purpose). A web request does this before it takes SQLite's
    write lock, so a crowd logging in does not queue behind each other's hashing."""
    email = (email or "").strip().lower()
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if is_throttled(email, ip):
        return Credentials(email, ip, user.id if user else None, throttled=True, ok=False)
    ok = user is not None and user.active and passwords.verify(user.password_hash, password)
    if user is None:
        passwords.hash_password(password or "x")  # same work either way: no timing hint
    new_hash = (passwords.hash_password(password)
                if ok and user is not None and passwords.needs_rehash(user.password_hash) else None)
    return Credentials(email, ip, user.id if user else None, throttled=False, ok=ok, new_hash=new_hash)


def record_login(check: Credentials) -> User:
    """The writing half: the user for these credentials, or DomainError. Every try is recorded.

    After too many failures for the account or the address within the window, even the
    right password is refused until the window has passed (counted again here: failures
    may have come in while the password was checked).
    """
    user = db.session.get(User, check.user_id) if check.user_id else None
    if check.throttled or is_throttled(check.email, check.ip):
        audit.record("login.throttled", actor=None, subject=user,
                     village_id=user.village_id if user else None, detail=check.email, ip=check.ip)
        raise DomainError(THROTTLED)
    ok = check.ok and user is not None and user.active
    db.session.add(LoginAttempt(email=check.email, ip=check.ip, success=ok))
    if not ok or user is None:
        raise DomainError(WRONG)
    if check.new_hash:
        user.password_hash = check.new_hash
    user.last_login_at = now()
    audit.record("login", actor=user, subject=user, ip=check.ip)
    return user


def authenticate(email: str, password: str, ip: str) -> User:
    """Both halves at once: the user for these credentials, or DomainError."""
    return record_login(check_credentials(email, password, ip))


def register(*, village: Village, first_name: str, last_name: str, email: str, password: str,
             phone: str | None, street: str | None, house_number: str | None, postcode: str | None,
             as_volunteer: bool, motivation: str = "", offers: list | tuple = (),
             radius_km: float | None = None) -> User:
    """A resident or a volunteer signs up; the address is put on the map when a geocoder knows
    it. Volunteers say what they offer and how far they go, and wait for the coordinator's
    approval."""
    email = normalise_email(email)
    check_password(password, email=email, name=first_name)
    user = people.create_person(
        village=village, first_name=first_name, last_name=last_name, email=email, phone=phone,
        street=street, house_number=house_number, postcode=postcode, by=None,
        roles=(R.VOLUNTEER,) if as_volunteer else (R.RESIDENT,),
        password_hash=passwords.hash_password(password))
    if as_volunteer:
        profile = VolunteerProfile(user=user, motivation=motivation or "", categories=list(offers))
        if radius_km is not None:
            profile.radius_km = float(radius_km)
        db.session.add(profile)
    return user


def set_password(user: User, password: str) -> None:
    check_password(password, email=user.email, name=user.first_name)
    user.password_hash = passwords.hash_password(password)
    user.session_version += 1  # every other session of this user ends


# --- password reset ---------------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _fingerprint(user: User) -> str:
    """Changes when the password changes, so a used link cannot be used again."""
    return hashlib.sha256((user.password_hash or "none").encode()).hexdigest()[:16]


def reset_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "f": _fingerprint(user)})


def user_for_reset_token(token: str) -> User:
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except SignatureExpired:
        raise DomainError("Deze link is verlopen. Vraag een nieuwe aan.") from None
    except BadSignature:
        raise DomainError("Deze link klopt niet. Vraag een nieuwe aan.") from None
    user = db.session.get(User, data.get("u"))
    if user is None or not user.active or data.get("f") != _fingerprint(user):
        raise DomainError("Deze link is al gebruikt of niet meer geldig. Vraag een nieuwe aan.")
    return user


def request_reset(email: str, ip: str) -> None:
    """Queue a reset mail when the address is known. Says nothing either way (no enumeration)."""
    try:
        email = normalise_email(email)
    except DomainError:
        return
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is None or not user.active:
        return
    queue("password_reset", user, payload={})
    audit.record("password.reset_requested", actor=None, subject=user, ip=ip)


@message_builder("password_reset")
def _reset_message(row: FollowUp) -> Message:
    from flask import render_template
    user = recipient_of(row)
    url = url_for("auth.reset_password", token=reset_token(user), _external=True)
    ctx = {"user": user, "url": url, "village": user.village}
    return Message(subject="Nieuw wachtwoord instellen",
                   text=render_template("mail/password_reset.txt", **ctx),
                   html=render_template("mail/password_reset.html", **ctx))
