"""/healthz (the process answers) and /readyz (database, migrations, scheduler)."""
from __future__ import annotations

from flask import Blueprint

from coop.core.guard import public
from coop.ops.health import readiness

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
@public
def healthz():
    # Liveness only: a probe that touches the database would restart healthy workers
    # whenever the database is briefly away.
    return {"status": "ok"}, 200, {"Cache-Control": "no-store"}


@bp.get("/readyz")
@public
def readyz():
    checks = readiness()
    ready = all(v == "ok" for v in checks.values())
    return ({"status": "ready" if ready else "not ready", "checks": checks},
            200 if ready else 503, {"Cache-Control": "no-store"})
