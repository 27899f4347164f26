"""Accounts: login with throttling, registration, password reset by signed link, changing
one's own password and contact details, disabling an account."""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import ColumnElement, CursorResult, delete, func, select

from coop.auth import passwords, sessions
from coop.auth.models import AccountRequest, LoginAttempt, UserSession
from coop.core import audit, dutch
from coop.core import roles as R
from coop.core.clock import now
from coop.core.errors import DomainError
from coop.core.models import User, Village
from coop.core.outbox import FollowUp, Message, message_builder, queue, recipient_of
from coop.core.validation import check_password, normalise_email, normalise_phone
from coop.extensions import db
from coop.people import service as people
from coop.people.models import VolunteerProfile

THROTTLED = ("U heeft te vaak een verkeerd wachtwoord ingevuld. Probeer het over {wait} opnieuw, "
             "of bel de dorpsondersteuner.")
WRONG = "Het e-mailadres of het wachtwoord klopt niet."
WRONG_CONFIRM = "Dit wachtwoord klopt niet."
TOO_MANY_REGISTRATIONS = ("Er zijn vanaf hier of met dit e-mailadres al veel aanmeldingen gedaan. "
                          "Probeer het over een uur opnieuw, of bel de dorpsondersteuner.")
LOGIN_FAILURES = "account.login_failures"
PASSWORD_CHANGED = "account.password_changed"
EMAIL_CHANGED = "account.email_changed"


# --- throttling -----------------------------------------------------------------------------
#
# No hard lock: after LOGIN_FREE_FAILURES failures every further try waits 2^(n - free)
# seconds after the last failure (n failures so far), at most LOGIN_MAX_DELAY_SECONDS. Three
# counters: the account's failures from browsers that never logged in to it, the same from
# the owner's own browsers (a device cookie, coop/auth/devices.py), and the address's failures
# (LOGIN_FREE_FAILURES_PER_ADDRESS, all accounts). A try counts against the counters of its
# kind only, so a stranger's guessing never slows the owner's browser. An account's counters
# start again after a successful login; failures older than LOGIN_WINDOW_HOURS are forgotten.

def say_wait(seconds: int) -> str:
    """'30 seconden', '1 minuut', '15 minuten'."""
    if seconds < 60:
        return "1 seconde" if seconds <= 1 else f"{seconds} seconden"
    return dutch.duration(timedelta(minutes=math.ceil(seconds / 60)), parts=1)


def _failures(*where: ColumnElement[bool]) -> tuple[int, datetime | None]:
    since = now() - timedelta(hours=current_app.config["LOGIN_WINDOW_HOURS"])
    count, last = db.session.execute(select(func.count(LoginAttempt.id), func.max(LoginAttempt.at)).where(
        LoginAttempt.success.is_(False), LoginAttempt.at >= since, *where)).one()
    if last is not None and last.tzinfo is None:  # in case max() came back without the column type
        last = last.replace(tzinfo=UTC)
    return count or 0, last


def _last_success(email: str) -> int:
    """The id of the account's last successful login (0: none): failures after it count."""
    return db.session.scalar(select(func.max(LoginAttempt.id)).where(
        LoginAttempt.email == email, LoginAttempt.success.is_(True))) or 0


def _delay(count: int, last: datetime | None, free: int) -> int:
    """Seconds still to wait after `count` failures, the last at `last`."""
    if count < free or last is None:
        return 0
    wait = min(2 ** min(count - free, 30), current_app.config["LOGIN_MAX_DELAY_SECONDS"])
    return max(0, math.ceil((last + timedelta(seconds=wait) - now()).total_seconds()))


def account_failures(email: str) -> int:
    """The account's failures since its last successful login (every kind of try)."""
    return _failures(LoginAttempt.email == email, LoginAttempt.id > _last_success(email))[0]


def wait_seconds(email: str, ip: str, trusted: bool = False) -> int:
    """How long this try must wait before a password is checked at all (0: not at all)."""
    c = current_app.config
    email = (email or "").strip().lower()
    after = _last_success(email)
    own = _failures(LoginAttempt.email == email, LoginAttempt.id > after,
                    LoginAttempt.trusted.is_(trusted))
    waits = [_delay(*own, c["LOGIN_FREE_FAILURES"])]
    if not trusted:  # the owner's browser is not slowed by what others did from its address
        waits.append(_delay(*_failures(LoginAttempt.ip == ip), c["LOGIN_FREE_FAILURES_PER_ADDRESS"]))
    return max(waits)


def _find(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email)) if email else None


@dataclass(frozen=True)
class Credentials:
    """What checking a login found out, without writing anything."""
    email: str
    ip: str
    user_id: int | None
    wait: int  # seconds this try had to wait; the password was not checked
    ok: bool
    trusted: bool = False
    new_hash: str | None = None  # the password hashed again when the cost settings changed


