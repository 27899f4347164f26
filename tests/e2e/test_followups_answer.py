"""The one-click answer in headless Chromium: the link from the mail, the button, the result."""
from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from coop.core import clock
from coop.core import roles as R
from coop.extensions import db
from coop.followups.answers import answer_url, new_token
from coop.requests.models import DONE, MATCHED, SEARCHING, HelpRequest
from tests.conftest import Factory
from tests.e2e.helpers import axe_check

pytestmark = pytest.mark.e2e
_SERIAL = itertools.count(9000, 100)


def _matched_request(app):
    """A matched request and its answer links, committed on the live server's database."""
    with app.app_context():
        make = Factory(db.session)
        make._n = next(_SERIAL)  # the live database is shared by the whole session
        village = make.village(name="Austerlitz")
        make.user(village, R.COORDINATOR)
        resident = make.user(village, R.RESIDENT, first_name="Bep")
        req = HelpRequest(village_id=village.id, resident=resident, category=make.category(village, "boodschappen"),
                          description="Boodschappen", status=MATCHED, flexible=True,
                          matched_at=clock.now() - timedelta(days=8))
        db.session.add(req)
        db.session.flush()
        token = new_token("helped", req)
        with app.test_request_context(base_url=app.config.get("BASE_URL", "http://localhost")):
            links = {answer: answer_url(token, answer).split("/antwoord/", 1)[1] for answer in ("ja", "nee")}
        db.session.commit()
        return req.id, links


def _status(app, request_id):
    with app.app_context():
        return db.session.get(HelpRequest, request_id).status


def test_resident_answers_nee_without_logging_in(live_server, browser_page):
    request_id, links = _matched_request(live_server.app)
    page = browser_page
    page.goto(f"{live_server.url}/antwoord/{links['nee']}")
    expect(page.get_by_role("heading", name="Bent u geholpen?")).to_be_visible()
    assert axe_check(page) == []
    assert _status(live_server.app, request_id) == MATCHED  # opening the link changes nothing
    page.get_by_role("button", name="Nee, ik ben niet geholpen").click()
    expect(page.get_by_role("heading", name="Dank u wel!")).to_be_visible()
    assert "neemt contact met u op" in page.content()
    assert _status(live_server.app, request_id) == SEARCHING

    # The same link again: a friendly page, nothing changed.
    page.goto(f"{live_server.url}/antwoord/{links['ja']}")
    expect(page.get_by_role("heading", name="Al beantwoord")).to_be_visible()
    assert _status(live_server.app, request_id) == SEARCHING


def test_resident_answers_ja_and_a_tampered_link_is_refused(live_server, browser_page):
    request_id, links = _matched_request(live_server.app)
    page = browser_page
    page.goto(f"{live_server.url}/antwoord/{links['ja'].replace('.', 'x', 1)}")
    expect(page.get_by_role("heading", name="Deze link werkt niet (meer)")).to_be_visible()
    page.goto(f"{live_server.url}/antwoord/{links['ja']}")
    page.get_by_role("button", name="Ja, ik ben geholpen").click()
    expect(page.get_by_role("heading", name="Dank u wel!")).to_be_visible()
    assert _status(live_server.app, request_id) == DONE
