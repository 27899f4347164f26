"""Settings, all read from the environment in this one place.

Every setting has a safe default for a laptop demo. With `COOP_ENV=production` the start is
refused unless SECRET_KEY, DATABASE_URL and BASE_URL are set: a generated key or a demo
database in production would lose sessions and data silently. See README.md, "Configuration".
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}.") from None


PRODUCTION_REQUIRED = ("SECRET_KEY", "DATABASE_URL", "BASE_URL")


class ConfigError(RuntimeError):
    """A setting is missing or wrong: the process must not start."""


def check_production() -> None:
    """In production every required setting must come from the environment."""
    if os.environ.get("COOP_ENV", "development") != "production":
        return
    missing = [name for name in PRODUCTION_REQUIRED if not os.environ.get(name)]
    if missing:
        raise ConfigError("COOP_ENV=production needs " + ", ".join(missing)
                          + " in the environment (see README.md, Production).")
    if len(os.environ["SECRET_KEY"]) < 32:
        raise ConfigError("SECRET_KEY must be at least 32 characters in production.")


def secret_key(instance: Path) -> str:
    """SECRET_KEY from the environment, else one generated once into instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def from_env(instance: Path = INSTANCE) -> dict:
    check_production()
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'coop.sqlite'}"
    if database_url.startswith("postgres://"):  # Heroku-style URLs
        database_url = "postgresql+psycopg://" + database_url[len("postgres://"):]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://"):]
    return {
        "ENV": os.environ.get("COOP_ENV", "development"),
        "SECRET_KEY": secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Seconds a statement waits for a lock held by another transaction (SQLite's busy
        # timeout, PostgreSQL's lock_timeout) before the request is retried or answered 503.
        "DATABASE_LOCK_TIMEOUT": float(os.environ.get("DATABASE_LOCK_TIMEOUT") or 5),
        # Cookies: never readable by scripts, not sent on cross-site posts; Secure is added
        # per response when the request came over https (see core/security.py).
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", False),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 12,
        "WTF_CSRF_TIME_LIMIT": 60 * 60 * 8,
        # No form of ours comes near a megabyte; a bigger body is refused with 413 before it
        # is read (a Dutch page, templates/errors/error.html).
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 1024 * 1024),
        "PREFERRED_URL_SCHEME": os.environ.get("PREFERRED_URL_SCHEME", "http"),
        "SERVER_NAME": os.environ.get("SERVER_NAME") or None,
        # Proxy hops to trust for X-Forwarded-* (0 when served directly).
        "PROXY_HOPS": _int("PROXY_HOPS", 0),
        # Public address used in mails sent by the scheduler (no request to derive it from).
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000"),
        # Mail
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", "console"),  # console | file | smtp
        "MAIL_HOST": os.environ.get("MAIL_HOST", "localhost"),
        "MAIL_PORT": _int("MAIL_PORT", 25),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", False),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL", False),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "Zorgcoöperatie <noreply@coop.localhost>"),
        "MAIL_FILE_DIR": os.environ.get("MAIL_FILE_DIR", str(instance / "mail")),
        "MAIL_TIMEOUT": _int("MAIL_TIMEOUT", 20),
        # Right-hand side of every outbox mail's Message-ID.
        "MAIL_DOMAIN": os.environ.get("MAIL_DOMAIN", "coop.localhost"),
        # Maps and geocoding
        "TILE_URL": os.environ.get("TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
        "TILE_ATTRIBUTION": os.environ.get(
            "TILE_ATTRIBUTION",
            '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
        ),
        "GEOCODER": os.environ.get("GEOCODER", "gazetteer"),  # gazetteer | pdok | nominatim
        "PDOK_URL": os.environ.get(
            "PDOK_URL", "https://api.pdok.nl/bzk/locatieserver/search/v3_1/free"
        ),
        "NOMINATIM_DOMAIN": os.environ.get("NOMINATIM_DOMAIN", "nominatim.openstreetmap.org"),
        "NOMINATIM_SCHEME": os.environ.get("NOMINATIM_SCHEME", "https"),
        "GEOCODER_USER_AGENT": os.environ.get(
            "GEOCODER_USER_AGENT", "coop-zorgcooperatie/0.1 (beheer@coop.localhost)"
        ),
        # Rules
        "VOG_VALID_YEARS": _int("VOG_VALID_YEARS", 3),
        # Login throttling (README, "Security"): failures allowed before each further try
        # waits 2^(n - free) seconds, at most LOGIN_MAX_DELAY_SECONDS; failures older than the
        # window are forgotten. Per account (not for its owner's own browser) and per address.
        "LOGIN_FREE_FAILURES": _int("LOGIN_FREE_FAILURES", 5),
        "LOGIN_FREE_FAILURES_PER_ADDRESS": _int("LOGIN_FREE_FAILURES_PER_ADDRESS", 10),
        "LOGIN_MAX_DELAY_SECONDS": _int("LOGIN_MAX_DELAY_SECONDS", 15 * 60),
        "LOGIN_WINDOW_HOURS": _int("LOGIN_WINDOW_HOURS", 24),
        # Password-reset and registration requests per hour, per e-mail and per address.
        "ACCOUNT_REQUESTS_PER_EMAIL": _int("ACCOUNT_REQUESTS_PER_EMAIL", 3),
        "ACCOUNT_REQUESTS_PER_ADDRESS": _int("ACCOUNT_REQUESTS_PER_ADDRESS", 10),
        # Server-side sessions: idle timeout for staff (coordinator, admin, platform) and for
        # everyone else, the absolute lifetime, and how long a typed-again password holds.
        "SESSION_IDLE_MINUTES_STAFF": _int("SESSION_IDLE_MINUTES_STAFF", 30),
        "SESSION_IDLE_MINUTES": _int("SESSION_IDLE_MINUTES", 120),
        "SESSION_MAX_HOURS": _int("SESSION_MAX_HOURS", 12),
        "REAUTH_MINUTES": _int("REAUTH_MINUTES", 5),
        # Staff log in with a code from an authenticator app as well (coop/auth/two_step.py).
        "TWO_STEP_FOR_STAFF": _bool("TWO_STEP_FOR_STAFF", os.environ.get("COOP_ENV") == "production"),
        "PASSWORD_RESET_MAX_AGE": _int("PASSWORD_RESET_MAX_AGE", 60 * 60 * 2),
        # argon2id cost; tests lower it (hashing is deliberately slow).
        "ARGON2_TIME_COST": _int("ARGON2_TIME_COST", 3),
        "ARGON2_MEMORY_COST": _int("ARGON2_MEMORY_COST", 64 * 1024),
        "SCHEDULER_TICK_SECONDS": _int("SCHEDULER_TICK_SECONDS", 20),
        # The dispatcher's policy (README, "Follow-ups and the scheduler").
        "FOLLOWUP_LEASE_SECONDS": _int("FOLLOWUP_LEASE_SECONDS", 300),
        "FOLLOWUP_MAX_ATTEMPTS": _int("FOLLOWUP_MAX_ATTEMPTS", 6),
        "FOLLOWUP_RETRY_BASE_SECONDS": _int("FOLLOWUP_RETRY_BASE_SECONDS", 120),
        "FOLLOWUP_BATCH": _int("FOLLOWUP_BATCH", 200),
        "FOLLOWUP_MARK_EVERY": _int("FOLLOWUP_MARK_EVERY", 20),
        "FOLLOWUP_SMTP_CONNECTIONS": _int("FOLLOWUP_SMTP_CONNECTIONS", 3),
        # Serve instance/static (`flask --app coop collect-static`) with hashed names, compressed.
        "STATIC_COLLECTED": _bool("STATIC_COLLECTED", os.environ.get("COOP_ENV") == "production"),
        # One JSON line per request and job on stderr (production); LOG_LEVEL as in logging.
        "LOG_JSON": _bool("LOG_JSON", os.environ.get("COOP_ENV") == "production"),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO").upper(),
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
    }
