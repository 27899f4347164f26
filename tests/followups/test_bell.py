"""The bell with unread notifications, the notifications page, and the dead-mail panel."""
from __future__ import annotations

from sqlalchemy import select

from coop.core import clock
from coop.core import outbox as O
from coop.followups import rules
from coop.respite import rules as respite_rules


def note(session, user, title="Bel mevrouw Jansen", status=O.SENT):
    row = O.queue(rules.DEAD_ALERT, user, channel=O.INAPP)
    row.status, row.title, row.body, row.sent_at = status, title, "Zij heeft geen e-mail.", clock.now()
    session.flush()
    return row


def test_bell_shows_unread_count_and_page_marks_read(client_as, session, coordinator, volunteer):
    note(session, coordinator)
    note(session, coordinator, "Tweede melding")
    note(session, coordinator, "Nog niet verstuurd", status=O.PENDING)
    note(session, volunteer, "Voor iemand anders")
    client = client_as(coordinator)
    home = client.get("/")
    assert 'coop-bell__count">2<' in home.text
    page = client.get("/meldingen")
    assert "Bel mevrouw Jansen" in page.text and "Tweede melding" in page.text
    assert "Voor iemand anders" not in page.text and "Nog niet verstuurd" not in page.text
    assert page.text.count("Nieuw</strong>") == 2
    assert "coop-bell__count" not in client.get("/").text
    assert "Nieuw</strong>" not in client.get("/meldingen").text
    assert 'coop-bell__count">1<' in client_as(volunteer).get("/").text


def test_bell_needs_login(client):
    assert client.get("/meldingen").status_code == 302


def dead_row(session, recipient):
    row = O.queue(respite_rules.CARER_CHECKIN, recipient)
    row.status, row.attempts, row.last_error, row.title = O.DEAD, 6, "550 mailbox unknown", "Hoe gaat het?"
    session.flush()
    return row


def test_dead_mail_panel_and_retry(client_as, session, coordinator, resident, volunteer):
    row = dead_row(session, resident)
    client, helper = client_as(coordinator), client_as(volunteer)
    home = client.get("/")
    assert "Niet bezorgd (1)" in home.text and "550 mailbox unknown" in home.text
    assert "Niet bezorgd" not in helper.get("/").text
    assert helper.post(f"/opvolging/{row.id}/opnieuw").status_code == 403
    assert client.post(f"/opvolging/{row.id}/opnieuw").status_code == 302
    session.refresh(row)
    assert (row.status, row.attempts) == (O.PENDING, 0)
    assert "Niet bezorgd" not in client.get("/").text


def test_dead_mail_dismiss_and_village_scope(client_as, session, make, coordinator, resident, other_village):
    row = dead_row(session, resident)
    outsider = make.user(other_village, "coordinator")
    assert client_as(outsider).post(f"/opvolging/{row.id}/afgehandeld").status_code == 404
    session.refresh(row)
    assert row.status == O.DEAD
    client_as(coordinator).post(f"/opvolging/{row.id}/afgehandeld")
    session.refresh(row)
    assert row.status == O.CANCELLED
    again = client_as(coordinator).post(f"/opvolging/{row.id}/opnieuw", follow_redirects=True)
    assert "niet (meer) bij de niet bezorgde berichten" in again.text
    assert session.scalar(select(O.FollowUp.status).where(O.FollowUp.id == row.id)) == O.CANCELLED
