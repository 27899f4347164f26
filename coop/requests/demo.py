"""Demo hulpvragen: about thirty, over every status, urgency and category.

Some were posted by residents themselves, some recorded by the coordinator from a phone call
or a kitchen-table visit for residents without e-mail; some carry a Schijf van Vijf; one
housing adaptation is referred to the gemeente. The clock is moved while seeding so that
waiting times and timelines look lived-in.
"""
from __future__ import annotations

import secrets
from datetime import time, timedelta

from sqlalchemy import select

from coop.core import clock
from coop.core.models import ReferralDestination
from coop.extensions import db
from coop.requests import service
from coop.requests.intake import DAY, FLEXIBLE, WINDOW, RequestInput, post_request, record_five_questions
from coop.requests.models import PHONE, VISIT, WEB

# code → things people ask, in their own words.
ASKS = {
    "boodschappen": ["Wie kan donderdag boodschappen voor mij doen bij de Plus? Lijstje ligt klaar.",
                     "Ik kan niet meer met zware tassen lopen; wie gaat één keer per week mee?"],
    "vervoer": ["Ik moet naar de oogarts in Zeist en mag daarna niet zelf rijden.",
                "Wie brengt mij naar de fysiotherapeut? Ik ben slecht ter been."],
    "gezelschap": ["Sinds mijn man is overleden zie ik weinig mensen. Een kop koffie samen zou fijn zijn.",
                   "Ik wandel graag, maar niet meer alleen. Wie loopt een rondje mee door het bos?"],
    "klussen": ["De lamp in de gang is kapot en ik kan de trap niet meer op.",
                "De heg moet geknipt worden voor de buren er last van krijgen."],
    "administratie": ["Ik krijg brieven van de belasting die ik niet begrijp.",
                      "Wie helpt mij met het formulier voor de zorgtoeslag?"],
    "respijt": ["Ik zorg voor mijn vrouw met dementie. Ik wil graag één middag naar mijn zus."],
    "respijt_zorg": ["Mijn moeder heeft hulp nodig bij eten en naar het toilet; ik moet een dag weg."],
    "medicatie": ["Mijn vader vergeet zijn pillen 's avonds. Wie kan hem herinneren?"],
    "wijkverpleging": ["Ik heb een wond aan mijn been die verzorgd moet worden."],
    "woningaanpassing": ["Ik kom de trap niet meer op. Kan er een traplift komen?"],
    "huishoudelijke_hulp": ["Ik kan mijn huis niet meer schoonhouden na mijn heupoperatie."],
}

# (category, urgency, final status, channel, with Schijf van Vijf)
PLAN = [
    ("boodschappen", "today", "new", WEB, False), ("vervoer", "today", "new", PHONE, False),
    ("gezelschap", "no_rush", "new", VISIT, False), ("klussen", "week", "new", WEB, False),
    ("woningaanpassing", "week", "new", PHONE, False), ("administratie", "no_rush", "new", WEB, False),
    ("respijt", "week", "intake", PHONE, True), ("gezelschap", "no_rush", "intake", WEB, False),
    ("medicatie", "week", "intake", VISIT, True), ("boodschappen", "week", "intake", PHONE, False),
    ("vervoer", "week", "intake", WEB, False),
    ("boodschappen", "today", "searching", PHONE, False), ("klussen", "no_rush", "searching", WEB, False),
    ("vervoer", "week", "searching", WEB, True), ("gezelschap", "week", "searching", VISIT, True),
    ("respijt_zorg", "week", "searching", PHONE, True), ("wijkverpleging", "today", "searching", PHONE, False),
    ("boodschappen", "week", "matched", WEB, False), ("gezelschap", "no_rush", "matched", PHONE, True),
    ("vervoer", "week", "matched", WEB, False), ("klussen", "no_rush", "matched", VISIT, False),
    ("administratie", "week", "matched", PHONE, False),
    ("boodschappen", "week", "done", WEB, False), ("vervoer", "today", "done", PHONE, False),
    ("gezelschap", "no_rush", "done", VISIT, True), ("klussen", "week", "done", WEB, False),
    ("administratie", "no_rush", "cancelled", WEB, False), ("klussen", "week", "cancelled", PHONE, False),
    ("woningaanpassing", "no_rush", "referred", VISIT, True), ("huishoudelijke_hulp", "week", "referred", PHONE, False),
]

