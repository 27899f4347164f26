"""Helpers for browser tests: logging in, and axe-core accessibility checks."""
from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js"


def login(page, server, email: str, password: str) -> None:
    page.goto(f"{server.url}/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{server.url}/")


def axe_check(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core in the page (injected from the tests' vendored copy, never served).

    Returns the violations of the given impacts, each as {id, impact, help, targets}.
    """
    # Evaluated through the DevTools protocol, so the page's CSP (no inline script) stays on.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"] if v["impact"] in impacts
    ]
