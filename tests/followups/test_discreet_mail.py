"""Every kind of mail, sent through the real SMTP server: no header carries text that people
typed (names, descriptions, titles, notes). A subject shows on a locked phone's screen."""
from __future__ import annotations

import contextlib
from datetime import date, time, timedelta
from types import SimpleNamespace

from sqlalchemy import select

from coop.agreements import rules as agreement_rules
from coop.core import clock
from coop.core import outbox as O
from coop.core import roles as R
from coop.core.models import TaskCategory
from coop.followups import answers, dispatcher, rules
from coop.matching import service as matching
from coop.requests import rules as request_rules
from coop.requests.models import HelpRequest
from coop.respite import rules as respite_rules
from coop.respite import service as respite
from tests.respite.conftest import available

# Words people typed; none of them may reach a header. The description also tries to start a
# header of its own.
TYPED = {
    "resident": ("Geheimvoornaam", "Geheimachternaam"),
    "helper": ("Helpergeheim", "Helperachternaam"),
    "other_helper": ("Tweedegeheim", "Tweedeachternaam"),
    "carer": ("Mantelgeheim", "Mantelachternaam"),
    "cared_for": ("Naastegeheim", "Naasteachternaam"),
    "description": "Wilt u mij helpen naar het toilet te gaan\r\nBcc: afluisteraar@example.org",
    "title": "Afsprakengeheim over de thuiszorg",
    "note": "Notitiegeheim: hij valt vaak",
}
IN_APP_ONLY = {rules.DEAD_ALERT, O.PHONE_NEEDED}  # never mailed: they are notes in the coordinator's bell


def _words() -> list[str]:
    words = [w for pair in (TYPED[k] for k in ("resident", "helper", "other_helper", "carer", "cared_for"))
             for w in pair]
    return words + ["toilet", "afluisteraar", "Afsprakengeheim", "thuiszorg", "Notitiegeheim", "valt vaak"]


