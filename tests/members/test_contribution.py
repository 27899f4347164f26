"""The yearly run: once per year per household (running it again changes nothing), a notice
with amount and date at least 14 days before the debit, a payment request for those who pay by
transfer; a returned debit makes the household unpaid and a reminder goes out by real mail (and
on the bellijst for someone without e-mail); payments are recorded."""
from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy import func, select

from coop.core import outbox as O
from coop.core.calls import CallTask
from coop.followups import dispatcher
from coop.members import service
from coop.members.models import OPEN, PAID, RETURNED, Contribution, ContributionRun


def _run_form(**extra) -> dict:
    return {"form_token": secrets.token_urlsafe(24), "year": "2026", "collection_date-day": "1",
            "collection_date-month": "4", "collection_date-year": "2026", **extra}


def _counts(session) -> tuple[int, ...]:
    return tuple(session.scalar(select(func.count(m.id))) for m in (Contribution, ContributionRun, O.FollowUp,
                                                                     CallTask))


def test_the_yearly_run_is_idempotent(session, village, coordinator, bank, join, bep, piet, client_as):
    join(bep)
    join(piet, debit=False)
    client = client_as(coordinator)
    first = client.post("/leden/contributie", data=_run_form(), follow_redirects=True)
    assert "De contributie voor 2026 staat klaar: 1 per incasso, 1 zelf overmaken" in first.text
    after_first = _counts(session)
    assert after_first[:2] == (2, 1)
    again = client.post("/leden/contributie", data=_run_form(), follow_redirects=True)
    assert "Er is niets veranderd" in again.text
    assert _counts(session) == after_first
    assert service.run_year(village, 2026, date(2026, 4, 1), by=coordinator) is None
    assert _counts(session) == after_first
    # A household that joins later is charged by the next run, and only that one.
    late = join(_resident(session, village))
    run = service.run_year(village, 2026, date(2026, 4, 1), by=coordinator)
    assert [c.household_id for c in session.scalars(select(Contribution).where(Contribution.run_id == run.id))] \
        == [late.id]


def _resident(session, village):
    from coop.core import roles as R
    from coop.core.models import User
    person = User(village=village, first_name="Els", last_name="Smit", email=f"els{village.id}@example.nl")
    person.add_role(R.RESIDENT)
    session.add(person)
    session.flush()
    return person


def test_the_collection_date_leaves_14_days_for_the_notice(session, village, coordinator, bank, join, bep, client_as):
    join(bep)
    before = _counts(session)
    response = client_as(coordinator).post("/leden/contributie", data=_run_form(**{"collection_date-day": "15",
                                                                                   "collection_date-month": "3"}))
    assert response.status_code == 422
    assert "De incassodatum moet minstens 14 dagen na vandaag liggen, op 16 maart 2026 of later" in response.text
    assert _counts(session) == before


def test_members_hear_amount_and_date_before_the_debit(app, session, village, coordinator, bank, join, bep, piet,
                                                       smtp):
    join(bep)
    join(piet, debit=False)
    service.run_year(village, 2026, date(2026, 4, 1), by=coordinator)
    session.commit()
    dispatcher.run_until_idle()
    mails = [m for m in smtp.messages if m["To"] == bep.email]
    assert len(mails) == 1
    text = mails[0].get_body(("plain",)).get_content()
    assert "€\xa025,00" in text and "1 april 2026" in text and bank.creditor_id in text
    assert "eindigend op 4567" in text and "NL20INGB0001234567" not in text  # the account, not all of it
    # Piet has no e-mail: the request to pay is a call on the bellijst, with what to say.
    call = session.scalar(select(CallTask).where(CallTask.person_id == piet.id))
    assert call is not None and call.kind == service.INVOICE
    from coop.calllist import service as calllist
    [due] = [c for c in calllist.calls_due(village.id) if c.task.id == call.id]
    assert "Contributie 2026 lid 2" in due.what_to_say and "NL91ABNA0417164300" in due.what_to_say