def check_credentials(email: str, password: str, ip: str, trusted: bool = False) -> Credentials:
    """The slow half of logging in, read only: find the account and verify the password.

    Every account that is not a working one (unknown, disabled, without a password) is checked
    against a dummy hash all the same, so how long the answer takes tells nothing."""
    email = (email or "").strip().lower()
    user = _find(email)
    wait = wait_seconds(email, ip, trusted)
    if wait:
        return Credentials(email, ip, user.id if user else None, wait=wait, ok=False, trusted=trusted)
    ok = passwords.verify(user.password_hash if user is not None else None, password)
    ok = ok and user is not None and user.active
    new_hash = passwords.hash_password(password) \
        if ok and user is not None and user.password_hash and passwords.needs_rehash(user.password_hash) else None
    return Credentials(email, ip, user.id if user else None, wait=0, ok=ok, trusted=trusted, new_hash=new_hash)


def _record_failure(check: Credentials, user: User | None) -> None:
    """Count a failed try; when the account starts to be slowed, note it and tell its owner."""
    db.session.add(LoginAttempt(email=check.email, ip=check.ip, success=False, trusted=check.trusted))
    db.session.flush()
    c = current_app.config
    failures = account_failures(check.email)
    if failures == c["LOGIN_FREE_FAILURES"]:
        audit.record("login.throttled", actor=None, subject=user,
                     village_id=user.village_id if user else None, detail=check.email, ip=check.ip)
    if failures >= c["LOGIN_FREE_FAILURES"] and user is not None and user.can_log_in:
        _tell_owner(user, failures)


def _tell_owner(user: User, failures: int) -> None:
    """A mail to the owner of an account that sees many failures: at most one an hour."""
    at = now()
    recent = db.session.scalar(select(FollowUp.id).where(
        FollowUp.kind == LOGIN_FAILURES, FollowUp.recipient_id == user.id,
        FollowUp.created_at >= at - timedelta(hours=1)).limit(1))
    if recent is None:
        queue(LOGIN_FAILURES, user, payload={"failures": failures},
              dedupe_key=f"login-failures:{user.id}:{at:%Y%m%d%H}")


def record_login(check: Credentials) -> User:
    """The writing half: the user for these credentials, or DomainError. Every checked try is
    recorded; a try that had to wait is not (it would only lengthen the owner's wait)."""
    user = db.session.get(User, check.user_id) if check.user_id else None
    if check.wait:
        raise DomainError(THROTTLED.format(wait=say_wait(check.wait)))
    ok = check.ok and user is not None and user.active
    if not ok:
        _record_failure(check, user)
        raise DomainError(WRONG)
    assert user is not None
    db.session.add(LoginAttempt(email=check.email, ip=check.ip, success=True, trusted=check.trusted))
    if check.new_hash:
        user.password_hash = check.new_hash
    user.last_login_at = now()
    audit.record("login", actor=user, subject=user, ip=check.ip)
    return user


def authenticate(email: str, password: str, ip: str, trusted: bool = False) -> User:
    """Both halves at once: the user for these credentials, or DomainError."""
    return record_login(check_credentials(email, password, ip, trusted))


def record_confirmation(user: User, check: Credentials, row: UserSession | None) -> None:
    """The password typed again before a change to e-mail, phone or password (checked with
    check_credentials for the user's own e-mail). Throttled and counted like a login: a stolen
    session cannot be used to guess the password."""
    if check.wait:
        raise DomainError(THROTTLED.format(wait=say_wait(check.wait)), "password")
    if not check.ok or check.user_id != user.id or row is None:
        _record_failure(check, user)
        raise DomainError(WRONG_CONFIRM, "password")
    db.session.add(LoginAttempt(email=check.email, ip=check.ip, success=True, trusted=check.trusted))
    sessions.confirm(row)
    audit.record("password.confirmed", actor=user, subject=user, ip=check.ip)


def forget_old_records(at: datetime | None = None, days: int = 30) -> int:
    """Delete login tries, reset and registration requests and ended sessions older than
    `days`: they hold addresses and typed e-mail addresses, needed only for throttling and a
    look back at an incident (the audit log keeps what happened). Run daily by the scheduler."""
    cutoff = (at or now()) - timedelta(days=days)
    deleted = 0
    for stmt in (delete(LoginAttempt).where(LoginAttempt.at < cutoff),
                 delete(AccountRequest).where(AccountRequest.at < cutoff),
                 delete(UserSession).where(UserSession.last_seen_at < cutoff)):
        result = cast(CursorResult[Any], db.session.execute(stmt.execution_options(synchronize_session=False)))
        deleted += result.rowcount
    return deleted


# --- requests that send mail or make accounts -----------------------------------------------

def note_request(kind: str, email: str, ip: str) -> bool:
    """Count a reset or registration request; False (and nothing counted) when this e-mail or
    this address made too many within the hour."""
    c = current_app.config
    since = now() - timedelta(hours=1)

    def count(*where: ColumnElement[bool]) -> int:
        return db.session.scalar(select(func.count(AccountRequest.id)).where(
            AccountRequest.kind == kind, AccountRequest.at >= since, *where)) or 0
    if count(AccountRequest.email == email) >= c["ACCOUNT_REQUESTS_PER_EMAIL"] \
            or count(AccountRequest.ip == ip) >= c["ACCOUNT_REQUESTS_PER_ADDRESS"]:
        return False
    db.session.add(AccountRequest(kind=kind, email=email, ip=ip))
    return True