def _everything_queued(app, session, make, at):
    """Each kind of mail, queued by the code that queues it in real life."""
    start = at(2026, 3, 16, 9, 0)  # a Monday
    village = make.village()
    session.add(TaskCategory(village_id=village.id, code="respijt", name="Respijt: gezelschap", rule="open"))
    session.flush()
    coordinator = make.user(village, R.COORDINATOR, first_name="Marieke")
    make.user(village, R.MUNICIPALITY)  # the agreement review also goes to the gemeente
    resident = make.user(village, R.RESIDENT, first_name=TYPED["resident"][0], last_name=TYPED["resident"][1])
    helper = available(session, make.volunteer(village, categories=("boodschappen", "respijt"),
                                               first_name=TYPED["helper"][0], last_name=TYPED["helper"][1]))
    other = available(session, make.volunteer(village, categories=("respijt",), first_name=TYPED["other_helper"][0],
                                              last_name=TYPED["other_helper"][1]))
    helper.volunteer_profile.max_hours_month = other.volunteer_profile.max_hours_month = 40
    carer = make.user(village, R.RESIDENT, R.CARER, first_name=TYPED["carer"][0], last_name=TYPED["carer"][1])
    carer.created_at = start - timedelta(days=200)  # due for a CarerQol check-in
    cared_for = make.user(village, R.RESIDENT, email=None, first_name=TYPED["cared_for"][0],
                          last_name=TYPED["cared_for"][1])

    def request(**kw):
        req = HelpRequest(village_id=village.id, resident=resident, category=make.category(village, "boodschappen"),
                          description=TYPED["description"], lat=resident.lat, lon=resident.lon,
                          street=resident.street, house_number=resident.house_number, place=resident.place, **kw)
        session.add(req)
        session.flush()
        return req

    # A proposal, accepted: proposal.new to the helper, request.matched to both.
    matched = request(status="searching", on_date=date(2026, 3, 17), part_of_day="afternoon")
    proposal = matching.propose(matched, helper, by=coordinator, note=TYPED["note"])
    matching.accept(proposal, by=helper)
    # A request nobody took in time: an escalation to the coordinator.
    request(status="new", urgency="today", created_at=start - timedelta(days=3), status_changed_at=start)
    # Respite: booked, swapped (booked, changed, cancelled), reminders; the rest cancelled.
    respite.save_carer_profile(carer, by=coordinator, care_recipient=cared_for, routines=TYPED["note"])
    series = respite.request_respite(carer, by=carer, first_date=date(2026, 3, 18), start_time=time(14, 0),
                                     end_time=time(17, 0), freq="weekly", until=date(2026, 3, 25),
                                     notes=TYPED["note"]).respite_request
    respite.book_volunteer(series, helper, by=coordinator)
    respite.assign_shift(series.shifts[0], other, by=coordinator)
    respite.cancel_shift(series.shifts[1], by=coordinator)
    # Agreement review (the title is the coordinator's words), password reset, the periodic rules.
    agreement_rules.queue_agreement_reviews(clock.now(), [SimpleNamespace(
        id=1, village_id=village.id, title=TYPED["title"], review_on=date(2026, 4, 1))])
    from coop.auth.service import request_reset
    request_reset(resident.email, "127.0.0.1")
    # Account notices: failed logins, a changed password, a changed e-mail address (to the old one).
    from coop.auth import service as auth
    from coop.core.errors import DomainError
    for _ in range(app.config["LOGIN_FREE_FAILURES"]):
        with contextlib.suppress(DomainError):
            auth.authenticate(resident.email, "verkeerd-wachtwoord", "192.0.2.1")
    auth.set_password(helper, "een heel ander lang wachtwoord")
    auth.change_contact(other, email=f"nieuw-adres-{village.id}@example.nl", phone=None)
    # A new village's first coordinator gets a welcome with a link to choose a password.
    from coop.villages import service as villages
    villages.create_village(villages.NewVillage(
        name="Nieuwdorp", slug=f"nieuwdorp-{village.id}", cooperative_name="Zorgcoöperatie Nieuwdorp",
        centre_lat=52.1, centre_lon=5.3, phone="030 123 4567", municipality_id=village.municipality_id,
        new_municipality="", category_set="eenvoudig", coordinator_first_name=TYPED["other_helper"][0],
        coordinator_last_name=TYPED["other_helper"][1], coordinator_email=f"nieuw{village.id}@example.nl",
        coordinator_is_admin=True), by=coordinator)
    # Activities (the title is the coordinator's words): a place, the waiting list, a change, moving
    # up, the reminder the day before, and one that does not go on.
    from coop.activities import rules as activity_rules
    from coop.activities import service as activities
    plan = activities.ActivityInput(kind="meal", title=TYPED["title"], on_date=date(2026, 3, 17),
                                    start_time=time(14, 0), end_time=time(16, 0), venue="De Kapel", capacity=1)
    meal = activities.create(village.id, plan, by=coordinator)
    first = activities.sign_up(meal, resident, by=resident)
    activities.sign_up(meal, carer, by=carer)
    plan.venue = "Het Dorpshuis"
    activities.update(meal, plan, by=coordinator)
    activities.withdraw(first, by=resident)
    activity_rules.activity_reminders(clock.now() + timedelta(hours=2))  # from 10:00 the day before
    activities.sign_up(activities.create(village.id, activities.ActivityInput(
        kind="exercise", title=TYPED["title"], on_date=date(2026, 3, 24), start_time=time(10, 0),
        end_time=time(11, 0), venue="De Linde", capacity=5), by=coordinator), resident, by=resident)
    coffee = activities.create(village.id, activities.ActivityInput(
        kind="coffee", title=TYPED["title"], on_date=date(2026, 3, 20), start_time=time(10, 0),
        end_time=time(11, 0), venue="De Kapel", capacity=5), by=coordinator)
    activities.sign_up(coffee, resident, by=coordinator)
    activities.cancel(coffee, by=coordinator)
    # Members: a notice before the debit, a request to pay by transfer, a storno's reminder, a
    # message to all members.
    from coop.members import broadcast
    from coop.members import service as members
    from coop.members.models import Contribution, MemberSettings
    session.add(MemberSettings(village_id=village.id, creditor_id="NL69ZZZ123456780000", account_name="Coop",
                               iban="NL91ABNA0417164300", bic="ABNANL2A"))
    members.join(village, members.JoinInput(people=[resident], method="direct_debit", starts_on=date(2026, 1, 1),
                                            iban="NL20INGB0001234567", account_holder=resident.full_name,
                                            signed_on=date(2026, 1, 1)), by=coordinator)
    members.join(village, members.JoinInput(people=[carer], method="transfer", starts_on=date(2026, 1, 1)),
                 by=coordinator)
    members.run_year(village, 2026, date(2026, 4, 1), by=coordinator)
    debit = session.scalar(select(Contribution).where(Contribution.method == "direct_debit",
                                                      Contribution.village_id == village.id))
    members.record_return(debit, date(2026, 3, 16), "AM04", by=coordinator)
    broadcast.send(village, "leden", "Nieuws van de coöperatie", "Vrijdag is er koffie.", by=coordinator)
    # A phone circle named by the coordinator: nobody answers at the carer (her key holder and the
    # coordinator hear it at once), and the round is not confirmed in time.
    from coop.circles import rules as circle_rules
    from coop.circles import service as circles
    circle = circles.create_circle(village, name=TYPED["title"], start_time=time(9, 30), confirm_by=time(10, 0),
                                   members=[resident, carer], by=coordinator)
    at_the_carer = next(m for m in circle.members if m.person_id == carer.id)
    circles.set_key_holder(at_the_carer, key_holder=helper, relation="buurman", by=coordinator)
    circles.report_missed(circle, at_the_carer, by=coordinator)
    circle_rules.unconfirmed_rounds(clock.now() + timedelta(hours=2))
    # A rollator on loan: a reminder the day before it is due, and one when it is late.
    from coop.aids import rules as aid_rules
    from coop.aids import service as aids
    rollator = aids.add_item(village.id, kind="rollator", label="R-01", condition="good", by=coordinator)
    today = clock.local_now().date()
    aids.lend(rollator, resident, starts_on=today - timedelta(weeks=4), due_on=today + timedelta(days=1),
              by=coordinator)
    aid_rules.aid_loan_reminders(clock.now())
    aid_rules.aid_loan_reminders(clock.now() + timedelta(days=2))  # sent with the mails of that day
    respite_rules.carerqol_checkins(clock.now())
    rules.weekly_digest(clock.now())
    request_rules.escalate_unmatched(clock.now())
    session.commit()
    return SimpleNamespace(start=start, matched=matched)


