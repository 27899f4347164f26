"""Reminders the day before (once), attendance in the figures (small counts hidden, the
gemeente's overview too), and the activity in a helping volunteer's calendar feed."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from icalendar import Calendar
from sqlalchemy import func, select

from coop.activities import rules, service
from coop.core import clock
from coop.core import outbox as O
from coop.core.clock import LOCAL
from coop.reports import attendance, municipality, report
from coop.reports.suppression import grid_lines, is_safe
from coop.respite import calendar


def _reminders(session) -> list[O.FollowUp]:
    return session.scalars(select(O.FollowUp).where(O.FollowUp.kind == "activity.reminder")
                           .order_by(O.FollowUp.id)).all()


def test_a_reminder_goes_out_once_from_ten_the_day_before(plan, people, coordinator, session, smtp):
    from coop.followups.dispatcher import dispatch_due
    meal = plan(capacity=5)
    service.sign_up(meal, people["bep"], by=people["bep"])
    service.sign_up(meal, people["piet"], by=coordinator)
    session.commit()
    assert rules.activity_reminders(datetime(2026, 3, 18, 9, 59, tzinfo=LOCAL)) == 0  # not yet
    at = datetime(2026, 3, 18, 10, 0, tzinfo=LOCAL)
    clock.freeze(at)
    assert rules.activity_reminders(at) == 2
    assert rules.activity_reminders(at + timedelta(minutes=1)) == 0  # once
    assert rules.activity_reminders(at + timedelta(hours=8)) == 0
    assert len(_reminders(session)) == 2
    session.commit()
    dispatch_due()
    subject = "Morgen: uw activiteit van donderdag 19 maart"
    (mail,) = [m for m in smtp.to(people["bep"].email) if m["Subject"] == subject]
    assert "Tot morgen! Austerlitz Eet: donderdag 19 maart 2026 van 17:30 tot 19:30" in \
        mail.get_body(("plain",)).get_content()
    piet_reminder = next(r for r in _reminders(session) if r.recipient_id == people["piet"].id)
    from coop.core.calls import CallTask
    assert session.scalar(select(func.count(CallTask.id)).where(CallTask.followup_id == piet_reminder.id)) == 1


def test_someone_who_withdrew_gets_no_reminder(plan, people, session):
    meal = plan(capacity=5)
    signup = service.sign_up(meal, people["bep"], by=people["bep"])
    service.withdraw(signup, by=people["bep"])
    assert rules.activity_reminders(datetime(2026, 3, 18, 12, 0, tzinfo=LOCAL)) == 0


def _held(plan, people, make, village, coordinator, kind, n_present, on=date(2026, 3, 19)):
    """An activity on `on` where n_present people came."""
    activity = plan(capacity=40, kind=kind, title=f"{kind} {n_present}", on_date=on)
    signups = [service.sign_up(activity, make.user(village, "resident"), by=coordinator) for _ in range(n_present + 1)]
    clock.freeze(activity.starts_at.astimezone(UTC))
    service.record_attendance(activity, {s.id for s in signups[:n_present]}, by=coordinator)
    return activity


def test_attendance_counts_per_month_and_kind_with_small_counts_hidden(plan, people, make, village, coordinator,
                                                                       session):
    _held(plan, people, make, village, coordinator, "meal", 7)
    clock.freeze(datetime(2026, 3, 16, 9, 0, tzinfo=UTC))
    _held(plan, people, make, village, coordinator, "coffee", 6)
    clock.freeze(datetime(2026, 3, 16, 9, 0, tzinfo=UTC))
    _held(plan, people, make, village, coordinator, "exercise", 2, on=date(2026, 4, 2))
    session.flush()
    grid = attendance.protected_grid(village.id, 2026, 5)
    assert (grid[(3, "meal")].value, grid[(3, "coffee")].value, grid[(4, "exercise")].value) == (7, 6, 2)
    assert grid[(None, None)].value == 15  # who did not come counts nothing
    months, kinds = list(range(1, 13)), ["coffee", "meal", "exercise", "outing"]
    assert is_safe(grid, grid_lines(months, kinds))  # no hidden count can be worked back
    table = report.build(village, 2026).table("ontmoeting")
    col = table.columns.index
    april = table.rows[3]
    assert april[0] == "april" and april[col("Bewegen")] == "< 5"
    march = table.rows[2]
    assert march[col("Totaal")] == "13" and table.total[col("Samen eten")] == "7"
    assert table.total[col("Bewegen")] == "< 5" and "2" not in april + table.total
    # March's 7 and 6 next to its hidden zeros would show that nothing else happened in March.
    assert march[col("Samen eten")] == march[col("Koffieochtend")] == "afgeschermd"


def test_the_gemeente_sees_each_villages_attendance_and_a_sum_only_where_nothing_is_hidden(
        plan, people, make, village, coordinator, session):
    _held(plan, people, make, village, coordinator, "meal", 6)
    clock.freeze(datetime(2026, 3, 16, 9, 0, tzinfo=UTC))
    _held(plan, people, make, village, coordinator, "outing", 1)
    session.flush()
    built = municipality.build(village.municipality, 2026)
    table = built.table("gemeente_ontmoeting")
    (row,) = table.rows
    assert row[0] == village.name and row[table.columns.index("Samen eten")] == "6"
    assert row[table.columns.index("Uitje")] == "< 5"
    assert table.total[table.columns.index("Samen eten")] == "6"
    assert table.total[table.columns.index("Uitje")] == "afgeschermd"
    village_year = report.build(village, 2026).table("ontmoeting").total
    assert row[1:] == village_year[1:]  # the same figures as the village's own report


def test_the_activity_is_in_the_calendar_feed_of_a_volunteer_who_helps(plan, people, volunteer, make, village,
                                                                       coordinator, client, session):
    meal = plan(capacity=5)
    other = plan(capacity=5, title="Koffieochtend", kind="coffee", start=time(10), end=time(11, 30))
    service.sign_up(meal, people["bep"], by=people["bep"])
    service.add_helper(meal, volunteer, by=coordinator)
    token = calendar.create_feed(volunteer)
    session.commit()
    response = client.get(f"/agenda/{token}.ics")
    assert response.status_code == 200
    events = [c for c in Calendar.from_ical(response.data).walk("VEVENT")]
    (event,) = [e for e in events if str(e["uid"]).startswith("activity-")]
    assert str(event["summary"]) == "Helpen bij Austerlitz Eet"
    assert event.decoded("dtstart") == datetime(2026, 3, 19, 17, 30, tzinfo=LOCAL)
    assert event.decoded("dtend") == datetime(2026, 3, 19, 19, 30, tzinfo=LOCAL)
    assert str(event["location"]) == "Dorpshuis De Kapel, Dorpsstraat 12, Austerlitz"
    assert "Bep" not in response.get_data(as_text=True)
    assert other.title not in response.get_data(as_text=True)
    service.cancel(meal, by=coordinator)
    session.commit()
    assert b"activity-" not in client.get(f"/agenda/{token}.ics").data
