"""coop: the web platform of a village care cooperative."""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from flask import Flask, render_template
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from coop import config as settings
from coop.extensions import babel, csrf, db, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent
# Feature packages are found, not listed: each one with a views.py exposing `bp` is wired in.
FEATURE_ORDER = ("core", "auth", "people", "admin")


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"),
                instance_path=str(ROOT / "instance"), instance_relative_config=True)
    app.config.update(settings.from_env(Path(app.instance_path)))
    if overrides:
        app.config.update(overrides)
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

    from coop.core import security, templating
    security.init_app(app)
    templating.init_app(app)
    _load_models()
    _register_blueprints(app)
    _register_errors(app)

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


def _register_blueprints(app: Flask) -> None:
    for module in feature_modules("views"):
        bp = getattr(module, "bp", None)
        if bp is not None:
            app.register_blueprint(bp)


def _register_errors(app: Flask) -> None:
    from coop.core.views import contact_villages

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(
            code, lambda err, code=code: (render_template("errors/error.html", code=code,
                                                          villages=contact_villages()), code))

    from flask_wtf.csrf import CSRFError

    @app.errorhandler(CSRFError)
    def csrf_error(err):
        return render_template("errors/error.html", code=400, csrf=True, villages=contact_villages()), 400


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite: enforce foreign keys, WAL for concurrent readers, and let SQLAlchemy own BEGIN.

    pysqlite's own transaction handling breaks SAVEPOINT and BEGIN IMMEDIATE; turning it off
    and emitting BEGIN ourselves is the documented fix.
    """
    import sqlite3
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    # `Session.connection(execution_options={"sqlite_begin": "BEGIN IMMEDIATE"})` takes the
    # write lock at BEGIN (the outbox claim); options are set before the transaction begins.
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin")
                             or conn.info.pop("sqlite_begin", "BEGIN"))
