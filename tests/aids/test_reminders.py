"""A reminder a few days before a loan is due, and one when it is overdue: to the resident by
mail through the real SMTP server on loopback, or on the bellijst without an e-mail address;
each once, however often the rule runs."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from coop.aids import rules, service
from coop.core import clock
from coop.core import outbox as O
from coop.core.calls import CallTask
from coop.followups.dispatcher import run_until_idle
from coop.followups.rules import run_rules
from tests.aids.conftest import MONDAY, TODAY
from tests.support.smtp import body_text


def _run(at):
    clock.freeze(at)
    return run_rules(at, rules=[rules.aid_loan_reminders])["aid_loan_reminders"]


def test_due_soon_and_overdue_mails_go_once_each(session, smtp, coordinator, resident, rollator):
    service.lend(rollator, resident, starts_on=TODAY - timedelta(weeks=4), due_on=TODAY + timedelta(days=5),
                 by=coordinator)
    session.commit()
    assert _run(MONDAY) == 0  # five days ahead: not yet
    two_days_before = MONDAY + timedelta(days=3)
    assert _run(two_days_before) == 1
    assert _run(two_days_before + timedelta(hours=1)) == 0  # once
    run_until_idle()
    (mail,) = smtp.to(resident.email)
    assert mail["Subject"] == "Herinnering: hulpmiddel terugbrengen"
    text = body_text(mail)
    assert "een rollator (R-01)" in text and "tot 21 maart 2026" in text and "0343 123 456" in text
    smtp.clear()

    late = MONDAY + timedelta(days=6)
    assert _run(late) == 1
    assert _run(late + timedelta(days=1)) == 0  # still overdue the next day: no second reminder
    run_until_idle()
    (mail,) = smtp.to(resident.email)
    assert mail["Subject"] == "Wilt u het hulpmiddel terugbrengen?"
    assert "Dat zou terug zijn op 21 maart 2026" in body_text(mail)


def test_an_extension_gets_its_own_reminder_and_a_return_cancels_what_waits(session, smtp, coordinator, resident,
                                                                           rollator):
    loan = service.lend(rollator, resident, starts_on=TODAY, due_on=TODAY + timedelta(days=2), by=coordinator)
    session.commit()
    assert _run(MONDAY) == 1
    service.extend(loan, due_on=TODAY + timedelta(days=3), by=coordinator)
    session.commit()
    waiting = session.scalars(select(O.FollowUp).where(O.FollowUp.kind == service.DUE_SOON)).all()
    assert [row.status for row in waiting] == [O.CANCELLED]  # it named the old date
    assert _run(MONDAY + timedelta(minutes=1)) == 1  # the new date's reminder
    service.record_return(loan, returned_on=TODAY, condition="good", by=coordinator)
    session.commit()
    run_until_idle()
    assert smtp.to(resident.email) == []  # returned before anything went out
    assert _run(MONDAY + timedelta(days=5)) == 0  # nothing to remind of any more


def test_without_e_mail_the_reminder_is_a_call_on_the_bellijst(session, client_as, coordinator, without_email,
                                                              rollator):
    service.lend(rollator, without_email, starts_on=TODAY - timedelta(weeks=6), due_on=TODAY - timedelta(days=1),
                 by=coordinator)
    session.commit()
    assert _run(MONDAY) == 1
    assert _run(MONDAY + timedelta(hours=2)) == 0
    (call,) = session.scalars(select(CallTask).where(CallTask.person_id == without_email.id)).all()
    assert call.kind == service.OVERDUE
    page = client_as(coordinator).get("/bellijst/").text
    assert "Piet Visser" in page and "Wilt u het hulpmiddel terugbrengen?" in page and "rollator (R-01)" in page
    home = client_as(coordinator).get("/").text
    assert "Te laat terug" in home and "Piet Visser" in home