FIVE_QUESTIONS_ANSWERS = {
    1: ("Wil zelf blijven koken en de krant halen.", "resident"),
    2: ("Rollator en een boodschappenkar met wielen.", "organisation"),
    3: ("Dochter belt elke avond en komt op zaterdag.", "family"),
    4: ("Vrijwilliger van de coöperatie helpt met het zwaardere werk.", "volunteer"),
    5: ("Wijkverpleging kijkt eens per maand mee.", "professional"),
}

# Steps from `new` to each final status.
STEPS = {"new": [], "intake": ["start_intake"], "searching": ["start_intake", "start_search"],
         "matched": ["start_intake", "start_search", "match"],
         "done": ["start_intake", "start_search", "match", "complete"],
         "cancelled": ["start_intake", "cancel"], "referred": ["start_intake", "refer"]}


def _input(ctx, i, code, urgency, channel) -> RequestInput:
    today = clock.local_now().date()
    kind = (DAY, WINDOW, FLEXIBLE)[i % 3]
    return RequestInput(
        category_id=ctx.categories[code].id, description=ASKS[code][i % len(ASKS[code])], when=kind,
        urgency=urgency, recurrence=("once", "once", "weekly", "fortnightly")[i % 4],
        on_date=None if kind == FLEXIBLE else today + timedelta(days=1 + i % 9),
        part_of_day=("morning", "afternoon", "evening")[i % 3] if kind == DAY else None,
        start_time=time(10, 0) if kind == WINDOW else None, end_time=time(12, 0) if kind == WINDOW else None,
        consent_contact=i % 4 != 3, channel=channel)


def _wmo(village_id: int) -> ReferralDestination | None:
    return db.session.scalar(select(ReferralDestination).where(ReferralDestination.village_id == village_id,
                                                               ReferralDestination.name == "Wmo-loket"))


def _step(req, action, ctx, i):
    coordinator = ctx.coordinator
    if action == "match":
        service.mark_matched(req, by=coordinator, helper=ctx.volunteers[2 + i % 30])
    elif action == "refer":
        service.refer(req, by=coordinator, to=_wmo(req.village_id),
                      reason="Woningaanpassing en huishoudelijke hulp vragen een indicatie van de gemeente.")
    elif action == "cancel":
        service.cancel(req, by=coordinator, note="De buurvrouw helpt al.")
    else:
        service.apply_transition(req, action, by=coordinator)


def seed(ctx) -> None:
    real_now = clock.now()
    with_email = [r for r in ctx.residents if r.email]
    without_email = [r for r in ctx.residents if not r.email]
    requests = []
    try:
        for i, (code, urgency, status, channel, split) in enumerate(PLAN):
            # Older requests further down the list: waiting times from an hour to three weeks.
            posted_at = real_now - timedelta(hours=1 + (i * 17) % 500)
            clock.freeze(posted_at)
            if channel == WEB:
                resident, by = with_email[i % len(with_email)], None
            else:
                resident, by = without_email[i % len(without_email)], ctx.coordinator
            req, _ = post_request(resident, _input(ctx, i, code, urgency, channel), by=by or resident,
                                  form_token=secrets.token_urlsafe(24))
            for n, action in enumerate(STEPS[status], start=1):
                clock.freeze(posted_at + timedelta(hours=3 * n))
                if split and action in ("start_search", "refer", "cancel") or (split and status == "intake" and n == 1):
                    record_five_questions(req, FIVE_QUESTIONS_ANSWERS, by=ctx.coordinator)
                _step(req, action, ctx, i)
            requests.append(req)
    finally:
        clock.freeze(None)
    ctx.requests = requests
