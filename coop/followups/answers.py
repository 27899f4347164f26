"""One-click answers without logging in: "ja / nee" links in a mail ("Bent u geholpen?").

The link carries a signed token with only two numbers in it (an AnswerToken id and its random
nonce): no name, no request text. It expires (AnswerToken.expires_at, on our clock) and works
once: the first answer sets used_at with a guarded UPDATE, so two clicks at the same moment
cannot both count. What an answer does belongs to the feature that asked: it registers a
handler for its token's purpose (`on_answer`; e.g. coop/requests/rules.py). A bad, expired or
used link changes nothing.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any, cast

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import CursorResult, update

from coop.core.clock import now
from coop.core.errors import DomainError
from coop.core.models import Village
from coop.extensions import db
from coop.followups.models import ANSWER_LINK_VALID, AnswerToken

ANSWERS = ("ja", "nee")
INVALID, EXPIRED, USED = "invalid", "expired", "used"

Handler = Callable[[AnswerToken, str], object]  # (token, "ja" | "nee") -> what was answered about
_handlers: dict[str, Handler] = {}


def on_answer(purpose: str) -> Callable[[Handler], Handler]:
    """Decorator: what an answer to a token of `purpose` does, in the caller's transaction."""
    def register(fn: Handler) -> Handler:
        _handlers[purpose] = fn
        return fn
    return register


class AnswerProblem(DomainError):
    def __init__(self, reason: str, message: str, village: Village | None = None):
        super().__init__(message)
        self.reason = reason
        self.village = village


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="followup-answer")


def new_token(purpose: str, subject) -> AnswerToken:
    token = AnswerToken(nonce=secrets.token_hex(16), purpose=purpose, subject_id=subject.id,
                        village_id=subject.village_id, expires_at=now() + ANSWER_LINK_VALID)
    db.session.add(token)
    db.session.flush()
    return token


def token_string(token: AnswerToken) -> str:
    return _serializer().dumps({"t": token.id, "n": token.nonce})


def answer_url(token: AnswerToken, answer: str) -> str:
    return url_for("followups.answer", token=token_string(token), answer=answer, _external=True)


def load(token_string_: str) -> AnswerToken:
    """The token behind a link, or AnswerProblem saying (kindly) why it no longer works."""
    try:
        # The signature's own age check is a second line; the stored expiry is the rule.
        data = _serializer().loads(token_string_, max_age=int((ANSWER_LINK_VALID.total_seconds()) * 2))
        token = db.session.get(AnswerToken, int(data["t"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        token = None
        data = {}
    if token is None or not secrets.compare_digest(token.nonce, str(data.get("n", ""))):
        raise AnswerProblem(INVALID, "Deze link klopt niet. Misschien is hij niet helemaal meegekomen.")
    village = db.session.get(Village, token.village_id)
    if token.used_at is not None:
        raise AnswerProblem(USED, "U heeft deze vraag al beantwoord. Dank u wel!", village)
    if token.expired:
        raise AnswerProblem(EXPIRED, "Deze link is verlopen.", village)
    return token


def record(token_string_: str, answer: str) -> tuple[AnswerToken, object]:
    """Record the answer once and let the feature that asked act on it, in the caller's
    transaction. Returns the token and what the handler returned (e.g. the request)."""
    if answer not in ANSWERS:
        raise AnswerProblem(INVALID, "Deze link klopt niet.")
    token = load(token_string_)
    handler = _handlers.get(token.purpose)
    if handler is None:
        raise AnswerProblem(INVALID, "Deze link klopt niet.")
    result = db.session.execute(
        update(AnswerToken).where(AnswerToken.id == token.id, AnswerToken.used_at.is_(None))
        .values(used_at=now(), answer=answer).execution_options(synchronize_session=False))
    if cast(CursorResult[Any], result).rowcount != 1:  # an UPDATE's result carries the row count
        raise AnswerProblem(USED, "U heeft deze vraag al beantwoord. Dank u wel!",
                            db.session.get(Village, token.village_id))
    return token, handler(token, answer)
