"""Each periodic rule fires at the right moment, once (clock frozen)."""
from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from coop.agreements import rules as agreement_rules
from coop.core import clock
from coop.core import outbox as O
from coop.core import roles as R
from coop.followups import rules
from coop.followups.models import AnswerToken, FollowUpSettings
from coop.requests import rules as request_rules
from coop.requests.models import MATCHED, SEARCHING
from coop.respite import rules as respite_rules
from tests.followups.conftest import queued


def test_ask_helped_a_day_after_the_agreed_date(session, village, resident, make_request, at):
    now = at(2026, 3, 2, 9, 0)
    req = make_request(village, resident, status=MATCHED, on_date=date(2026, 3, 3), matched_at=now)
    at(2026, 3, 4, 9, 59)
    assert request_rules.ask_if_helped(clock.now()) == 0
    at(2026, 3, 4, 10, 0)
    assert request_rules.ask_if_helped(clock.now()) == 1
    assert request_rules.ask_if_helped(clock.now()) == 0  # once
    [row] = queued(session, request_rules.ASK_HELPED)
    assert row.recipient_id == resident.id and row.subject_id == req.id
    token = session.get(AnswerToken, row.payload["token_id"])
    assert token.subject_id == req.id and token.used_at is None


def test_ask_helped_after_window_end_and_for_flexible_requests(session, village, resident, make_request, at):
    now = at(2026, 3, 2, 9, 0)
    window = make_request(village, resident, status=MATCHED, matched_at=now,
                          window_start=now + timedelta(hours=2), window_end=now + timedelta(hours=4))
    flexible = make_request(village, resident, status=MATCHED, flexible=True, matched_at=now)
    clock.freeze(now + timedelta(hours=27, minutes=59))
    assert request_rules.ask_if_helped(clock.now()) == 0
    clock.freeze(now + timedelta(hours=28))
    assert request_rules.ask_if_helped(clock.now()) == 1
    clock.freeze(now + timedelta(days=7))
    assert request_rules.ask_if_helped(clock.now()) == 1
    assert [r.subject_id for r in queued(session, request_rules.ASK_HELPED)] == [window.id, flexible.id]


@pytest.mark.parametrize("urgency, limit", [("today", timedelta(hours=4)), ("week", timedelta(days=2)),
                                            ("no_rush", timedelta(days=7))])
def test_escalation_by_urgency_once_per_request(session, make, village, coordinator, resident,
                                                make_request, at, urgency, limit):
    second = make.user(village, R.COORDINATOR)
    start = at(2026, 3, 2, 9, 0)
    make_request(village, resident, status=SEARCHING, urgency=urgency, created_at=start)
    clock.freeze(start + limit - timedelta(minutes=1))
    assert request_rules.escalate_unmatched(clock.now()) == 0
    clock.freeze(start + limit)
    assert request_rules.escalate_unmatched(clock.now()) == 4  # two coordinators, by mail and in the bell
    assert request_rules.escalate_unmatched(clock.now()) == 0
    rows = queued(session, request_rules.ESCALATION)
    assert {(r.recipient_id, r.channel) for r in rows} == {
        (coordinator.id, O.MAIL), (coordinator.id, O.INAPP), (second.id, O.MAIL), (second.id, O.INAPP)}


def test_escalation_limit_is_set_per_village(session, village, coordinator, resident, make_request, at):
    session.add(FollowUpSettings(village_id=village.id, escalate_today_hours=1))
    start = at(2026, 3, 2, 9, 0)
    make_request(village, resident, status="new", urgency="today", created_at=start)
    clock.freeze(start + timedelta(minutes=59))
    assert request_rules.escalate_unmatched(clock.now()) == 0
    clock.freeze(start + timedelta(hours=1))
    assert request_rules.escalate_unmatched(clock.now()) == 2