def test_a_returned_debit_makes_the_household_unpaid_and_a_reminder_goes_out(
        app, session, village, coordinator, bank, join, bep, client_as, smtp):
    household = join(bep)
    service.run_year(village, 2026, date(2026, 4, 1), by=coordinator)
    contribution = session.scalar(select(Contribution))
    record_pay = client_as(coordinator).post(f"/leden/{household.id}/betaald/{contribution.id}", data={
        f"betaald-{contribution.id}-paid_on-day": "2", f"betaald-{contribution.id}-paid_on-month": "3",
        f"betaald-{contribution.id}-paid_on-year": "2026"})
    assert record_pay.status_code == 302 and session.get(Contribution, contribution.id).status == PAID
    session.commit()
    dispatcher.run_until_idle()
    smtp.clear()
    prefix = f"storno-{contribution.id}"
    refused = client_as(coordinator).post(f"/leden/{household.id}/storno/{contribution.id}", data={
        f"{prefix}-returned_on-day": "2", f"{prefix}-returned_on-month": "3", f"{prefix}-returned_on-year": "2026",
        f"{prefix}-reason": ""})
    assert refused.status_code == 422 and "Kies de reden" in refused.text
    assert session.get(Contribution, contribution.id).status == PAID
    response = client_as(coordinator).post(f"/leden/{household.id}/storno/{contribution.id}", data={
        f"{prefix}-returned_on-day": "2", f"{prefix}-returned_on-month": "3", f"{prefix}-returned_on-year": "2026",
        f"{prefix}-reason": "AM04"})
    assert response.status_code == 302
    contribution = session.get(Contribution, contribution.id)
    assert contribution.status == RETURNED and contribution.unpaid and contribution.paid_on is None
    assert [c.id for c in service.transfer_list(village.id, 2026)] == [contribution.id]
    session.commit()
    dispatcher.run_until_idle()
    [mail] = smtp.messages
    assert mail["To"] == bep.email and mail["Subject"] == "Herinnering: uw contributie"
    text = mail.get_body(("plain",)).get_content()
    assert "teruggeboekt (onvoldoende saldo)" in text and "Contributie 2026 lid 1" in text
    assert "NL91ABNA0417164300" in text
    # One reminder a day, however often the button is pressed.
    client_as(coordinator).post(f"/leden/{household.id}/herinnering/{contribution.id}")
    assert session.scalar(select(func.count(O.FollowUp.id)).where(O.FollowUp.kind == service.REMINDER)) == 1


def test_a_reminder_without_e_mail_goes_on_the_bellijst(session, village, coordinator, bank, join, piet, client_as):
    household = join(piet, debit=False)
    service.run_year(village, 2026, date(2026, 3, 16), by=coordinator)
    contribution = session.scalar(select(Contribution))
    assert contribution.status == OPEN
    response = client_as(coordinator).post(f"/leden/{household.id}/herinnering/{contribution.id}",
                                           follow_redirects=True)
    assert "De herinnering gaat vandaag weg." in response.text
    kinds = session.scalars(select(CallTask.kind).where(CallTask.person_id == piet.id)).all()
    assert sorted(kinds) == sorted([service.INVOICE, service.REMINDER])
    page = client_as(coordinator).get("/bellijst/").text
    assert "Herinnering: uw contributie" in page and "Contributie 2026 lid 1" in page


def test_the_transfer_list_prints_and_downloads(session, village, coordinator, bank, join, bep, piet, client_as):
    join(bep)
    join(piet, debit=False)
    service.run_year(village, 2026, date(2026, 4, 1), by=coordinator)
    page = client_as(coordinator).get("/leden/contributie/overmaken?jaar=2026").text
    assert "Piet Visser" in page and "Contributie 2026 lid 2" in page and "Bep Jansen" not in page
    csv = client_as(coordinator).get("/leden/contributie/overmaken.csv?jaar=2026").text
    assert "Contributie 2026 lid 2;" in csv and "25,00" in csv and "Bep" not in csv
    xml = client_as(coordinator).get(f"/leden/contributie/{session.scalar(select(ContributionRun.id))}/incasso.xml")
    assert xml.status_code == 200 and b"pain.008.001.02" in xml.data and b"Bep Jansen" in xml.data
