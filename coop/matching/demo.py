"""Demo part of matching: the gazetteer of Austerlitz, weekly slots and a few absences for the
helpers, and proposals on some of the searching requests (if the requests demo made any)."""
from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

from coop.core.clock import local_now
from coop.core.errors import DomainError
from coop.extensions import db
from coop.geo.importer import import_file
from coop.people.models import Absence, WeeklySlot
from coop.requests.models import SEARCHING

GAZETTEER = Path(__file__).resolve().parents[1] / "geo" / "data" / "austerlitz-adressen.csv"
PARTS = [(time(9), time(12)), (time(13), time(17)), (time(18), time(21))]


def seed(ctx) -> None:
    import_file(str(GAZETTEER))
    rng = ctx.rng
    today = local_now().date()
    for helper in ctx.volunteers + ctx.professionals:
        for weekday in rng.sample(range(7), k=rng.randint(1, 4)):
            start, end = rng.choice(PARTS)
            db.session.add(WeeklySlot(user=helper, weekday=weekday, start=start, end=end))
    for helper in ctx.volunteers[3:6]:
        begin = today + timedelta(days=rng.randint(-3, 10))
        db.session.add(Absence(user=helper, starts_on=begin, ends_on=begin + timedelta(days=rng.randint(3, 14)),
                               note="vakantie"))
    db.session.flush()
    _proposals(ctx)


def _proposals(ctx) -> None:
    """Propose the best candidate on every other searching request (if any were made)."""
    from coop.matching import candidates, service
    searching = [r for r in getattr(ctx, "requests", []) or [] if r.status == SEARCHING]
    for req in searching[::2]:
        ranking = candidates.rank_for(req)
        for candidate in ranking.candidates[:1]:
            helper = db.session.get_one(type(ctx.coordinator), candidate.helper.id)
            try:
                service.propose(req, helper, by=ctx.coordinator, note="Zou u dit willen doen?")
            except DomainError:
                continue
    db.session.flush()
