"""Walks every rule of the URL map for every role: allowed or refused exactly as declared."""
import pytest
from werkzeug.routing import Rule

from coop.core import roles as R
from coop.core.guard import ANY_USER

PLACEHOLDERS = {"integer": 999999, "default": "onbekend", "string": "onbekend", "path": "onbekend"}


def view_rules(app) -> list[Rule]:
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static"]


def build_url(app, rule: Rule) -> str:
    values = {}
    for name in rule.arguments:
        converter = type(rule._converters[name]).__name__.replace("Converter", "").lower()
        values[name] = PLACEHOLDERS.get(converter, PLACEHOLDERS["default"])
    with app.test_request_context():
        from flask import url_for
        return url_for(rule.endpoint, **values)


def declared_roles(app, rule):
    return getattr(app.view_functions[rule.endpoint], "allowed_roles", None)


def test_every_view_declares_who_may_use_it(app):
    undeclared = [r.endpoint for r in view_rules(app) if declared_roles(app, r) is None]
    assert undeclared == []


def test_the_walk_covers_views(app):
    assert len(view_rules(app)) >= 12


def _allowed(declared, user_roles) -> bool:
    return "public" in declared or ANY_USER in declared or bool(declared & user_roles)


@pytest.mark.parametrize("role", R.ALL)
def test_each_role_is_admitted_or_refused_as_declared(app, make, village, client_as, role):
    from coop.ops.health import beat
    beat()  # a running scheduler, so that /readyz answers 200 rather than its honest 503
    user = make.user(village, role)
    problems = []
    for rule in view_rules(app):
        client = client_as(user)  # a fresh login each time: one of the rules is "log out"
        declared = declared_roles(app, rule)
        url = build_url(app, rule)
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method)
        if response.status_code >= 500:
            problems.append(f"{method} {url}: {response.status_code}")
        elif _allowed(declared, {role}):
            if response.status_code == 403:
                problems.append(f"{method} {url}: refused but declared for {sorted(declared)}")
        elif response.status_code != 403:
            problems.append(f"{method} {url}: {response.status_code}, should be refused for {role}")
    assert problems == []


def test_anonymous_visitors_are_sent_to_login(app, client):
    problems = []
    for rule in view_rules(app):
        declared = declared_roles(app, rule)
        if "public" in declared:
            continue
        url = build_url(app, rule)
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method)
        if response.status_code != 302 or "/inloggen" not in response.headers["Location"]:
            problems.append(f"{method} {url}: {response.status_code}")
    assert problems == []


def test_a_person_with_two_roles_gets_both(app, make, village, client_as):
    user = make.user(village, R.RESIDENT, R.COORDINATOR)
    client = client_as(user)
    assert client.get("/mensen").status_code == 200
    assert "inwoner en dorpsondersteuner" in client.get("/").text or \
        "dorpsondersteuner en inwoner" in client.get("/").text
