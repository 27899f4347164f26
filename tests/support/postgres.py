"""A throwaway PostgreSQL server for the test suite.

Uses Debian's server binaries (``/usr/lib/postgresql/<N>/bin``, installed by
``scripts/provision-test.sh``): ``initdb`` into a temporary directory, then ``pg_ctl start`` on a
free loopback port with durability switched off, because the data dies with the run anyway.
Only the standard library is used here; psycopg is needed only by the code that connects.

    with TemporaryPostgres() as pg:
        pg.create_database("coop_test")
        engine = sqlalchemy.create_engine(pg.url("coop_test"))

or, in conftest.py, one server per session (per xdist worker)::

    @pytest.fixture(scope="session")
    def postgres():
        with TemporaryPostgres() as pg:
            yield pg

``initdb`` refuses to run as root, so as root the server runs as the system user
``coop-test`` (created on first use). ``python -m tests.support.postgres`` checks the machine.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

__all__ = ["TemporaryPostgres", "TemporaryPostgresError", "find_bindir"]

SERVER_USER = "coop-test"
SUPERUSER = "postgres"
_DB_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


class TemporaryPostgresError(RuntimeError):
    """The throwaway server could not be set up; the message says why and shows the log."""


def find_bindir() -> Path:
    """The newest installed PostgreSQL bin directory (``$COOP_PG_BINDIR`` wins if set)."""
    override = os.environ.get("COOP_PG_BINDIR")
    if override:
        bindir = Path(override)
        if not (bindir / "initdb").is_file():
            raise TemporaryPostgresError(f"COOP_PG_BINDIR={override} holds no initdb")
        return bindir
    found = []
    for initdb in glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        version = Path(initdb).parent.parent.name
        key = tuple(int(p) for p in re.findall(r"\d+", version)) or (0,)
        found.append((key, Path(initdb).parent))
    if not found:
        raise TemporaryPostgresError(
            "no PostgreSQL server found under /usr/lib/postgresql/*/bin; "
            "run scripts/provision-test.sh (as root) to install it"
        )
    return max(found)[1]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ensure_server_user() -> None:
    try:
        pwd.getpwnam(SERVER_USER)
        return
    except KeyError:
        pass
    result = subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVER_USER],
        capture_output=True,
        text=True,
    )
    try:
        # Another test worker may have created it at the same moment: that is fine too.
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        raise TemporaryPostgresError(
            f"could not create system user {SERVER_USER!r} to run PostgreSQL as: "
            f"{result.stderr.strip() or result.stdout.strip()}"
        ) from None


class TemporaryPostgres:
    """A PostgreSQL server in a temporary directory, removed again by ``stop()``."""

    def __init__(self, bindir: str | os.PathLike | None = None, start_timeout: int = 60):
        self.bindir = Path(bindir) if bindir else find_bindir()
        self.start_timeout = start_timeout
        self.port: int | None = None
        self.tmpdir: Path | None = None
        self._as_root = os.geteuid() == 0
        self._running = False

    # -- lifecycle ---------------------------------------------------------------------------

    def __enter__(self) -> TemporaryPostgres:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def datadir(self) -> Path:
        return self._tmp / "data"

    @property
    def logfile(self) -> Path:
        return self._tmp / "server.log"

    @property
    def _tmp(self) -> Path:
        if self.tmpdir is None:
            raise TemporaryPostgresError("the server has not been started")
        return self.tmpdir

    def start(self) -> TemporaryPostgres:
        if self._running:
            return self
        # As root, stay out of $TMPDIR: it may sit where the server user cannot enter.
        base = "/tmp" if self._as_root and os.path.isdir("/tmp") else None
        self.tmpdir = Path(tempfile.mkdtemp(prefix="coop-pg-", dir=base))
        atexit.register(self.stop)  # never leave a server behind if the run dies
        try:
            if self._as_root:
                _ensure_server_user()
                user = pwd.getpwnam(SERVER_USER)
                os.chown(self.tmpdir, user.pw_uid, user.pw_gid)
            self._initdb()
            self._start_server()
        except BaseException:
            self.stop()
            raise
        return self

    def _initdb(self) -> None:
        base = [
            str(self.bindir / "initdb"),
            "-D", str(self.datadir),
            "-A", "trust",
            "-U", SUPERUSER,
            "--encoding=UTF8",
            "--no-sync",
        ]
        first = self._run(base + ["--locale=C.UTF-8"])
        if first.returncode == 0:
            return
        # Machines without the C.UTF-8 locale: fall back to plain C ordering.
        shutil.rmtree(self.datadir, ignore_errors=True)
        second = self._run(base + ["--no-locale"])
        if second.returncode != 0:
            raise TemporaryPostgresError(
                "initdb failed:\n" + first.stdout + first.stderr + second.stdout + second.stderr
            )

    def _start_server(self) -> None:
        last_error = ""
        for _attempt in range(3):  # the free port may be taken before the server binds it
            self.port = _free_port()
            options = (
                f"-p {self.port} -k {self._tmp} -c listen_addresses=127.0.0.1 "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            result = self._run(
                [
                    str(self.bindir / "pg_ctl"),
                    "start", "-w", "-s",
                    "-t", str(self.start_timeout),
                    "-D", str(self.datadir),
                    "-l", str(self.logfile),
                    "-o", options,
                ]
            )
            if result.returncode == 0:
                self._running = True
                return
            last_error = result.stdout + result.stderr
            if "could not bind" not in self._log_tail():
                break
        raise TemporaryPostgresError(
            f"PostgreSQL did not start (pg_ctl: {last_error.strip()}); server log tail:\n"
            + self._log_tail()
        )

    def stop(self) -> None:
        """Stop the server (fast shutdown) and delete its files. Safe to call twice."""
        if self.tmpdir is None:
            return
        if self._running:
            self._run([str(self.bindir / "pg_ctl"), "stop", "-m", "fast", "-w", "-s",
                       "-D", str(self.datadir)])
            self._running = False
        shutil.rmtree(self.tmpdir, ignore_errors=True)
        self.tmpdir = None
        atexit.unregister(self.stop)

    # -- use ---------------------------------------------------------------------------------

    def url(self, dbname: str = "postgres") -> str:
        """SQLAlchemy URL (psycopg 3 driver) for a database on this server."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self._port()}/{dbname}"

    def dsn(self, dbname: str = "postgres") -> str:
        """Plain libpq URL, for psycopg.connect() or psql."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self._port()}/{dbname}"

    def create_database(self, name: str, template: str = "template0") -> str:
        """Create database ``name`` and return its SQLAlchemy URL."""
        self.psql(f'CREATE DATABASE "{self._checked(name)}" TEMPLATE "{self._checked(template)}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self.psql(f'DROP DATABASE IF EXISTS "{self._checked(name)}" WITH (FORCE)')

    def psql(self, sql: str, dbname: str = "postgres") -> str:
        """Run SQL with the psql binary next to the server; returns its output."""
        result = subprocess.run(
            [str(self.bindir / "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
             "-d", self.dsn(dbname), "-c", sql],
            capture_output=True,
            text=True,
            env={**os.environ, "PGCONNECT_TIMEOUT": "10"},
        )
        if result.returncode != 0:
            raise TemporaryPostgresError(f"psql failed for {sql!r}: {result.stderr.strip()}")
        return result.stdout

    # -- helpers -----------------------------------------------------------------------------

    def _port(self) -> int:
        if not self._running or self.port is None:
            raise TemporaryPostgresError("the server is not running")
        return self.port

    @staticmethod
    def _checked(name: str) -> str:
        if not _DB_NAME.match(name):
            raise ValueError(f"not a plain database name: {name!r}")
        return name

    def _run(self, argv: list[str]) -> subprocess.CompletedProcess:
        if self._as_root:
            argv = ["runuser", "-u", SERVER_USER, "--"] + argv
        # cwd: the server user may not be allowed into the caller's working directory.
        return subprocess.run(argv, capture_output=True, text=True, cwd=self.tmpdir)

    def _log_tail(self, lines: int = 30) -> str:
        try:
            text = self.logfile.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])


def _check() -> None:
    import psycopg

    with TemporaryPostgres() as pg:
        url = pg.create_database("coop_check")
        with psycopg.connect(pg.dsn("coop_check")) as conn:
            assert conn.execute("select 1").fetchone() == (1,)
            version = conn.execute("show server_version").fetchone()[0]
        print(f"PostgreSQL {version} from {pg.bindir}: {url} answered select 1")


if __name__ == "__main__":
    _check()
