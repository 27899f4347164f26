"""Two-step login (tweestapsverificatie): after the password, a six-digit code from an
authenticator app on the phone (TOTP, RFC 6238, 30-second steps), or one of ten recovery codes
printed at setup. Staff (dorpsondersteuner, beheerder, platform) must use it when
TWO_STEP_FOR_STAFF is on, as it is in production; anyone may.

- The app's secret is sealed with a key derived from SECRET_KEY (Fernet), so a copy of the
  database alone cannot make codes. Changing SECRET_KEY means setting it up again.
- A code counts once (the last accepted step is kept); one step either side of now is
  accepted for a phone's clock that is a little off.
- Wrong codes in a row make each next try wait longer (after FREE_FAILURES: 30 s, doubling,
  up to 15 minutes); the right code resets it. The password step has its own throttling.
- The village's admin can clear a user's setup (a lost phone); the user then sets it up again
  at the next login. Every change is in the audit log.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from markupsafe import Markup
from sqlalchemy import delete, func, select

from coop.auth.models import RecoveryCode, TwoStepKey
from coop.core import audit, registry
from coop.core import roles as R
from coop.core.clock import now
from coop.core.errors import DomainError
from coop.core.models import User
from coop.extensions import db

STAFF = (R.COORDINATOR, R.ADMIN, R.PLATFORM)
RECOVERY_CODES = 10
FREE_FAILURES = 3
MAX_WAIT = timedelta(minutes=15)
PENDING_MINUTES = 5  # between the password and the code

WRONG_CODE = "Deze code klopt niet. Kijk of u de code van nu overneemt (hij verandert elke 30 seconden)."
WAIT = "U heeft te vaak een verkeerde code getypt. Probeer het over {wait} opnieuw."
NOT_SET_UP = "Tweestapsverificatie staat niet aan."


# --- the secret --------------------------------------------------------------------------------

def _fernet() -> Fernet:
    digest = hashlib.sha256(b"coop two-step\x00" + str(current_app.config["SECRET_KEY"]).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def _unseal(key: TwoStepKey) -> str | None:
    try:
        return _fernet().decrypt(key.sealed_secret.encode()).decode()
    except InvalidToken:  # sealed under another SECRET_KEY: the user sets it up again
        return None


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=6, interval=30)


def _step(at: datetime) -> int:
    return int(at.timestamp()) // 30


def _matching_step(secret: str, code: str, after: int, at: datetime) -> int | None:
    """The step (now, or one either side) whose code this is, if later than `after`."""
    totp = _totp(secret)
    for step in (_step(at) + offset for offset in (-1, 0, 1)):
        if step > after and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


# --- who uses it ----------------------------------------------------------------------------------

def _is_on(user_id):
    """Correlated to User.id: whether the user's setup is confirmed (read with the login)."""
    return (select(func.count()).select_from(TwoStepKey)
            .where(TwoStepKey.user_id == user_id, TwoStepKey.confirmed_at.is_not(None))
            .correlate(User).scalar_subquery())


registry.read_with_login("two_step", lambda: _is_on(User.id))


def required(user: User) -> bool:
    return bool(current_app.config["TWO_STEP_FOR_STAFF"]) and user.has_role(*STAFF)


def enabled(user: User) -> bool:
    figure = registry.login_figure("two_step")
    if figure is not None:
        from flask_login import current_user
        if current_user.is_authenticated and current_user.id == user.id:
            return bool(figure)
    return bool(db.session.scalar(select(_is_on(user.id))))


def _key(user: User) -> TwoStepKey | None:
    return db.session.get(TwoStepKey, user.id)


# --- setting it up -----------------------------------------------------------------------------

def begin_setup(user: User) -> str:
    """A new secret for `user` (replacing one not yet confirmed); returns it for the QR code."""
    key = _key(user)
    if key is not None and key.confirmed_at is not None:
        raise DomainError("Tweestapsverificatie staat al aan. Zet het eerst uit om een nieuwe telefoon te koppelen.")
    secret = pyotp.random_base32()
    if key is None:
        db.session.add(TwoStepKey(user_id=user.id, sealed_secret=_seal(secret)))
    else:
        key.sealed_secret, key.created_at, key.last_step, key.failures = _seal(secret), now(), 0, 0
    db.session.flush()
    return secret


def pending_secret(user: User) -> str | None:
    """The secret being set up (not yet confirmed), to show the QR code again."""
    key = _key(user)
    return _unseal(key) if key is not None and key.confirmed_at is None else None


