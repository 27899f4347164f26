"""The demo's respite: carer profiles, a weekly series with a volunteer (one week clashes with
her holiday), a one-off afternoon with personal care, CarerQol check-ins over three months
(one carer flagged), hours with kilometres for the volunteer, and a check-in mail that went
out and one that bounced (it shows under "Niet bezorgd")."""
from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

from coop.core import outbox as O
from coop.core.clock import local_now, now
from coop.extensions import db
from coop.people.models import Absence, HoursEntry, WeeklySlot
from coop.people.service import ineligibility_reasons
from coop.respite import carerqol, rules, service
from coop.respite.models import CarerQolCheckin

NOTES = [
    ("partner", 50, "Om 15:00 koffie met een koekje; daarna een stukje wandelen als het droog is.",
     "Oude liedjes van Wim Sonneveld; rustig praten, niet te veel vragen tegelijk.", "Dochter Anja, 06 12 34 56 78"),
    ("dochter", 20, "Middagslaapje van 13:00 tot 14:30. Rollator staat in de gang.",
     "De fotoalbums uit de kast in de kamer.", "Zoon Ruud, 06 87 65 43 21; huisarts 0343 41 22 33"),
    ("buurvrouw", 8, "Eet graag om 17:30; medicijnen liggen klaar in de weekdoos.",
     "Over de tuin praten.", "Buurman Henk, nummer 14"),
]
CHECKINS = [  # VAS per month for three carers: the second drops and is flagged
    (8, 8, 7), (8, 7, 5), (6, 7, 7),
]


def _next_weekday(weekday: int, days_ahead: int = 1):
    day = local_now().date() + timedelta(days=days_ahead)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _profiles(ctx):
    cared = [r for r in ctx.residents if r not in ctx.carers]
    for i, carer in enumerate(ctx.carers):
        label, hours, routines, calms, call = NOTES[i % len(NOTES)]
        service.save_carer_profile(carer, by=ctx.coordinator, care_recipient=cared[i], relationship_label=label,
                                   care_hours_week=hours, routines=routines, what_calms=calms, who_to_call=call,
                                   sofa_roles=["O", "A"] if i % 2 == 0 else ["S", "F"],
                                   support_needs="Een vaste middag per week voor zichzelf." if i == 0 else "")


def _ready(volunteer, category):
    """Make the demo volunteer fit: offers the category, available on weekdays, room for hours."""
    profile = volunteer.volunteer_profile
    if category.rule == category.OPEN and category not in profile.categories:
        profile.categories.append(category)
    profile.max_hours_month = max(profile.max_hours_month, 20)
    covered = {s.weekday for s in volunteer.weekly_slots if s.start <= time(10, 0) and s.end >= time(17, 0)}
    for day in set(range(5)) - covered:
        volunteer.weekly_slots.append(WeeklySlot(weekday=day, start=time(9, 0), end=time(18, 0)))


def _shifts(ctx):
    company, care = ctx.categories["respijt"], ctx.categories["respijt_zorg"]
    carer, volunteer = ctx.carers[0], ctx.volunteers[2]
    _ready(volunteer, company)
    first = _next_weekday(1)  # a Tuesday
    # A day off in the third week: the series books the rest and lists this one as a clash.
    volunteer.absences.append(Absence(starts_on=first + timedelta(weeks=2), ends_on=first + timedelta(weeks=2),
                                      note="verjaardag kleinzoon"))
    series = service.request_respite(carer, by=carer, first_date=first, start_time=time(14, 0),
                                     end_time=time(17, 0), freq="weekly", until=first + timedelta(weeks=9),
                                     notes="Graag iemand die van kaarten houdt.")
    service.book_volunteer(series.respite_request, volunteer, by=ctx.coordinator)

    one_off = service.request_respite(ctx.carers[1], by=ctx.coordinator, first_date=_next_weekday(3),
                                      start_time=time(10, 0), end_time=time(13, 0), with_care=True,
                                      notes="Mevrouw heeft hulp nodig bij het naar het toilet gaan.")
    trained = next((v for v in ctx.volunteers[3:] if not ineligibility_reasons(v, care)), None)
    if trained is not None:
        _ready(trained, care)
        service.book_volunteer(one_off.respite_request, trained, by=ctx.coordinator)
    # A third request stays open: the coordinator's week view shows the gap.
    service.request_respite(ctx.carers[2], by=ctx.carers[2], first_date=_next_weekday(4), start_time=time(13, 0),
                            end_time=time(16, 0))


