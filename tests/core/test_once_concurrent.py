"""The same form sent by several connections at once, to a real threaded server on a database
whose commits are real: one row, and every connection is answered with the same redirect."""
from __future__ import annotations

import http.client
import threading
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from coop import create_app
from coop.core import clock
from coop.extensions import db
from coop.people.models import HoursEntry
from coop.requests.models import HelpRequest
from tests.conftest import TEST_CONFIG, Factory
from tests.core.forms_world import MONDAY, build_world, create_cases, token

CONNECTIONS = 6
ROUNDS = 4


@pytest.fixture(scope="module")
def served(backend, database_factory):
    url = database_factory(backend, f"once_concurrent_{backend}")
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    clock.freeze(MONDAY)
    with app.app_context():
        world = build_world(db.session, Factory(db.session))
        cookies = {role: _session_cookie(app, getattr(world, role)) for role in ("resident", "volunteer")}
        forms = {case.name: (case.url(world), case.data(world)) for case in create_cases()}
        db.session.commit()  # the session rows the cookies name
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, server.server_port, forms, cookies
    server.shutdown()
    clock.freeze(None)
    with app.app_context():
        db.engine.dispose()


def _session_cookie(app, user) -> str:
    """A logged-in cookie as coop/auth/sessions.py makes it: the user id and a session row's token."""
    from coop.auth import sessions
    token = sessions.open_session(user, ip="127.0.0.1", agent="pytest")
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.dumps({"_user_id": user.get_id(), "_fresh": True, sessions.TOKEN_KEY: token})


def _post(port: int, path: str, cookie: str, body: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("POST", path, body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"session={cookie}"})
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location") or ""
    finally:
        connection.close()


def _race(port: int, path: str, cookie: str, data: dict) -> list[tuple[int, str]]:
    body = urlencode(data)
    start = threading.Barrier(CONNECTIONS)
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()

    def send():
        start.wait()
        answer = _post(port, path, cookie, body)
        with lock:
            answers.append(answer)
    threads = [threading.Thread(target=send) for _ in range(CONNECTIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return answers


@pytest.mark.parametrize("name, role, model", [("help request", "resident", HelpRequest),
                                               ("hours", "volunteer", HoursEntry)])
def test_simultaneous_submits_of_one_form_make_one_row(served, name, role, model):
    app, port, forms, cookies = served
    path, data = forms[name]
    for _ in range(ROUNDS):
        with app.app_context():
            before = db.session.scalar(select(func.count()).select_from(model))
            db.session.remove()
        answers = _race(port, path, cookies[role], {**data, "form_token": token()})
        with app.app_context():
            after = db.session.scalar(select(func.count()).select_from(model))
            db.session.remove()
        assert len(answers) == CONNECTIONS
        assert {status for status, _ in answers} == {302}, answers
        assert len({location for _, location in answers}) == 1, answers  # all see the one result
        assert "/inloggen" not in answers[0][1], answers  # logged in: the form was taken, not refused
        assert after == before + 1
