"""coop: the web platform of a village care cooperative."""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from flask import Flask, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from coop import config as settings
from coop.extensions import babel, csrf, db, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent
# Feature packages are found, not listed: each one with a views.py exposing `bp` is wired in.
FEATURE_ORDER = ("core", "auth", "people", "admin")


class App(Flask):
    """Flask, with each request's view run as one unit of work (coop.core.transaction)."""

    def dispatch_request(self):
        if request.routing_exception is not None or request.endpoint == "static":
            return super().dispatch_request()
        from coop.core.transaction import dispatch
        return dispatch(super().dispatch_request)


def create_app(overrides: dict | None = None) -> Flask:
    app = App(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"),
                instance_path=str(ROOT / "instance"), instance_relative_config=True)
    app.config.update(settings.from_env(Path(app.instance_path)))
    if overrides:
        app.config.update(overrides)
    _lock_timeout(app.config)
    if app.config["PROXY_HOPS"]:
        # Flask's documented way to put middleware in front; mypy sees wsgi_app only as a method.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_HOPS"],  # type: ignore[method-assign]
                                x_proto=app.config["PROXY_HOPS"], x_host=app.config["PROXY_HOPS"])

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    # Flask-Babel only picks the language of WTForms' own messages (Flask-WTF asks it);
    # every date, number and amount we show is written by coop/core/dutch.py.
    babel.init_app(app, locale_selector=lambda: "nl", timezone_selector=lambda: "Europe/Amsterdam")
    login_manager.init_app(app)

    from coop.core import error_pages, security, templating
    security.init_app(app)
    templating.init_app(app)
    error_pages.init_app(app)
    _load_models()
    _load_feature_parts()
    _register_blueprints(app)

    from coop.ops import logs, static
    logs.init_app(app)
    static.init_app(app)

    from coop import cli
    cli.init_app(app)
    return app


def feature_modules(name: str):
    """Import `coop.<feature>.<name>` for every feature package that has one."""
    package = Path(__file__).parent
    names = sorted((m.name for m in pkgutil.iter_modules([str(package)]) if m.ispkg),
                   key=lambda n: (FEATURE_ORDER.index(n) if n in FEATURE_ORDER else len(FEATURE_ORDER), n))
    for feature in names:
        if (package / feature / f"{name}.py").exists() or (package / feature / name / "__init__.py").exists():
            yield importlib.import_module(f"coop.{feature}.{name}")


def _load_models() -> None:
    list(feature_modules("models"))
    importlib.import_module("coop.core.outbox")


# What each feature registers for the scheduler and the outbox lives in its own `rules.py`
# (periodic rules, daily jobs, hooks on another feature's lifecycle, answer handlers) and
# `messages.py` (how its follow-ups are written, its part of the weekly digest). They are
# imported here, for every feature that has them, so the registrations exist in every
# process, the scheduler included, and never depend on which views were imported.
FEATURE_PARTS = ("rules", "messages")


def _load_feature_parts() -> None:
    for name in FEATURE_PARTS:
        list(feature_modules(name))


def _register_blueprints(app: Flask) -> None:
    for module in feature_modules("views"):
        bp = getattr(module, "bp", None)
        if bp is not None:
            app.register_blueprint(bp)


def _lock_timeout(config) -> None:
    """How long a statement waits for a lock before it fails (and the request is retried or
    answered with 503): SQLite's busy timeout, PostgreSQL's lock_timeout."""
    seconds = float(config["DATABASE_LOCK_TIMEOUT"])
    url = str(config["SQLALCHEMY_DATABASE_URI"])
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    connect_args = dict(options.get("connect_args") or {})
    if url.startswith("sqlite"):
        connect_args.setdefault("timeout", seconds)  # pysqlite sets the busy timeout from it
    elif url.startswith("postgresql"):
        connect_args.setdefault("options", f"-c lock_timeout={int(seconds * 1000)}")
    options["connect_args"] = connect_args
    config["SQLALCHEMY_ENGINE_OPTIONS"] = options


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite: enforce foreign keys, WAL for concurrent readers, and let SQLAlchemy own BEGIN.

    pysqlite's own transaction handling breaks SAVEPOINT and BEGIN IMMEDIATE; turning it off
    and emitting BEGIN ourselves is the documented fix. The busy timeout comes from the
    `timeout` connect argument (DATABASE_LOCK_TIMEOUT).
    """
    import sqlite3
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    # `Session.connection(execution_options={"sqlite_begin": "BEGIN IMMEDIATE"})` takes the
    # write lock at BEGIN (the outbox claim); options are set before the transaction begins.
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin")
                             or conn.info.pop("sqlite_begin", "BEGIN"))
