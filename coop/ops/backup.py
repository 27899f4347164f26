"""Backups that restore: SQLite through its online backup API, PostgreSQL through pg_dump.

A backup is one file: `coop-<UTC time>.sqlite` (a complete SQLite database, consistent even
while the app writes) or `coop-<UTC time>.dump` (pg_dump's custom format, restored with
pg_restore). `keep` removes the oldest backups beyond that number.
"""
from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url


class BackupError(RuntimeError):
    pass


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(url.database)


def _sqlite_copy(source_path: Path, dest_path: Path) -> None:
    """Copy a whole SQLite database page by page with SQLite's online backup API: consistent
    even while another process writes to the source."""
    source, dest = sqlite3.connect(source_path), sqlite3.connect(dest_path)
    try:
        with dest:
            source.backup(dest)
    finally:
        dest.close()
        source.close()


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore: from PATH, else the newest Debian PostgreSQL bin directory."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if not candidates:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return candidates[-1]


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, which goes in the environment
    (command lines are visible to every user of the machine)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {result.stderr.strip()[:500]}")


def backup(database_url: str, directory: Path, keep: int | None = None,
           at: datetime | None = None) -> Path:
    """Write one backup of the database into `directory` and return its path."""
    url = make_url(database_url)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = (at or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    if url.get_backend_name() == "sqlite":
        target = directory / f"coop-{stamp}.sqlite"
        _sqlite_copy(_sqlite_path(url), target)
    elif url.get_backend_name() == "postgresql":
        target = directory / f"coop-{stamp}.dump"
        conninfo, env = _libpq(url)
        _run([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), conninfo], env)
    else:
        raise BackupError(f"No backup for {url.get_backend_name()} databases.")
    target.chmod(0o600)  # a backup holds everyone's personal data
    if keep:
        prune(directory, keep)
    return target


def prune(directory: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` backups; return what was removed."""
    backups = sorted(p for p in directory.glob("coop-*") if p.suffix in {".sqlite", ".dump"})
    removed = backups[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink()
    return removed


def restore(database_url: str, backup_file: Path) -> None:
    """Replace the database's contents with the backup's. The database may be empty."""
    if not backup_file.is_file():
        raise BackupError(f"No backup file at {backup_file}.")
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if backup_file.suffix != ".sqlite":
            raise BackupError("A SQLite database restores from a .sqlite backup.")
        _sqlite_copy(backup_file, _sqlite_path(url))
    elif url.get_backend_name() == "postgresql":
        if backup_file.suffix != ".dump":
            raise BackupError("A PostgreSQL database restores from a .dump backup (pg_dump).")
        conninfo, env = _libpq(url)
        _run([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--exit-on-error", "--dbname", conninfo, str(backup_file)], env)
    else:
        raise BackupError(f"No restore for {url.get_backend_name()} databases.")