def limit_registration(email: str, ip: str) -> None:
    """DomainError when this address or e-mail registered too often within the hour."""
    if not note_request("register", (email or "").strip().lower()[:254], ip):
        raise DomainError(TOO_MANY_REGISTRATIONS)


def register(*, village: Village, first_name: str, last_name: str, email: str, password: str,
             phone: str | None, street: str | None, house_number: str | None, postcode: str | None,
             as_volunteer: bool, motivation: str = "", offers: list | tuple = (),
             radius_km: float | None = None) -> User:
    """A resident or a volunteer signs up; the address is put on the map when a geocoder knows
    it. Volunteers say what they offer and how far they go, and wait for the coordinator's
    approval."""
    email = normalise_email(email)
    check_password(password, email=email, name=f"{first_name} {last_name}", village=village.name)
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


def set_password(user: User, password: str, *, keep: UserSession | None = None, ip: str | None = None) -> None:
    """A new password: every session of the user ends but `keep` (the one that changed it)."""
    check_password(password, email=user.email, name=user.full_name, village=user.village.name)
    had_password = bool(user.password_hash)
    user.password_hash = passwords.hash_password(password)
    user.session_version += 1  # old cookies no longer load, whatever their session row says
    sessions.end_all(user, sessions.PASSWORD, keep=keep)
    audit.record("password.changed", actor=user, subject=user, ip=ip)
    if had_password:  # a first password (the welcome link) is no change to warn about
        queue(PASSWORD_CHANGED, user, payload={})


def change_contact(user: User, *, email: str, phone: str | None, ip: str | None = None) -> None:
    """A person changes their own e-mail address (their login) and phone number. A notice goes
    to the old address, so a stolen session cannot take the account over unseen."""
    email = normalise_email(email)
    if people.email_taken(email, except_user=user):
        raise DomainError("Dit e-mailadres is al in gebruik.", "email")
    phone = normalise_phone(phone) if phone else None
    old_email = user.email
    changed = [label for label, before, after in (("e-mail", old_email, email), ("telefoon", user.phone, phone))
               if before != after]
    if not changed:
        return
    user.email, user.phone = email, phone
    audit.record("account.contact_changed", actor=user, subject=user, detail=", ".join(changed), ip=ip)
    if old_email and old_email != email:
        queue(EMAIL_CHANGED, user, payload={"old_email": old_email})


def set_active(person: User, active: bool, *, by: User) -> None:
    """An admin disables (or enables again) an account of their own village. Disabling ends
    every session of it at once."""
    if person.village_id != by.village_id:
        raise DomainError("Deze persoon hoort niet bij uw dorp.")
    if person.id == by.id and not active:
        raise DomainError("U kunt uw eigen account niet uitzetten.")
    if person.active == active:
        return
    person.active = active
    if not active:
        sessions.end_all(person, sessions.DISABLED)
    audit.record("account.enabled" if active else "account.disabled", actor=by, subject=person)


def logout_everywhere(user: User) -> int:
    ended = sessions.end_all(user, sessions.EVERYWHERE)
    audit.record("logout.everywhere", actor=user, subject=user)
    return ended


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
    """Queue a reset mail when the address is known. Says nothing either way (no enumeration);
    at most ACCOUNT_REQUESTS_PER_EMAIL an hour per e-mail and ACCOUNT_REQUESTS_PER_ADDRESS per
    address, so the form cannot flood anyone's mailbox."""
    try:
        email = normalise_email(email)
    except DomainError:
        return
    if not note_request("reset", email, ip):
        return
    user = _find(email)
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


def _notice(template: str, subject: str, row: FollowUp, to: str | None = None, **extra: object) -> Message:
    from flask import render_template
    user = recipient_of(row)
    ctx = {"user": user, "village": user.village, "at": row.created_at,
           "forgot_url": url_for("auth.forgot_password", _external=True), **extra}
    return Message(subject=subject, text=render_template(f"mail/{template}.txt", **ctx),
                   html=render_template(f"mail/{template}.html", **ctx), to=to)


@message_builder(LOGIN_FAILURES)
def _login_failures_message(row: FollowUp) -> Message:
    return _notice("login_failures", "Mislukte pogingen om in te loggen", row,
                   failures=row.payload.get("failures"))


@message_builder(PASSWORD_CHANGED)
def _password_changed_message(row: FollowUp) -> Message:
    return _notice("password_changed", "Uw wachtwoord is gewijzigd", row)


@message_builder(EMAIL_CHANGED)
def _email_changed_message(row: FollowUp) -> Message:
    return _notice("email_changed", "Uw e-mailadres is gewijzigd", row, to=row.payload.get("old_email"))
