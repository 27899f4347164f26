"""The one-click answer pages: ja completes, nee reopens and alerts; bad links change nothing."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from coop.core import clock
from coop.core import outbox as O
from coop.followups.answers import new_token, token_string
from coop.requests import rules as request_rules
from coop.requests.models import DONE, MATCHED, SEARCHING, RequestEvent


@pytest.fixture
def matched(session, village, resident, coordinator, make_request):
    req = make_request(village, resident, status=MATCHED, matched_at=clock.now())
    token = token_string(new_token("helped", req))
    return req, token


def counts(session):
    return (session.scalar(select(func.count(O.FollowUp.id))),
            session.scalar(select(func.count(RequestEvent.id))))


def test_ja_completes_the_request(client, session, matched):
    req, token = matched
    page = client.get(f"/antwoord/{token}/ja")
    assert page.status_code == 200 and "Ja, ik ben geholpen" in page.text
    assert req.status == MATCHED  # looking does not answer (mail scanners open links too)
    done = client.post(f"/antwoord/{token}/ja")
    assert done.status_code == 200 and "Dank u wel" in done.text
    session.refresh(req)
    assert req.status == DONE


def test_nee_reopens_and_alerts_the_coordinator(client, session, matched, coordinator):
    req, token = matched
    response = client.post(f"/antwoord/{token}/nee")
    assert "neemt contact met u op" in response.text
    session.refresh(req)
    assert req.status == SEARCHING
    assert req.events[-1].action == "reopen" and "nee" in req.events[-1].note
    alerts = list(session.scalars(select(O.FollowUp).where(O.FollowUp.kind == request_rules.NOT_HELPED)))
    assert {(a.recipient_id, a.channel) for a in alerts} == {(coordinator.id, O.MAIL), (coordinator.id, O.INAPP)}


def test_a_used_link_changes_nothing(client, session, matched):
    req, token = matched
    client.post(f"/antwoord/{token}/ja")
    before = counts(session)
    again = client.post(f"/antwoord/{token}/nee")
    assert again.status_code == 409 and "al beantwoord" in again.text
    session.refresh(req)
    assert req.status == DONE and counts(session) == before
    assert client.get(f"/antwoord/{token}/nee").status_code == 409


def test_a_tampered_link_changes_nothing(client, session, matched):
    req, token = matched
    before = counts(session)
    forged = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    for url in (f"/antwoord/{forged}/nee", "/antwoord/nonsens/nee"):
        response = client.post(url)
        assert response.status_code == 400 and "klopt niet" in response.text and "niets veranderd" in response.text
    assert client.post(f"/antwoord/{token}/misschien").status_code == 404
    session.refresh(req)
    assert req.status == MATCHED and counts(session) == before


def test_an_expired_link_changes_nothing(client, session, matched):
    req, token = matched
    before = counts(session)
    try:
        clock.freeze(clock.now() + timedelta(days=15))
        response = client.post(f"/antwoord/{token}/nee")
    finally:
        clock.freeze(None)
    assert response.status_code == 410 and "verlopen" in response.text
    assert "0343 123 456" in response.text  # whom to call instead
    session.refresh(req)
    assert req.status == MATCHED and counts(session) == before
