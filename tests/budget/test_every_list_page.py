"""Every page without arguments in the URL is held to a query budget here, or named below as
not a list. A new list page fails this test until it has its budget test."""
from __future__ import annotations

import importlib
import pkgutil

import tests.budget

NOT_LISTS = {
    "ops.healthz": "a health check", "ops.readyz": "a health check",
    "core.privacy": "fixed text",
    "admin.index": "the admin's own village and the scheduler's health",
    "reports.index": "sends the reader on to the figures of their village",
    "auth.login": "a form", "auth.register": "a form", "auth.forgot_password": "a form",
    "circles.new": "a form (its list of residents is the village's, not paged)",
    "requests.new": "a form", "people.new": "a form", "agreements.new": "a form",
    "people.volunteer_profile": "one person's form", "respite.ask": "a form", "respite.my_notes": "a form",
    "respite.add_hours": "a form", "respite.settings": "a form", "villages.new": "a form",
    "auth.confirm_password": "a form", "auth.change_password": "a form", "auth.change_contact": "a form",
    "auth.two_step_code": "a form", "auth.two_step_setup": "a form",
    "privacy.settings": "a form", "privacy.register_page": "fixed rows with the village's periods",
    "aids.new_item": "a form",
    "activities.new": "a form",
    "members.settings": "a form", "members.message": "a form; below it the 20 latest messages, a fixed number",
}


def budgeted() -> set[str]:
    found = set()
    for info in pkgutil.iter_modules(tests.budget.__path__):
        module = importlib.import_module(f"tests.budget.{info.name}")
        for item in vars(module).values():
            found |= {m.args[0] for m in getattr(item, "pytestmark", []) if m.name == "list_page"}
    return found


def test_every_page_without_arguments_is_budgeted_or_not_a_list(app):
    pages = {r.endpoint for r in app.url_map.iter_rules()
             if "GET" in r.methods and not r.arguments and r.endpoint != "static"}
    assert pages - budgeted() - set(NOT_LISTS) == set()
    assert budgeted() & set(NOT_LISTS) == set()
    assert set(NOT_LISTS) <= pages  # no stale names
