"""The rules wired to agreements and respite, and the links in real mails."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from coop.agreements import rules as agreement_rules
from coop.core import clock
from coop.core import outbox as O
from coop.core.clock import LOCAL
from coop.core.models import TaskCategory
from coop.extensions import db
from coop.followups import dispatcher, rules
from coop.people.models import HoursEntry
from coop.requests import rules as request_rules
from coop.requests.models import SEARCHING
from coop.respite import carerqol
from coop.respite import rules as respite_rules
from coop.respite.digest import HEADING
from coop.respite.models import RespiteRequest, RespiteShift
from tests.conftest import login_client
from tests.followups.conftest import queued
from tests.support.smtp import body_text


def built(app, row):
    with app.test_request_context(base_url=app.config["BASE_URL"]):
        return O.build_message(row)


def test_agreement_review_fires_once_thirty_days_before_with_a_link(app, session, village, coordinator,
                                                                    municipality_user, at):
    from coop.agreements import service
    from tests.agreements.conftest import agree
    at(2026, 1, 5, 9, 0)
    agreement = service.create_agreement(
        village, by=coordinator, title="Wie doet wat", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31),
        review_on=date(2026, 7, 1))
    agree(agreement.latest, coordinator, municipality_user)
    session.flush()
    at(2026, 5, 31, 23, 59)
    assert agreement_rules.agreement_reviews(clock.now()) == 0  # 31 days ahead
    at(2026, 6, 1, 0, 0)
    assert agreement_rules.agreement_reviews(clock.now()) == 3  # coordinator by mail and bell, gemeente by mail
    assert agreement_rules.agreement_reviews(clock.now()) == 0
    rows = queued(session, agreement_rules.AGREEMENT_REVIEW)
    assert {(r.recipient_id, r.channel) for r in rows} == {
        (coordinator.id, O.MAIL), (coordinator.id, O.INAPP), (municipality_user.id, O.MAIL)}
    message = built(app, next(r for r in rows if r.channel == O.MAIL))
    assert f"/afspraken/{agreement.id}" in message.text and "01-07-2026" in message.subject


def test_agreement_without_an_agreed_version_is_not_reminded(session, village, coordinator, at):
    from coop.agreements import service
    at(2026, 1, 5, 9, 0)
    service.create_agreement(village, by=coordinator, title="Concept", starts_on=date(2026, 1, 1),
                             ends_on=date(2026, 12, 31), review_on=date(2026, 2, 1))
    session.flush()
    at(2026, 1, 20, 9, 0)
    assert agreement_rules.agreement_reviews(clock.now()) == 0


def test_carerqol_counts_from_the_last_check_in(app, session, village, carer, at):
    carer.created_at = at(2026, 1, 15, 12, 0)
    at(2026, 3, 1, 10, 0)
    carerqol.submit(carer, by=carer, answers={name: 1 for name, _, _ in carerqol.DIMENSIONS}, vas=7)
    session.flush()
    at(2026, 4, 15, 12, 0)  # three months after joining, but six weeks after the check-in
    assert respite_rules.carerqol_checkins(clock.now()) == 0
    at(2026, 5, 31, 23, 0)
    assert respite_rules.carerqol_checkins(clock.now()) == 0
    at(2026, 6, 1, 10, 0)
    assert respite_rules.carerqol_checkins(clock.now()) == 1
    assert respite_rules.carerqol_checkins(clock.now()) == 0
    [row] = queued(session, respite_rules.CARER_CHECKIN)
    assert row.recipient_id == carer.id and row.payload["round"] == 1
    assert "/hoe-gaat-het" in built(app, row).text


def respite_shift(session, village, carer, resident, start, *, hours=3, status=RespiteShift.OPEN, volunteer=None):
    category = session.scalar(select(TaskCategory).where(TaskCategory.village_id == village.id,
                                                         TaskCategory.code == "respijt"))
    if category is None:
        category = TaskCategory(village_id=village.id, code="respijt", name="Respijt", rule=TaskCategory.OPEN)
        session.add(category)
        session.flush()
    req = RespiteRequest(village_id=village.id, carer_id=carer.id, care_recipient_id=resident.id,
                         category_id=category.id, start_time=start.astimezone(LOCAL).time(),
                         end_time=(start + timedelta(hours=hours)).astimezone(LOCAL).time())
    shift = RespiteShift(village_id=village.id, respite_request=req, starts_at=start,
                         ends_at=start + timedelta(hours=hours), status=status,
                         volunteer_id=volunteer.id if volunteer else None)
    session.add_all([req, shift])
    session.flush()
    return shift


def test_weekly_digest_lists_open_respite_shifts_of_the_coming_week(app, session, village, coordinator, carer,
                                                                   resident, volunteer, at):
    monday = at(2026, 3, 2, 8, 0)
    respite_shift(session, village, carer, resident, datetime.combine(date(2026, 3, 4), time(14), LOCAL))
    respite_shift(session, village, carer, resident, datetime.combine(date(2026, 3, 5), time(14), LOCAL),
                  status=RespiteShift.BOOKED, volunteer=volunteer)
    respite_shift(session, village, carer, resident, monday + timedelta(days=8))  # later than a week
    assert rules.weekly_digest(clock.now()) == 1
    [row] = queued(session, rules.DIGEST)
    text = built(app, row).text
    assert HEADING in text
    assert "woensdag 4 maart 14:00–17:00, bij Truus Visser" in text
    assert "donderdag 5 maart" not in text and "10 maart" not in text


def test_digest_without_open_shifts_has_no_respite_section(app, session, village, coordinator, at):
    at(2026, 3, 2, 8, 0)
    rules.weekly_digest(clock.now())
    [row] = queued(session, rules.DIGEST)
    assert HEADING not in built(app, row).text


def test_finished_shifts_become_hours_without_anyone_opening_a_page(session, village, carer, resident,
                                                                   volunteer, at):
    start = at(2026, 3, 2, 14, 0)
    shift = respite_shift(session, village, carer, resident, start, status=RespiteShift.BOOKED, volunteer=volunteer)
    assert rules.run_rules(rules=[respite_rules.respite_shift_hours]) == {"respite_shift_hours": 0}  # not over yet
    at(2026, 3, 2, 17, 0)
    assert rules.run_rules(rules=[respite_rules.respite_shift_hours]) == {"respite_shift_hours": 1}
    assert rules.run_rules(rules=[respite_rules.respite_shift_hours]) == {"respite_shift_hours": 0}
    [entry] = session.scalars(select(HoursEntry).where(HoursEntry.source_id == shift.id))
    assert (entry.helper_id, entry.hours, entry.status) == (volunteer.id, 3, HoursEntry.DRAFT)


def test_escalation_mail_links_to_the_request_page(app, session, smtp, village, coordinator, resident, make_request):
    req = make_request(village, resident, status=SEARCHING, urgency="today",
                       created_at=clock.now() - timedelta(hours=5))
    session.commit()
    assert rules.run_rules(rules=[request_rules.escalate_unmatched]) == {"escalate_unmatched": 2}
    assert dispatcher.run_until_idle() == 2
    [mail] = smtp.to(coordinator.email)
    link = re.search(r"https?://\S+/hulpvragen/\d+", body_text(mail)).group(0)
    assert link.endswith(f"/hulpvragen/{req.id}")
    page = login_client(app, coordinator).get(link.replace("http://localhost", ""))
    assert page.status_code == 200 and resident.full_name in page.text


def test_not_helped_mail_links_to_the_request_page(app, session, smtp, village, coordinator, resident,
                                                   make_request):
    req = make_request(village, resident, status=SEARCHING)
    O.queue(request_rules.NOT_HELPED, coordinator, payload={"request_id": req.id}, subject=req)
    session.commit()
    assert dispatcher.run_until_idle() == 1
    [mail] = smtp.to(coordinator.email)
    link = re.search(r"https?://\S+/hulpvragen/\d+", body_text(mail)).group(0)
    assert link.endswith(f"/hulpvragen/{req.id}")
    assert login_client(app, coordinator).get(link.replace("http://localhost", "")).status_code == 200


def test_a_link_to_a_missing_page_fails_the_message_instead_of_pointing_home(app, session, smtp, village,
                                                                             coordinator):
    O.queue(agreement_rules.AGREEMENT_REVIEW, coordinator,
            payload={"agreement_id": None, "title": "Zonder pagina", "review_on": "2026-07-01"})
    session.commit()
    dispatcher.run_until_idle()
    [row] = queued(session, agreement_rules.AGREEMENT_REVIEW)
    db.session.refresh(row)
    assert row.status == O.FAILED and "opmaak mislukt" in row.last_error
    assert smtp.to(coordinator.email) == []
