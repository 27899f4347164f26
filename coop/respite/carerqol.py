"""CarerQol-7D and CarerQol-VAS check-ins (iMTA, Erasmus University), kept over time.

The burden flag is deliberately simple and explainable: any negative dimension at
"veel", or the VAS at or below 5, or a VAS drop of 2 or more since the last check-in.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from coop.core import audit
from coop.core.clock import now
from coop.core.errors import DomainError
from coop.core.models import User
from coop.extensions import db
from coop.respite.models import CarerQolCheckin, RespiteRequest, RespiteShift

NONE, SOME, A_LOT = 0, 1, 2
ANSWERS = {NONE: "geen", SOME: "een beetje", A_LOT: "veel"}

# (field, question as the carer reads it, positive?) in the instrument's order.
DIMENSIONS = (
    ("fulfilment", "Ik heb voldoening van het zorgen", True),
    ("relational", "Ik heb problemen in de relatie met degene voor wie ik zorg", False),
    ("mental_health", "Ik heb problemen met mijn eigen geestelijke gezondheid", False),
    ("daily_activities", "Ik heb problemen om het zorgen te combineren met mijn dagelijkse bezigheden", False),
    ("financial", "Ik heb financiële problemen door het zorgen", False),
    ("support", "Ik krijg steun bij het zorgen als ik dat nodig heb", True),
    ("physical_health", "Ik heb problemen met mijn eigen lichamelijke gezondheid", False),
)
SHORT = {"fulfilment": "voldoening", "relational": "relatie", "mental_health": "geestelijke gezondheid",
         "daily_activities": "combineren met dagelijks leven", "financial": "geldzorgen",
         "support": "steun", "physical_health": "lichamelijke gezondheid"}
VAS_THRESHOLD, VAS_DROP = 5, 2


def latest(carer: User) -> CarerQolCheckin | None:
    return db.session.scalar(select(CarerQolCheckin).where(CarerQolCheckin.carer_id == carer.id)
                             .order_by(CarerQolCheckin.taken_at.desc(), CarerQolCheckin.id.desc()).limit(1))


def latest_for(carer_ids) -> dict[int, CarerQolCheckin | None]:
    """latest() for many carers in one query: carer id → their newest check-in, or None."""
    ids = set(carer_ids)
    if not ids:
        return {}
    rank = func.row_number().over(partition_by=CarerQolCheckin.carer_id,
                                  order_by=(CarerQolCheckin.taken_at.desc(), CarerQolCheckin.id.desc()))
    ranked = (select(CarerQolCheckin.id, rank.label("rank"))
              .where(CarerQolCheckin.carer_id.in_(ids)).subquery())
    rows = db.session.scalars(select(CarerQolCheckin).join(ranked, ranked.c.id == CarerQolCheckin.id)
                              .where(ranked.c.rank == 1))
    return dict.fromkeys(ids) | {c.carer_id: c for c in rows}


def history(carer: User) -> list[CarerQolCheckin]:
    return list(db.session.scalars(select(CarerQolCheckin).where(CarerQolCheckin.carer_id == carer.id)
                                   .order_by(CarerQolCheckin.taken_at, CarerQolCheckin.id)))


def flag_reasons(answers: Mapping[str, int | None], vas: int, previous_vas: int | None) -> list[str]:
    reasons = [f"veel problemen: {SHORT[name]}" for name, _, positive in DIMENSIONS
               if not positive and answers[name] == A_LOT]
    if vas <= VAS_THRESHOLD:
        reasons.append(f"voelt zich niet gelukkig (cijfer {vas})")
    if previous_vas is not None and previous_vas - vas >= VAS_DROP:
        reasons.append(f"cijfer gedaald van {previous_vas} naar {vas}")
    return reasons


def submit(carer: User, *, by: User, answers: Mapping[str, int | None], vas: int | None) -> CarerQolCheckin:
    """Keep one check-in; answers are 0/1/2 per dimension, the VAS 0–10."""
    for name, question, _ in DIMENSIONS:
        if answers.get(name) not in ANSWERS:
            raise DomainError(f"Kies een antwoord bij: {question}.", name)
    if vas is None or not 0 <= vas <= 10:
        raise DomainError("Kies een cijfer van 0 tot en met 10.", "vas")
    previous = latest(carer)
    checkin = CarerQolCheckin(village_id=carer.village_id, carer_id=carer.id, filled_by_id=by.id, vas=vas,
                              flag_reasons=flag_reasons(answers, vas, previous.vas if previous else None),
                              **{name: answers[name] for name, _, _ in DIMENSIONS})
    db.session.add(checkin)
    db.session.flush()
    audit.record("carerqol.submitted", actor=by, subject=carer, on_behalf_of=carer if by.id != carer.id else None)
    return checkin


@dataclass
class Flagged:
    carer: User
    checkin: CarerQolCheckin
    next_booked: RespiteShift | None


def flagged_carers(village_id: int) -> list[Flagged]:
    """Carers whose latest check-in raised the flag, with their next booked respite if any."""
    last = (select(CarerQolCheckin.carer_id, func.max(CarerQolCheckin.id).label("last_id"))
            .where(CarerQolCheckin.village_id == village_id).group_by(CarerQolCheckin.carer_id).subquery())
    rows = db.session.scalars(select(CarerQolCheckin).join(last, CarerQolCheckin.id == last.c.last_id)
                              .order_by(CarerQolCheckin.taken_at.desc())
                              .options(selectinload(CarerQolCheckin.carer))).all()
    flagged = [checkin for checkin in rows if checkin.flag_reasons]
    upcoming = next_booked_for(c.carer_id for c in flagged)
    return [Flagged(c.carer, c, upcoming.get(c.carer_id)) for c in flagged]


def next_booked_for(carer_ids) -> dict[int, RespiteShift]:
    """Each carer's first booked respite still to come (carers without one left out), in one query."""
    ids = set(carer_ids)
    if not ids:
        return {}
    rank = func.row_number().over(partition_by=RespiteRequest.carer_id,
                                  order_by=(RespiteShift.starts_at, RespiteShift.id))
    ranked = (select(RespiteShift.id, RespiteRequest.carer_id, rank.label("rank")).join(RespiteRequest)
              .where(RespiteRequest.carer_id.in_(ids), RespiteShift.status == RespiteShift.BOOKED,
                     RespiteShift.starts_at > now()).subquery())
    rows = db.session.execute(select(ranked.c.carer_id, RespiteShift).join(ranked, ranked.c.id == RespiteShift.id)
                              .where(ranked.c.rank == 1))
    return {carer_id: shift for carer_id, shift in rows}


