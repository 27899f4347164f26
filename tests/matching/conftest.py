from __future__ import annotations

import pytest

from coop.requests.models import HelpRequest


@pytest.fixture
def make_request(session, make, village, resident):
    """A searching HelpRequest at the resident's place (the requests feature is elsewhere)."""
    def build(category="boodschappen", who=None, **kw):
        who = who or resident
        req = HelpRequest(village_id=who.village_id, resident=who, category=make.category(village, category)
                          if isinstance(category, str) else category,
                          description=kw.pop("description", "Boodschappen doen bij de supermarkt"),
                          status=kw.pop("status", "searching"), lat=kw.pop("lat", who.lat),
                          lon=kw.pop("lon", who.lon), street=who.street, house_number=who.house_number,
                          place=who.place, **kw)
        session.add(req)
        session.flush()
        return req
    return build


class QueryCounter:
    def __init__(self, engine):
        from sqlalchemy import event
        self.engine, self.count = engine, 0
        self._listener = lambda *args, **kw: self._hit()
        event.listen(engine, "before_cursor_execute", self._listener)

    def _hit(self):
        self.count += 1

    def close(self):
        from sqlalchemy import event
        event.remove(self.engine, "before_cursor_execute", self._listener)


@pytest.fixture
def count_queries(session):
    from coop.extensions import db
    counters = []

    def start():
        counter = QueryCounter(db.engine)
        counters.append(counter)
        return counter
    yield start
    for c in counters:
        c.close()