def _checkins(ctx):
    answers = {"fulfilment": 1, "support": 1, "relational": 0, "mental_health": 1, "daily_activities": 1,
               "financial": 0, "physical_health": 0}
    for carer, scores in zip(ctx.carers[:len(CHECKINS)], CHECKINS, strict=True):
        previous = None
        for months_ago, vas in zip((3, 2, 1), scores, strict=True):
            ctx_answers = {**answers, "daily_activities": 2 if vas <= 5 else 1}
            checkin = CarerQolCheckin(village_id=carer.village_id, carer_id=carer.id, filled_by_id=carer.id,
                                      taken_at=now() - timedelta(days=30 * months_ago), vas=vas,
                                      flag_reasons=carerqol.flag_reasons(ctx_answers, vas, previous),
                                      **ctx_answers)
            db.session.add(checkin)
            previous = vas


def _hours(ctx):
    volunteer = ctx.volunteers[2]
    today = local_now().date()
    last_month = today.replace(day=1) - timedelta(days=1)
    rows = [
        (last_month.replace(day=5), "3", "8.4", "0", HoursEntry.APPROVED, "Respijt bij Anna"),
        (last_month.replace(day=12), "3", "8.4", "4.50", HoursEntry.APPROVED, "Respijt bij Anna (parkeren)"),
        (last_month.replace(day=19), "2", "12", "0", HoursEntry.APPROVED, "Vervoer naar het ziekenhuis"),
        (today.replace(day=1), "1.5", "5", "0", HoursEntry.CONFIRMED, "Boodschappen met mevrouw Smit"),
        (today.replace(day=1), "2", "0", "0", HoursEntry.DRAFT, "Gezelschap"),
    ]
    for on, hours, km, costs, status, text in rows:
        db.session.add(HoursEntry(village_id=volunteer.village_id, helper_id=volunteer.id, worked_on=on,
                                  hours=Decimal(hours), km=Decimal(km), costs=Decimal(costs), status=status,
                                  description=text, source_type="manual",
                                  approved_by_id=ctx.coordinator.id if status == HoursEntry.APPROVED else None,
                                  approved_at=now() if status == HoursEntry.APPROVED else None))


def _check_in_mail(ctx) -> None:
    carer = ctx.carers[0] if ctx.carers else ctx.coordinator
    at = now()
    title = "Hoe gaat het met u als mantelzorger?"
    sent = O.queue(rules.CARER_CHECKIN, carer, payload={"round": 1})
    dead = O.queue(rules.CARER_CHECKIN, carer, payload={"round": 2})
    assert sent is not None and dead is not None  # queued without a dedupe key: never skipped
    for action in ("claim", "deliver"):
        O.OUTBOX.apply(sent, action)
    sent.attempts, sent.title = 1, title
    sent.sent_at = sent.due_at = at - timedelta(days=3)
    for action in ("claim", "give_up"):
        O.OUTBOX.apply(dead, action)
    dead.attempts, dead.title = 6, title
    dead.last_error = "550 5.1.1 Mailbox bestaat niet"
    dead.due_at = at - timedelta(days=1)


def seed(ctx) -> None:
    _profiles(ctx)
    _hours(ctx)
    _shifts(ctx)
    _checkins(ctx)
    _check_in_mail(ctx)