def setup_uri(user: User, secret: str) -> str:
    issuer = user.village.cooperative_name if user.village else "coop"
    return _totp(secret).provisioning_uri(name=user.email or user.full_name, issuer_name=issuer)


def qr_svg(uri: str) -> Markup:
    """The setup link as an inline SVG QR code: drawn here, sent to no one."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#0b0c0c", light="#ffffff",
                                                 title="QR-code voor uw app")
    return Markup(svg)  # noqa: S704 (segno's own SVG of our own link)


def spaced(secret: str) -> str:
    """The secret in groups of four, for typing it in by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def confirm_setup(user: User, code: str) -> list[str]:
    """The first code from the app proves the phone has the secret: turn it on and return the
    recovery codes (shown once)."""
    key = _key(user)
    secret = _unseal(key) if key is not None and key.confirmed_at is None else None
    if key is None or secret is None:
        raise DomainError("Begin opnieuw: scan de QR-code met uw app.")
    step = _matching_step(secret, _digits(code), key.last_step, now())
    if step is None:
        raise DomainError(WRONG_CODE)
    key.confirmed_at, key.last_step, key.failures = now(), step, 0
    codes = _new_recovery_codes(user)
    audit.record("two_step.on", actor=user, subject=user)
    return codes


def new_recovery_codes(user: User) -> list[str]:
    if not _confirmed(user):
        raise DomainError(NOT_SET_UP)
    codes = _new_recovery_codes(user)
    audit.record("two_step.new_codes", actor=user, subject=user)
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    # 10 characters from an alphabet without look-alikes (no 0/O, 1/l/I): about 50 bits each.
    alphabet = "23456789abcdefghjkmnpqrstuvwxyz"
    codes = ["".join(secrets.choice(alphabet) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(c)) for c in codes)
    db.session.flush()
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(select(func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def turn_off(user: User, *, by: User) -> None:
    """Remove the setup: the user itself (when not required), or the village's admin for a
    lost phone; the user's other logins end, as after a password change."""
    from coop.auth import sessions
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(TwoStepKey).where(TwoStepKey.user_id == user.id))
    if by.id != user.id:
        sessions.end_all(user, sessions.DISABLED)
    audit.record("two_step.off", actor=by, subject=user)


def _confirmed(user: User) -> TwoStepKey | None:
    key = _key(user)
    return key if key is not None and key.confirmed_at is not None else None


# --- the code at login ---------------------------------------------------------------------

def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _digits(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isalnum()).lower()


def wait_left(key: TwoStepKey, at: datetime | None = None) -> timedelta:
    if key.failures < FREE_FAILURES or key.failed_at is None:
        return timedelta(0)
    wait = min(timedelta(seconds=30 * 2 ** (key.failures - FREE_FAILURES)), MAX_WAIT)
    return max(timedelta(0), key.failed_at + wait - (at or now()))


def check_code(user: User, code: str, ip: str | None = None) -> str:
    """The second step: the app's code or a recovery code. Returns which ("app", "recovery");
    raises DomainError (the wrong try is counted and kept) when it does not fit."""
    from coop.auth.service import say_wait
    key = _confirmed(user)
    if key is None:
        raise DomainError(NOT_SET_UP)
    at = now()
    if (left := wait_left(key, at)) > timedelta(0):
        raise DomainError(WAIT.format(wait=say_wait(max(1, int(left.total_seconds())))))
    typed = _digits(code)
    secret = _unseal(key)
    step = _matching_step(secret, typed, key.last_step, at) if secret and len(typed) == 6 else None
    if step is not None:
        key.last_step, key.failures, key.failed_at = step, 0, None
        audit.record("login.two_step", actor=user, subject=user, ip=ip)
        return "app"
    spare = db.session.scalar(select(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                                         RecoveryCode.code_hash == _hash(typed),
                                                         RecoveryCode.used_at.is_(None)))
    if spare is not None:
        spare.used_at = at
        key.failures, key.failed_at = 0, None
        audit.record("login.recovery_code", actor=user, subject=user, ip=ip,
                     detail=f"nog {recovery_codes_left(user)} herstelcodes")
        return "recovery"
    key.failures, key.failed_at = key.failures + 1, at
    audit.record("login.two_step_failed", actor=user, subject=user, ip=ip)
    raise DomainError(WRONG_CODE)
