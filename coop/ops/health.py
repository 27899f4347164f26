"""Liveness and readiness: is the process up, and can it do its work right now?"""
from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import text

from coop.core.clock import now
from coop.extensions import db
from coop.ops.models import SchedulerHeartbeat

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
# A heartbeat older than this many dispatch ticks means the scheduler is not running.
STALE_TICKS = 3


def beat(at: datetime | None = None) -> None:
    """Record that the scheduler is alive (called by its jobs, in their own transaction)."""
    row = db.session.get(SchedulerHeartbeat, 1)
    if row is None:
        row = SchedulerHeartbeat(id=1)
        db.session.add(row)
    row.beat_at = at or now()
    row.host = socket.gethostname()[:120]
    row.pid = os.getpid()


def last_beat() -> datetime | None:
    row = db.session.get(SchedulerHeartbeat, 1)
    return row.beat_at if row else None


def scheduler_limit() -> timedelta:
    return timedelta(seconds=STALE_TICKS * current_app.config["SCHEDULER_TICK_SECONDS"])


def scheduler_alive(at: datetime | None = None) -> bool:
    beat_at = last_beat()
    return beat_at is not None and (at or now()) - beat_at <= scheduler_limit()


@cache
def migration_heads() -> frozenset[str]:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def readiness() -> dict[str, str]:
    """Each check's outcome: "ok" or a short reason. Ready when every one is "ok"."""
    checks: dict[str, str] = {}
    try:
        connection = db.session.connection()
        connection.execute(text("select 1"))
    except Exception as err:  # the database is down: report it, do not fail the probe
        db.session.rollback()
        return {"database": f"unreachable ({type(err).__name__})", "migrations": "unknown",
                "scheduler": "unknown"}
    checks["database"] = "ok"
    current = frozenset(MigrationContext.configure(connection).get_current_heads())
    checks["migrations"] = "ok" if current == migration_heads() else (
        f"at {', '.join(sorted(current)) or 'none'}, expected {', '.join(sorted(migration_heads()))}")
    beat_at = last_beat()
    if beat_at is None:
        checks["scheduler"] = "no heartbeat yet"
    elif now() - beat_at > scheduler_limit():
        checks["scheduler"] = f"last heartbeat {int((now() - beat_at).total_seconds())} s ago"
    else:
        checks["scheduler"] = "ok"
    return checks
