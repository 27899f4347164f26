"""Walks every rule of the URL map for every role: allowed or refused exactly as declared.

The declaration is tests/core/access_table.py. Each persona asks for real rows: its own, as a
peer in the same village, and from another village; GET and POST where the rule takes them.
A refused POST must leave every table as it was.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import Rule

from coop.core import roles as R
from coop.core.guard import ANY_USER
from coop.extensions import db
from tests.conftest import Factory
from tests.core.access_table import TABLE, expected
from tests.core.attack_world import PERSONAS, RELATIONS, ROLES_OF, build_attack, isolated, row_counts, shared_session

# A refused request writes nothing at all, not even an audit row (tables exempted here: none).
REFUSAL_MAY_WRITE: frozenset[str] = frozenset()
OK = {200, 302, 422}  # 422: the allowed POST of an empty form is answered with its errors


def view_rules(app) -> list[Rule]:
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static"]


def declared_roles(app, rule):
    return getattr(app.view_functions[rule.endpoint], "allowed_roles", None)


def test_every_view_declares_who_may_use_it(app):
    undeclared = [r.endpoint for r in view_rules(app) if declared_roles(app, r) is None]
    assert undeclared == []


def test_the_walk_covers_views(app):
    assert len(view_rules(app)) >= 12


def test_every_endpoint_has_a_row_in_the_table(app):
    assert {r.endpoint for r in view_rules(app)} == set(TABLE)


def _allowed(declared, user_roles) -> bool:
    return "public" in declared or ANY_USER in declared or bool(declared & set(user_roles))


@pytest.mark.parametrize("endpoint", sorted(TABLE))
def test_the_table_agrees_with_the_guard(app, endpoint):
    declared = app.view_functions[endpoint].allowed_roles
    by_guard = {p for p in PERSONAS if p != "anonymous" and _allowed(declared, ROLES_OF[p])}
    by_table = set(TABLE[endpoint].who) - {"anonymous"}
    assert by_table == by_guard
    assert ("public" in declared) == TABLE[endpoint].public


@pytest.fixture(scope="module")
def attack(app):
    from coop.ops.health import beat
    with shared_session(app) as connection:
        world = build_attack(db.session, Factory(db.session), connection)
        beat()  # a running scheduler, so that /readyz answers 200 rather than its honest 503
        yield world


def answer(response) -> str:
    if response.status_code == 302 and "/inloggen" in response.headers.get("Location", ""):
        return "login"
    if response.status_code in OK:
        return "ok"
    return str(response.status_code)


def probe(app, attack, url: str, method: str, persona: str, relation: str, done: str = "ok") -> tuple[str, str | None]:
    """The answer to one request, and what a refused POST changed (None when nothing). An
    answer other than `done`, the answer of an admitted request, counts as refused."""
    with isolated(attack.connection):
        client = attack.client(app, persona, relation)
        before = row_counts() if method == "POST" else None
        response = client.open(url, method=method)
        got = answer(response)
        changed = None
        if before is not None and got != done:
            after = row_counts()
            diff = {t: (before[t], after[t]) for t in before if before[t] != after[t] and t not in REFUSAL_MAY_WRITE}
            changed = str(diff) if diff else None
        return got, changed


def _methods(app, endpoint: str) -> list[str]:
    return sorted({m for r in view_rules(app) if r.endpoint == endpoint for m in r.methods} & {"GET", "POST"})


def walk(app, attack, endpoint: str) -> list[str]:
    access = TABLE[endpoint]
    methods = _methods(app, endpoint)
    problems = []
    for url in access.urls(attack.ids):
        for method in methods:
            for persona in PERSONAS:
                relations = RELATIONS if (access.village or access.mine) and persona != "anonymous" else ("own",)
                for relation in relations:
                    want = expected(access, persona, relation)
                    got, changed = probe(app, attack, url, method, persona, relation, access.done)
                    if got != want:
                        problems.append(f"{method} {url} {persona}/{relation}: {got}, declared {want}")
                    if changed:
                        problems.append(f"{method} {url} {persona}/{relation}: refused but changed {changed}")
    return problems


@pytest.mark.parametrize("endpoint", sorted(TABLE))
def test_each_persona_is_admitted_or_refused_as_declared(app, attack, endpoint):
    assert walk(app, attack, endpoint) == []


@settings(max_examples=80, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(endpoint=st.sampled_from(sorted(TABLE)), persona=st.sampled_from(PERSONAS), relation=st.sampled_from(RELATIONS),
       data=st.data())
def test_random_combinations_get_the_declared_answer(app, attack, endpoint, persona, relation, data):
    """Any persona, endpoint, URL, method and relation to the object: the answer of the table."""
    access = TABLE[endpoint]
    url = data.draw(st.sampled_from(access.urls(attack.ids)))
    method = data.draw(st.sampled_from(_methods(app, endpoint)))
    if persona == "anonymous" or not (access.village or access.mine):
        relation = "own"
    got, changed = probe(app, attack, url, method, persona, relation, access.done)
    assert (got, changed) == (expected(access, persona, relation), None), (method, url, persona, relation)


def test_anonymous_visitors_are_sent_to_login(app, attack):
    problems = []
    for endpoint, access in TABLE.items():
        if access.public:
            continue
        method = "GET" if "GET" in _methods(app, endpoint) else "POST"
        for url in access.urls(attack.ids):
            response = app.test_client().open(url, method=method)
            if response.status_code != 302 or "/inloggen" not in response.headers["Location"]:
                problems.append(f"{method} {url}: {response.status_code}")
    assert problems == []


def test_a_person_with_two_roles_gets_both(app, attack):
    from tests.conftest import login_client
    with isolated(attack.connection):
        user = Factory(db.session).user(attack.a.village, R.RESIDENT, R.COORDINATOR)
        client = login_client(app, user)
        assert client.get("/mensen").status_code == 200
        home = client.get("/").text
        assert "inwoner en dorpsondersteuner" in home or "dorpsondersteuner en inwoner" in home