def test_reopened_request_escalates_again_from_the_reopening(session, village, coordinator, resident,
                                                             make_request, at):
    start = at(2026, 3, 2, 9, 0)
    make_request(village, resident, status=SEARCHING, urgency="today", created_at=start - timedelta(days=10),
                 matched_at=start - timedelta(days=5), status_changed_at=start)
    clock.freeze(start + timedelta(hours=3))
    assert request_rules.escalate_unmatched(clock.now()) == 0
    clock.freeze(start + timedelta(hours=4))
    assert request_rules.escalate_unmatched(clock.now()) == 2


def test_carerqol_check_in_every_three_months(session, make, village, at):
    start = at(2026, 1, 15, 12, 0)
    carer = make.user(village, R.RESIDENT, R.CARER)
    carer.created_at = start
    make.user(village, R.RESIDENT)  # not a carer: never asked
    at(2026, 4, 15, 11, 0)
    assert respite_rules.carerqol_checkins(clock.now()) == 0
    at(2026, 4, 15, 12, 0)
    assert respite_rules.carerqol_checkins(clock.now()) == 1
    assert respite_rules.carerqol_checkins(clock.now()) == 0
    at(2026, 7, 15, 12, 0)
    assert respite_rules.carerqol_checkins(clock.now()) == 1
    assert [r.payload["round"] for r in queued(session, respite_rules.CARER_CHECKIN)] == [1, 2]


def test_weekly_digest_once_per_coordinator_per_iso_week(session, village, coordinator, at):
    at(2026, 3, 2, 7, 59)  # a Monday
    assert rules.weekly_digest(clock.now()) == 0
    at(2026, 3, 2, 8, 0)
    assert rules.weekly_digest(clock.now()) == 1
    at(2026, 3, 6, 15, 0)
    assert rules.weekly_digest(clock.now()) == 0
    at(2026, 3, 9, 8, 0)
    assert rules.weekly_digest(clock.now()) == 1
    assert [r.payload["week"] for r in queued(session, rules.DIGEST)] == ["2026-W10", "2026-W11"]


def test_agreement_review_thirty_days_ahead_to_coordinator_and_gemeente(session, village, coordinator,
                                                                        municipality_user, at):
    at(2026, 3, 2, 9, 0)
    agreement = SimpleNamespace(id=7, village_id=village.id, title="Afspraken 2026", review_on=date(2026, 4, 2))
    assert agreement_rules.queue_agreement_reviews(clock.now(), [agreement]) == 0  # 31 days ahead
    at(2026, 3, 3, 9, 0)
    assert agreement_rules.queue_agreement_reviews(clock.now(), [agreement]) == 3
    assert agreement_rules.queue_agreement_reviews(clock.now(), [agreement]) == 0
    rows = queued(session, agreement_rules.AGREEMENT_REVIEW)
    assert {r.recipient_id for r in rows} == {coordinator.id, municipality_user.id}


def test_dead_mail_alerts_coordinators_once_per_new_dead_row(session, village, coordinator, resident, at):
    at(2026, 3, 2, 9, 0)
    row = O.queue(respite_rules.CARER_CHECKIN, resident)
    session.flush()
    assert rules.dead_mail_alert(clock.now()) == 0
    row.status = O.DEAD
    session.flush()
    assert rules.dead_mail_alert(clock.now()) == 1
    assert rules.dead_mail_alert(clock.now()) == 0
    [alert] = queued(session, rules.DEAD_ALERT)
    assert (alert.recipient_id, alert.channel, alert.payload["count"]) == (coordinator.id, O.INAPP, 1)


def test_run_rules_keeps_going_when_one_rule_fails(session, village, coordinator, at):
    at(2026, 3, 2, 9, 0)

    def broken(moment):
        raise RuntimeError("kapot")
    session.commit()  # the people exist before the rules run (a failing rule rolls back its own work)
    assert rules.run_rules(rules=[broken, rules.weekly_digest]) == {"broken": -1, "weekly_digest": 1}
