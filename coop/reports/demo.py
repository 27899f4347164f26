"""A year of history for the demo village, so the gemeente's figures mean something.

Roughly thirty requests a month over the past twelve months, closed long enough ago that
nobody waits on them: most done with a volunteer's hours written, some referred to the Wmo
desk, some withdrawn; a fifth with a Schijf van Vijf. With the threshold of 5, a village of
this size shows real figures per month, and "< 5" where a group really is small.
"""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from coop.core.clock import now
from coop.core.models import ReferralDestination
from coop.extensions import db
from coop.people.models import HoursEntry
from coop.requests.models import CANCELLED, DONE, REFERRED, FiveQuestionsAnswer, HelpRequest, RequestEvent

PER_MONTH = 30
# category code → share of the requests (about 80 % wellbeing, 20 % care, as in a village cooperative)
MIX = [("boodschappen", 7), ("vervoer", 6), ("gezelschap", 5), ("klussen", 4), ("administratie", 2),
       ("respijt", 2), ("medicatie", 1), ("wijkverpleging", 1), ("woningaanpassing", 1),
       ("huishoudelijke_hulp", 1)]
PARTIES_BY_QUESTION = {1: ["resident"], 2: ["organisation", "resident"], 3: ["family", "family", "resident"],
                       4: ["volunteer", "volunteer", "organisation"], 5: ["professional", "municipality"]}


def seed(ctx) -> None:
    rng = ctx.rng
    codes = [code for code, weight in MIX for _ in range(weight)]
    helpers = [v for v in ctx.volunteers if v.volunteer_profile.approved_at is not None][:30]
    start = now() - timedelta(days=365)
    wmo = db.session.scalar(select(ReferralDestination).where(ReferralDestination.village_id == ctx.village.id,
                                                              ReferralDestination.name == "Wmo-loket"))
    for day in range(0, 360):
        for _ in range(rng.choice((0, 1, 1, 2))):
            _closed_request(ctx, rng, codes, helpers, start + timedelta(days=day, hours=rng.randint(8, 18)), wmo)


def _closed_request(ctx, rng, codes, helpers, created, wmo) -> None:
    category = ctx.categories[rng.choice(codes)]
    resident = rng.choice(ctx.residents)
    status = REFERRED if category.rule == "municipal" else rng.choices((DONE, CANCELLED), weights=(9, 1))[0]
    req = HelpRequest(village_id=ctx.village.id, resident=resident, category=category,
                      description="(afgerond)", status=status, urgency=rng.choice(("today", "week", "no_rush")),
                      flexible=True, street=resident.street, house_number=resident.house_number,
                      postcode=resident.postcode, place=resident.place, lat=resident.lat, lon=resident.lon,
                      consent_contact=True, created_at=created, status_changed_at=created)
    req.events = [RequestEvent(at=created, actor_id=ctx.coordinator.id, action="start_intake",
                               from_status="new", to_status="intake")]
    closed = created + timedelta(hours=rng.randint(2, 20 * 24))
    if status == DONE:
        helper = rng.choice(helpers)
        req.matched_at = created + timedelta(hours=rng.randint(1, 6 * 24))
        closed = req.matched_at + timedelta(days=rng.randint(1, 10))
        req.events.append(RequestEvent(at=req.matched_at, action="match", from_status="searching",
                                       to_status="matched", note=f"gekoppeld aan {helper.first_name}"))
        db.session.add(HoursEntry(
            village_id=ctx.village.id, helper_id=helper.id, worked_on=closed.date(),
            hours=Decimal(rng.choice(("1", "1.5", "2", "2", "3"))), km=Decimal(rng.randint(0, 25)),
            status=HoursEntry.APPROVED, source_type="manual", description=category.name,
            approved_by_id=ctx.coordinator.id, approved_at=closed))
    elif status == REFERRED:
        req.referral_destination = wmo
        req.referred_to, req.referral_reason = wmo.name, "Valt onder de Wmo"
    req.closed_at = req.status_changed_at = closed
    req.events.append(RequestEvent(at=closed, actor_id=ctx.coordinator.id,
                                   action={DONE: "complete", CANCELLED: "cancel", REFERRED: "refer"}[status],
                                   from_status="matched" if status == DONE else "intake", to_status=status))
    if rng.random() < 0.2:
        req.five_questions = [FiveQuestionsAnswer(question=q, note="", party=rng.choice(parties))
                          for q, parties in PARTIES_BY_QUESTION.items()]
    db.session.add(req)
