"""Browser tests: the app served for real on a loopback port, driven by Debian's Chromium.

The served app has its own migrated database (per backend) with the demo village in it and
CSRF switched on, exactly as a person would meet it. Tests make the extra data they need in
`live_server.app.app_context()` and commit it.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

import pytest
from flask import Flask
from werkzeug.serving import make_server

from coop import create_app
from coop.extensions import db
from tests.conftest import TEST_CONFIG

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@dataclass
class LiveServer:
    url: str
    app: Flask


@pytest.fixture(scope="session")
def live_server(backend, database_factory, smtp_server):
    url = database_factory(backend, "coop_e2e")
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": True,
                      "MAIL_PORT": smtp_server.port})
    with app.app_context():
        from coop import demo
        demo.build(echo=lambda *_: None)
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app)
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def browser_page(page):
    """A Playwright page that fails the test on any console error (CSP violations included)."""
    errors: list[str] = []
    def on_console(msg):
        # Failed loads are reported below with their address; a page that answers 4xx on
        # purpose (a form with errors, a used link) is the document itself, not a fault.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            errors.append(msg.text)

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            errors.append(f"{response.status} for {response.request.resource_type} {response.url}")
    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_default_timeout(10_000)
    page.console_errors = errors
    yield page
    assert not errors, f"console errors in the browser: {errors}"
