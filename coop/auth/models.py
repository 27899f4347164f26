from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.core.clock import now
from coop.core.models import User
from coop.core.types import UTCDateTime
from coop.extensions import Model


class LoginAttempt(Model):
    """One try to log in. Kept in the database so throttling holds across worker processes."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_email_at", "email", "at"),
                      Index("ix_login_attempts_ip_at", "ip", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    email: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str] = mapped_column(String(45))
    success: Mapped[bool] = mapped_column(default=False)
    # Made from a browser that logged in to this account before (its device cookie): such
    # tries are counted apart, so a stranger's failures never slow the owner's own browser.
    trusted: Mapped[bool] = mapped_column(default=False, server_default=false())


class UserSession(Model):
    """A login, kept on the server so that it can be ended: the cookie only carries a random
    token, whose SHA-256 is stored here (a copy of this table logs nobody in)."""

    __tablename__ = "user_sessions"
    __table_args__ = (Index("ix_user_sessions_user_ended", "user_id", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(80))  # "Firefox op Windows"
    # When the password was last typed again in this session (changing e-mail, phone, password).
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(20))

    user: Mapped[User] = relationship()


class AccountRequest(Model):
    """A password-reset or registration request, counted per address and per e-mail so that
    neither can be used to flood someone's mailbox or to probe for accounts."""

    __tablename__ = "account_requests"
    __table_args__ = (Index("ix_account_requests_kind_email_at", "kind", "email", "at"),
                      Index("ix_account_requests_kind_ip_at", "kind", "ip", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "reset" | "register"
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    email: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str] = mapped_column(String(45))


class TwoStepKey(Model):
    """The secret of a user's authenticator app (TOTP, RFC 6238), sealed with the app's key
    (coop/auth/two_step.py). Until `confirmed_at` the user is still setting it up."""

    __tablename__ = "two_step_keys"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    sealed_secret: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last time step whose code was accepted: a code counts once, even within its 30 s.
    last_step: Mapped[int] = mapped_column(BigInteger, default=0)
    # Wrong codes in a row, and when the last came: each one after the first few doubles the wait.
    failures: Mapped[int] = mapped_column(default=0)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RecoveryCode(Model):
    """One of ten codes printed at setup, each good for one login without the phone. Only the
    SHA-256 is kept: a code is random enough that a hash needs no salt or slowness."""

    __tablename__ = "two_step_recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
