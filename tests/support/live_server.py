"""The app in a real server process: werkzeug's multi-threaded WSGI server on a loopback port.

    python -m tests.support.live_server DATABASE_URL

prints `port <n>` once it listens, then serves until it is terminated. `LiveServers` starts
several such processes (like gunicorn's workers) for a test and stops them again.
"""
from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def serve(url: str) -> None:
    from werkzeug.serving import make_server

    from coop import create_app
    from tests.conftest import TEST_CONFIG
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    app = create_app({**TEST_CONFIG, "TESTING": False, "SQLALCHEMY_DATABASE_URI": url})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(f"port {server.server_port}", flush=True)
    server.serve_forever()


class LiveServers:
    """`count` server processes on one database; `urls` are their base addresses."""

    def __init__(self, database_url: str, count: int = 2):
        self.database_url = database_url
        self.count = count
        self.processes: list[subprocess.Popen] = []
        self.urls: list[str] = []
        self._logs: list = []

    def __enter__(self) -> LiveServers:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        try:
            for _ in range(self.count):
                log = tempfile.TemporaryFile(mode="w+")
                process = subprocess.Popen([sys.executable, "-m", "tests.support.live_server", self.database_url],
                                           cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=log, text=True)
                self.processes.append(process)
                self._logs.append(log)
            for process in self.processes:
                line = process.stdout.readline()
                if not line.startswith("port "):
                    raise RuntimeError(f"the server did not start:\n{self.log()}")
                self.urls.append(f"http://127.0.0.1:{int(line.split()[1])}")
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            process.stdout.close()

    def log(self) -> str:
        """What the servers wrote to stderr (tracebacks of failed requests)."""
        out = []
        for log in self._logs:
            log.seek(0)
            out.append(log.read())
        return "\n".join(out)


if __name__ == "__main__":
    serve(sys.argv[1])


def servers_and_app(database_factory, backend: str, name: str, count: int = 2):
    """(servers, app) for a module's fixture: `count` server processes on a fresh database,
    and an app on it for setting up and checking (real commits, its own connections)."""
    from coop import create_app
    from coop.extensions import db
    from tests.conftest import TEST_CONFIG
    url = database_factory(backend, f"{name}_{backend}")
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with LiveServers(url, count=count) as servers:
        yield servers, app
    with app.app_context():
        db.engine.dispose()