def test_no_header_of_any_mail_carries_what_people_typed(app, session, make, smtp, at):
    world = _everything_queued(app, session, make, at)
    dispatcher.run_until_idle()
    # The day after: "Bent u geholpen?" to the resident; "nee" alerts the coordinator.
    at(2026, 3, 18, 12, 0)
    request_rules.ask_if_helped(clock.now())
    session.commit()
    dispatcher.run_until_idle()
    token = session.scalar(select(answers.AnswerToken).where(answers.AnswerToken.subject_id == world.matched.id))
    answers.record(answers.token_string(token), "nee")
    session.commit()
    dispatcher.run_until_idle()

    mails = smtp.messages
    kinds = {m["X-Coop-Followup"].split()[1] for m in mails}
    assert kinds == set(O._builders) - IN_APP_ONLY, "a kind of mail this test does not send"
    words = _words()
    for mail in mails:
        assert "Bcc" not in mail and mail.get_all("Subject") and len(mail.get_all("Subject")) == 1
        for name, value in mail.items():
            for word in words:
                assert word.lower() not in str(value).lower(), (mail["X-Coop-Followup"], name, value)
    # The words are in the mails, where they belong: in the text.
    bodies = " ".join(m.get_body(("plain",)).get_content() for m in mails)
    assert TYPED["resident"][0] in bodies and TYPED["cared_for"][0] in bodies


def test_subjects_are_written_from_the_category_and_the_date(app, session, make, smtp, at):
    _everything_queued(app, session, make, at)
    dispatcher.run_until_idle()
    subjects = {m["X-Coop-Followup"].split()[1]: m["Subject"] for m in smtp.messages}
    assert subjects["proposal.new"] == "Wilt u helpen? Boodschappen op dinsdag 17 maart"
    assert subjects[agreement_rules.AGREEMENT_REVIEW] == "Afspraken met de gemeente herzien voor 01-04-2026"
    assert subjects[request_rules.ESCALATION].startswith("Nog geen helper: hulpvraag ")


def test_a_flexible_request_says_so_in_the_subject(app, session, make, village, resident, coordinator, smtp, at):
    at(2026, 3, 16, 9, 0)
    helper = make.volunteer(village)
    req = HelpRequest(village_id=village.id, resident=resident, category=make.category(village, "gezelschap"),
                      description=TYPED["description"], status="searching", flexible=True, lat=resident.lat,
                      lon=resident.lon, street=resident.street, house_number=resident.house_number)
    session.add(req)
    session.flush()
    matching.propose(req, helper, by=coordinator)
    session.commit()
    dispatcher.run_until_idle()
    (mail,) = smtp.to(helper.email)
    assert mail["Subject"] == "Wilt u helpen? Gezelschap, dag in overleg"


def test_a_line_break_in_a_subject_or_header_cannot_start_a_header(app):
    from coop.core.mail import as_smtp_bytes, compose
    with app.app_context():
        for subject in ("Hallo\r\nBcc: afluisteraar@example.org", "Hé daar, een lange onderwerpregel met ë\n"
                        "Bcc: afluisteraar@example.org en nog veel meer woorden erachter om te vouwen"):
            msg = compose(to="bep@example.org", subject=subject, text="Tekst",
                          headers={"X-Coop-Followup": "1 kind\r\nBcc: afluisteraar@example.org"})
            raw = as_smtp_bytes(msg).decode("ascii")
            head = raw.split("\r\n\r\n", 1)[0]
            assert not any(line.lower().startswith("bcc:") for line in head.split("\r\n")), head
