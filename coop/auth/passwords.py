"""argon2id password hashing; the cost comes from config so tests can make it cheap."""
from __future__ import annotations

import contextlib
import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app


def _hasher() -> PasswordHasher:
    c = current_app.config
    return PasswordHasher(time_cost=c["ARGON2_TIME_COST"], memory_cost=c["ARGON2_MEMORY_COST"])


@lru_cache(maxsize=4)
def _dummy_hash(time_cost: int, memory_cost: int) -> str:
    """A hash of a random secret at the current cost: checked when there is no real hash."""
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost).hash(secrets.token_urlsafe(24))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches. Without a (valid) hash the password is checked against a
    dummy hash and refused: an unknown, disabled or password-less account takes as long to
    refuse as a real one, so the answer's timing tells nothing."""
    hasher = _hasher()
    try:
        if password_hash:
            return hasher.verify(password_hash, password)
    except InvalidHashError:
        pass
    except VerificationError:
        return False
    with contextlib.suppress(VerificationError, InvalidHashError):
        hasher.verify(_dummy_hash(hasher.time_cost, hasher.memory_cost), password or "")
    return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)
