"""The dispatcher against a real SMTP server on loopback and a database with real commits."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from coop.core import clock
from coop.core import outbox as O
from coop.core import roles as R
from coop.extensions import db
from coop.followups import dispatcher, rules
from coop.requests import rules as request_rules
from coop.requests.models import DONE, MATCHED
from coop.respite import rules as respite_rules
from tests.followups.conftest import new_request
from tests.support.smtp import body_text, free_port


@pytest.fixture
def frozen():
    start = clock.now().replace(microsecond=0)
    clock.freeze(start)
    yield lambda **kw: clock.freeze(start + timedelta(**kw))
    clock.freeze(None)


@pytest.fixture
def people(live_make):
    village = live_make.village()
    coordinator = live_make.user(village, R.COORDINATOR, first_name="Marieke")
    resident = live_make.user(village, R.RESIDENT, first_name="Bep", last_name="Jansen")
    db.session.commit()
    return village, coordinator, resident


def rows(**where):
    stmt = select(O.FollowUp).order_by(O.FollowUp.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(O.FollowUp, key) == value)
    db.session.expire_all()
    return list(db.session.scalars(stmt))


def test_ask_helped_mail_reaches_the_resident_with_working_links(live, people, smtp_server, frozen):
    village, coordinator, resident = people
    req = new_request(db.session, village, resident, status=MATCHED, flexible=True,
                      matched_at=clock.now() - timedelta(days=8))
    db.session.commit()
    assert rules.run_rules(rules=[request_rules.ask_if_helped]) == {"ask_if_helped": 1}
    assert dispatcher.run_until_idle() == 1

    row = rows(kind=request_rules.ASK_HELPED)[0]
    assert (row.status, row.last_error) == (O.SENT, None), row.last_error
    [mail] = smtp_server.to(resident.email)
    assert row.status == O.SENT and row.attempts == 1 and row.claim_token is None
    assert mail["Message-ID"] == f"<followup-{row.id}@coop.localhost>"
    assert "Zorgcoöperatie Austerlitz" in mail["From"]
    text = body_text(mail)
    assert "Bent u geholpen?" in text and "Zorgcoöperatie Austerlitz" in text and "0343 123 456" in text
    html = mail.get_body(("html",)).get_content()
    assert "0343 123 456" in html
    yes = next(line for line in text.splitlines() if "/antwoord/" in line and line.endswith("/ja"))

    client = live.test_client()
    path = yes.replace("http://localhost", "")
    assert "Ja, ik ben geholpen" in client.get(path).text
    assert client.post(path).status_code == 200
    db.session.expire_all()
    assert db.session.get(type(req), req.id).status == DONE


def test_refused_mail_is_retried_with_growing_delays_then_dead(live, people, smtp_server, frozen):
    village, coordinator, resident = people
    smtp_server.handler.refuse_with = "451 4.3.0 Probeer het later"
    O.queue(respite_rules.CARER_CHECKIN, resident, payload={"round": 1})
    db.session.commit()

    delays = []
    for attempt in (1, 2):
        frozen(hours=attempt * 10)
        assert dispatcher.dispatch_due() == 1
        [row] = rows()
        assert row.status == O.FAILED and row.attempts == attempt and "451" in row.last_error
        delays.append(row.due_at - clock.now())
        assert dispatcher.dispatch_due() == 0  # not due again yet
    # base 60 s doubling with ±25 % jitter: 45–75 s, then 90–150 s
    assert timedelta(seconds=45) <= delays[0] <= timedelta(seconds=75)
    assert timedelta(seconds=90) <= delays[1] <= timedelta(seconds=150)

    frozen(hours=30)
    assert dispatcher.dispatch_due() == 1
    [row] = rows()
    assert row.status == O.DEAD and row.attempts == 3 and "451" in row.last_error
    assert smtp_server.messages == []

    # The coordinator is told (bell), and the home page shows it under "Niet bezorgd".
    rules.run_rules(rules=[rules.dead_mail_alert])
    dispatcher.run_until_idle()
    assert [r.title for r in rows(recipient_id=coordinator.id)] == ["Bericht niet bezorgd"]
    from tests.conftest import login_client
    with live.app_context():  # a fresh `g`, as every web request has
        home = login_client(live, coordinator).get("/")
    assert "Niet bezorgd (1)" in home.text and resident.full_name in home.text


def test_smtp_server_down_loses_nothing(live, people, frozen):
    village, coordinator, resident = people
    live.config["MAIL_PORT"] = free_port()  # nobody listens
    for n in range(3):
        O.queue(respite_rules.CARER_CHECKIN, resident, payload={"round": n})
    db.session.commit()
    assert dispatcher.dispatch_due() == 3
    assert {(r.status, r.attempts) for r in rows()} == {(O.FAILED, 1)}
    assert all("verbinding" in r.last_error for r in rows())


def test_a_crashed_claim_is_taken_again_after_the_lease(live, people, smtp_server, frozen):
    village, coordinator, resident = people
    row = O.queue(respite_rules.CARER_CHECKIN, resident, payload={"round": 1})
    db.session.commit()
    lease = timedelta(seconds=300)
    old_token, ids = dispatcher.claim(10, lease)  # this "process" dies here
    assert ids == [row.id]
    assert dispatcher.dispatch_due() == 0  # still held
    frozen(seconds=301)
    assert dispatcher.dispatch_due() == 1
    assert len(smtp_server.to(resident.email)) == 1

    # The dead process wakes up and tries to mark: its token no longer holds the row.
    stale = dispatcher.Round(token=old_token, policy=dispatcher.Policy.from_config(), deadline=clock.now())
    stale.failed(dispatcher.Outbound(id=row.id, attempts=0, channel=O.MAIL), "te laat")
    stale.flush()
    [after] = rows()
    assert after.status == O.SENT and after.last_error is None


def test_recipient_without_email_gets_in_app_and_coordinator_is_told_to_phone(live, live_make, people, frozen):
    village, coordinator, resident = people
    offline = live_make.user(village, R.RESIDENT, email=None, first_name="Gerrit", phone="+31612000111")
    O.queue(respite_rules.CARER_CHECKIN, offline, payload={"round": 1})
    db.session.commit()
    dispatcher.run_until_idle()
    [own] = rows(recipient_id=offline.id)
    assert own.channel == O.INAPP and own.status == O.SENT
    [note] = rows(recipient_id=coordinator.id)
    assert note.kind == O.PHONE_NEEDED and note.status == O.SENT
    assert note.title == "Bel Gerrit " + offline.last_name
    assert "06 12000111" in note.body


def test_address_removed_after_queueing_still_goes_in_app(live, people, frozen):
    village, coordinator, resident = people
    O.queue(respite_rules.CARER_CHECKIN, resident, payload={"round": 1})
    resident.email = None
    db.session.commit()
    dispatcher.run_until_idle()
    [own] = rows(recipient_id=resident.id)
    assert (own.channel, own.status) == (O.INAPP, O.SENT)
    assert [r.kind for r in rows(recipient_id=coordinator.id)] == [O.PHONE_NEEDED]


def test_a_follow_up_whose_reason_is_gone_is_cancelled_not_sent(live, people, smtp_server, frozen):
    village, coordinator, resident = people
    req = new_request(db.session, village, resident, status=MATCHED, flexible=True,
                      matched_at=clock.now() - timedelta(days=8))
    db.session.commit()
    rules.run_rules(rules=[request_rules.ask_if_helped])
    req.status = DONE  # the coordinator closed it before the mail went out
    db.session.commit()
    dispatcher.run_until_idle()
    [row] = rows(kind=request_rules.ASK_HELPED)
    assert row.status == O.CANCELLED and "afgerond" in row.last_error
    assert smtp_server.messages == []


def test_cancel_for_stops_pending_follow_ups(live, people, smtp_server, frozen):
    village, coordinator, resident = people
    O.queue(respite_rules.CARER_CHECKIN, resident, subject=resident, due_at=clock.now() + timedelta(hours=1))
    db.session.commit()
    assert O.cancel_for(resident) == 1
    db.session.commit()
    frozen(hours=2)
    assert dispatcher.run_until_idle() == 0
    assert smtp_server.messages == []


def test_one_connection_for_a_batch(live, people, smtp_server, frozen):
    village, coordinator, resident = people
    for n in range(25):
        O.queue(respite_rules.CARER_CHECKIN, resident, payload={"round": n})
    db.session.commit()
    assert dispatcher.run_until_idle() == 25
    ids = {m["Message-ID"] for m in smtp_server.messages}
    assert len(ids) == 25
    assert db.session.scalar(select(func.count()).select_from(O.FollowUp).where(O.FollowUp.status == O.SENT)) == 25


def test_at_most_mark_every_messages_are_accepted_but_unmarked(live, people, smtp_server, frozen, monkeypatch):
    """The repeat window, seen from the SMTP server: whenever it accepts a message, at most
    FOLLOWUP_MARK_EVERY messages it accepted are still unmarked in the database."""
    from sqlalchemy import create_engine, text
    village, coordinator, resident = people
    monkeypatch.setitem(live.config, "FOLLOWUP_MARK_EVERY", 3)
    monkeypatch.setitem(live.config, "FOLLOWUP_SMTP_CONNECTIONS", 3)
    for n in range(30):
        O.queue(respite_rules.CARER_CHECKIN, resident, payload={"round": n})
    db.session.commit()
    observer = create_engine(live.config["TEST_DATABASE_URL"])
    accepted, unmarked = [], []
    record = smtp_server.handler.handle_DATA

    async def watching(server, session, envelope):
        reply = await record(server, session, envelope)
        accepted.append(int(re.search(rb"X-Coop-Followup: (\d+)", envelope.content).group(1)))
        with observer.connect() as conn:
            sending = set(conn.execute(text("SELECT id FROM follow_ups WHERE status = 'sending'")).scalars())
        unmarked.append(len(sending & set(accepted)))
        return reply

    monkeypatch.setattr(smtp_server.handler, "handle_DATA", watching)
    try:
        assert dispatcher.run_until_idle() == 30
    finally:
        observer.dispose()
    assert len(accepted) == 30 and max(unmarked) <= 3
    assert {r.status for r in rows()} == {O.SENT}


def test_an_unknown_address_reads_as_plain_dutch_on_the_coordinators_home(live, people, smtp_server, frozen):
    """The receiving server refuses the address itself (at RCPT TO), as Gmail does for an
    account that no longer exists: the coordinator reads what that means, not the code."""
    village, coordinator, resident = people
    smtp_server.handler.refuse_rcpt_with = "550 5.1.1 <x@example.org>: Recipient address rejected: User unknown"
    O.queue(respite_rules.CARER_CHECKIN, resident, payload={"round": 1})
    db.session.commit()
    for attempt in (1, 2, 3):
        frozen(hours=attempt * 10)
        assert dispatcher.dispatch_due() == 1
    [row] = rows(recipient_id=resident.id)
    assert row.status == O.DEAD and row.last_error.startswith("550 5.1.1")
    from tests.conftest import login_client
    with live.app_context():
        home = login_client(live, coordinator).get("/").text
    assert "Dit e-mailadres bestaat niet (meer)." in home
    assert "Recipient address rejected" in home  # the server's words, folded away for whoever looks after mail
