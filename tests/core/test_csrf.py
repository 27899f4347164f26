"""CSRF on every POST route, with protection on as in production (the other tests switch it
off): without a token, or with a wrong one, the answer is the Dutch 400 page and no row in
any table changes. With the session's own token the same POST gets past the check."""
from __future__ import annotations

import re

import pytest

from coop import create_app
from coop.extensions import db
from tests.conftest import Factory, RequestIsolatedClient, login_client
from tests.core.access_table import TABLE
from tests.core.attack_world import build_attack, isolated, row_counts, shared_session

EXPIRED = "Het formulier was verlopen"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


@pytest.fixture(scope="module")
def attack(app):
    with shared_session(app) as connection:
        yield build_attack(db.session, Factory(db.session), connection)


@pytest.fixture(scope="module")
def protected(app):
    """A second app on the same database, with CSRF protection on."""
    other = create_app({**app.config, "WTF_CSRF_ENABLED": True})
    other.test_client_class = RequestIsolatedClient
    return other


def _posts(app) -> list[str]:
    return sorted({r.endpoint for r in app.url_map.iter_rules() if "POST" in (r.methods or ())})


def _client(protected, attack, endpoint: str):
    """A client of someone the endpoint admits (anyone for a public one)."""
    access = TABLE[endpoint]
    persona = "anonymous" if access.public else sorted(access.owner or access.who)[0]
    user = attack.user(persona, "own")
    return protected.test_client() if user is None else login_client(protected, user)


def _token(client) -> str:
    """The token of the client's session, from the first page that carries one."""
    for url in ("/", "/inloggen"):
        found = TOKEN.search(client.get(url).text)
        if found:
            return found.group(1) or found.group(2)
    raise AssertionError("no csrf_token on the pages")


def test_every_post_route_is_in_the_table(app):
    assert set(_posts(app)) <= set(TABLE)
    assert len(_posts(app)) > 60


@pytest.mark.parametrize("token", ["none", "nonsense", "another session's"])
def test_a_post_without_the_right_token_is_refused_and_changes_nothing(app, protected, attack, token):
    problems = []
    for endpoint in _posts(app):
        for url in TABLE[endpoint].urls(attack.ids):
            with isolated(attack.connection):
                client = _client(protected, attack, endpoint)
                data = {}
                if token == "nonsense":
                    data["csrf_token"] = "IjEyMyI.aaaa.bbbb"
                elif token == "another session's":
                    data["csrf_token"] = _token(protected.test_client())
                before = row_counts()
                response = client.post(url, data=data)
                changed = {t for t, n in row_counts().items() if before[t] != n}
                if response.status_code != 400 or EXPIRED not in response.text:
                    problems.append(f"{url}: {response.status_code}")
                if changed:
                    problems.append(f"{url}: changed {sorted(changed)}")
                assert 'lang="nl"' in response.text
    assert problems == []


def test_the_sessions_own_token_gets_past_the_check(app, protected, attack):
    problems = []
    for endpoint in _posts(app):
        for url in TABLE[endpoint].urls(attack.ids):
            with isolated(attack.connection):
                client = _client(protected, attack, endpoint)
                response = client.post(url, data={"csrf_token": _token(client)})
                if EXPIRED in response.text or response.status_code >= 500:
                    problems.append(f"{url}: {response.status_code}")
    assert problems == []
