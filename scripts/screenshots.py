"""Phone-view screenshots of a few pages into docs/screenshots/ (`make screenshots`).

Builds the demo in a throwaway SQLite database, serves it on a loopback port and drives
Debian's Chromium with Playwright at 375 × 667, the size of a small phone, exactly as the
browser tests do. Each picture is the page from its top, at most two screens long.
"""
from __future__ import annotations

import logging
import sys
import tempfile
import threading
from pathlib import Path

from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coop import create_app, demo  # noqa: E402
from coop.extensions import db  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 375, "height": 667}
PASSWORD = "demo-wachtwoord"
# (file name, login, path, open the menu first)
SHOTS = [
    ("inwoner-hulp-vragen.png", "inwoner1@austerlitz.demo", "/hulp-vragen", False),
    ("vrijwilliger-start.png", "vrijwilliger3@austerlitz.demo", "/", False),
    ("vrijwilliger-mijn-uren.png", "vrijwilliger3@austerlitz.demo", "/mijn-uren", False),
    ("dorpsondersteuner-hulpvragen.png", "coordinator@austerlitz.demo", "/hulpvragen", False),
    ("dorpsondersteuner-menu.png", "coordinator@austerlitz.demo", "/", True),
]


def serve(database: Path) -> tuple[str, object]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": "screenshots-only",
                      "MAIL_BACKEND": "console", "TILE_URL": "/static/tiles/{z}/{x}/{y}.png"})
    with app.app_context():
        upgrade()
        demo.build(echo=lambda *_: None)
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


def main() -> None:
    for name in ("werkzeug", "alembic"):
        logging.getLogger(name).setLevel(logging.WARNING)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="coop-screens-") as tmp:
        base, server = serve(Path(tmp) / "demo.sqlite")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for name, email, path, open_menu in SHOTS:
                context = browser.new_context(viewport=PHONE)
                context.route("**/static/tiles/**", lambda route: route.abort())
                page = context.new_page()
                page.goto(f"{base}/inloggen")
                page.get_by_label("E-mailadres").fill(email)
                page.get_by_label("Wachtwoord").fill(PASSWORD)
                page.get_by_role("button", name="Inloggen").click()
                page.wait_for_url(f"{base}/")
                page.goto(f"{base}{path}")
                if open_menu:
                    page.locator("summary.coop-menu__button").click()
                height = min(page.evaluate("document.documentElement.scrollHeight"), 2 * PHONE["height"])
                page.screenshot(path=str(OUT / name), clip={"x": 0, "y": 0, "width": PHONE["width"], "height": height},
                                full_page=True)
                print(f"screenshots: {OUT.relative_to(ROOT) / name}")
                context.close()
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
