"""Dispatcher processes for the concurrency tests and the benchmark (started with spawn)."""
from __future__ import annotations

import time


def dispatch_worker(url: str, smtp_port: int, overrides: dict | None = None,
                    idle_rounds: int = 10, seconds: float = 120.0, results=None,
                    start_after: float = 0.0) -> None:
    """Dispatch rounds against `url` until nothing was due for `idle_rounds` rounds in a row."""
    from coop import create_app
    from coop.followups.dispatcher import dispatch_due
    from tests.conftest import TEST_CONFIG
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "MAIL_PORT": smtp_port,
                      **(overrides or {})})
    deadline = time.monotonic() + seconds
    handled = 0
    with app.app_context():
        idle = 0
        while time.time() < start_after:
            time.sleep(0.01)
        while idle < idle_rounds and time.monotonic() < deadline:
            n = dispatch_due()
            handled += n
            if n:
                idle = 0
            else:
                idle += 1
                time.sleep(0.05)
    if results is not None:
        results.put(handled)
