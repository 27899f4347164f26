"""Logs an operator can use: one JSON line per request and per scheduler job.

Each web request gets an id (a well-formed X-Request-ID from the proxy, else a new one),
sent back in the X-Request-ID header and shown on error pages so a coordinator can quote it.
A line holds the request id, the user's id (never a name, e-mail or address), the route
pattern (`/hulpvragen/<int:request_id>`, not the URL: no search terms or tokens), the status,
the duration and the number of SQL statements.
"""
from __future__ import annotations

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, Response, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Engine

log = logging.getLogger("coop.requests")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Attributes every LogRecord has; anything else passed with `extra=` goes into the JSON line.
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
                "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        line.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def configure(level: str = "INFO") -> None:
    """JSON lines on stderr for the coop loggers (gunicorn and the scheduler call this)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JSONFormatter())
    root = logging.getLogger("coop")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


@event.listens_for(Engine, "before_cursor_execute")
def _count_query(conn, cursor, statement, parameters, context, executemany) -> None:
    if has_request_context():
        g.query_count = g.get("query_count", 0) + 1


def _user_id() -> int | None:
    """The logged-in user's id, read from the identity map: no query, so that logging works
    after a failed transaction or with the database gone."""
    user = g.get("_login_user")  # where Flask-Login keeps the user it loaded for this request
    state = sa_inspect(user, raiseerr=False) if user is not None else None
    identity = state.identity if state is not None else None
    return int(identity[0]) if identity else None


def request_id() -> str:
    return g.get("request_id", "")


def init_app(app: Flask) -> None:
    if app.config.get("LOG_JSON"):
        configure(app.config.get("LOG_LEVEL", "INFO"))

    @app.before_request
    def start() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()
        g.query_count = 0

    @app.after_request
    def finish(response: Response) -> Response:
        response.headers["X-Request-ID"] = request_id()
        started = g.get("request_started")
        log.info("request", extra={
            "request_id": request_id(), "user_id": _user_id(),
            "method": request.method, "route": request.url_rule.rule if request.url_rule else None,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
            "queries": g.get("query_count", 0)})
        return response

    @app.context_processor
    def inject_request_id() -> dict:
        return {"request_id": request_id()}