# The chart is drawn at a phone's width with 14px text, so it is never scaled down; a date
# under a point is left out where it would run into the one before.
LABEL_SPACE = 48


def chart(checkins: list[CarerQolCheckin], width: int = 340, height: int = 200) -> dict:
    """Points for a small server-made SVG line chart of the VAS (0–10) over the check-ins."""
    pad_l, pad_r, pad_t, pad_b = 32, 26, 12, 28
    inner_w, inner_h = width - pad_l - pad_r, height - pad_t - pad_b
    n = len(checkins)
    points = []
    labelled_x = None
    for i, c in enumerate(checkins):
        x = pad_l + (inner_w * i / (n - 1) if n > 1 else inner_w / 2)
        y = pad_t + inner_h * (10 - c.vas) / 10
        show = labelled_x is None or x - labelled_x >= LABEL_SPACE
        labelled_x = x if show else labelled_x
        points.append({"x": round(x, 1), "y": round(y, 1), "checkin": c, "label": show})
    gridlines = [{"value": v, "y": round(pad_t + inner_h * (10 - v) / 10, 1)} for v in (0, 5, 10)]
    return {"width": width, "height": height, "points": points, "gridlines": gridlines,
            "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
            "threshold_y": round(pad_t + inner_h * (10 - VAS_THRESHOLD) / 10, 1),
            "left": pad_l, "right": width - pad_r, "bottom": height - pad_b}
