"""Two villages with something behind every URL, shared by the attack tests of one module.

Village A is the world of forms_world.py with a few more rows (a booked shift, a dead mail, the
tokens of the links in mails). Village B is a second such world in another gemeente. Each role
of A has a *peer*: a second person with the same roles in A who owns nothing, so that "another
person's object in the same village" is the peer looking at A's object, and "another village"
is B's person of that role looking at it.

Building two worlds for every test would take most of the time budget, so a module builds
them once (`shared_session`) and every request runs in a savepoint that is rolled back
(`isolated`): a POST that is allowed changes nothing for the next one.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import func, select

from coop.core import clock
from coop.core import roles as R
from coop.core.models import User
from coop.extensions import db
from tests.conftest import Factory, login_client, rolled_back
from tests.core.forms_world import MONDAY, World, build_world

# The personas of the walk, and the roles each one holds (a carer is also a resident).
PERSONAS = ("anonymous", "resident", "carer", "volunteer", "professional", "coordinator", "admin", "gemeente",
            "platform")
ROLES_OF = {"resident": (R.RESIDENT,), "carer": (R.RESIDENT, R.CARER), "volunteer": (R.VOLUNTEER,),
            "professional": (R.PROFESSIONAL,), "coordinator": (R.COORDINATOR,), "admin": (R.ADMIN,),
            "gemeente": (R.MUNICIPALITY,), "platform": (R.PLATFORM,), "anonymous": ()}
RELATIONS = ("own", "same", "far")  # the user's own object; a peer in the same village; another village


@dataclass
class Attack:
    a: World
    b: World
    peers: dict[str, User]
    connection: object
    ids: dict[str, object] = field(default_factory=dict)
    cookies: dict[tuple[str, str], str] = field(default_factory=dict)

    def user(self, persona: str, relation: str) -> User | None:
        if persona == "anonymous":
            return None
        if relation == "own":
            return self.a.role(persona)
        if relation == "same":
            return self.peers[persona]
        return self.b.role(persona)

    def log_in_everyone(self, app) -> None:
        """One login per persona and relation, kept in the module's transaction: a request
        then only needs the cookie (logging in costs more than most requests)."""
        for persona in PERSONAS[1:]:
            for relation in RELATIONS:
                cookie = login_client(app, self.user(persona, relation)).get_cookie(app.config["SESSION_COOKIE_NAME"])
                self.cookies[persona, relation] = cookie.value

    def client(self, app, persona: str, relation: str = "own"):
        """A fresh client (a logout in one request cannot reach the next) of that person."""
        client = app.test_client()
        if persona != "anonymous":
            client.set_cookie(app.config["SESSION_COOKIE_NAME"], self.cookies[persona, relation])
        return client


@contextmanager
def shared_session(app) -> Iterator[object]:
    """The `session` fixture of conftest.py, for a whole module: rolled back at its end."""
    with rolled_back(app) as connection:
        clock.freeze(MONDAY)
        try:
            yield connection
        finally:
            clock.freeze(None)


@contextmanager
def isolated(connection) -> Iterator[None]:
    """Whatever happens inside (requests included) is rolled back afterwards."""
    db.session.commit()
    savepoint = connection.begin_nested()
    try:
        yield
    finally:
        db.session.rollback()
        if savepoint.is_active:
            savepoint.rollback()
        db.session.expire_all()


def row_counts() -> dict[str, int]:
    tables = db.metadata.sorted_tables
    row = db.session.execute(select(*(select(func.count()).select_from(t).scalar_subquery().label(t.name)
                                      for t in tables))).one()
    return dict(zip([t.name for t in tables], row, strict=True))


def _peers(make: Factory, world: World) -> dict[str, User]:
    village = world.village
    peers = {persona: make.user(village, *ROLES_OF[persona]) for persona in PERSONAS
             if persona not in ("anonymous", "volunteer", "professional")}
    peers["volunteer"] = make.volunteer(village, categories=("boodschappen", "gezelschap", "respijt"))
    peers["professional"] = make.professional(village)
    return peers


def build_attack(session, make: Factory, connection) -> Attack:
    from coop.auth.service import reset_token
    from coop.core import outbox as O
    from coop.followups import answers
    from coop.people.models import WeeklySlot
    from coop.requests.rules import HELPED
    from coop.respite import calendar
    from coop.respite import rules as respite_rules
    from coop.respite import service as respite

    a = build_world(session, make)
    b = build_world(session, make)
    peers = _peers(make, a)
    respite.assign_shift(a.shift, a.volunteer, by=a.coordinator)  # the volunteer's own booked time
    dead = O.queue(respite_rules.CARER_CHECKIN, a.resident)
    dead.status, dead.attempts, dead.last_error, dead.title = O.DEAD, 6, "550 mailbox unknown", "Hoe gaat het?"
    session.flush()
    slot = session.scalar(select(WeeklySlot).where(WeeklySlot.user_id == a.volunteer.id))
    answer = answers.token_string(answers.new_token(HELPED, a.searching))
    attack = Attack(a=a, b=b, peers=peers, connection=connection)
    attack.ids = {
        "village": a.village.id, "destination": a.destination.id, "agreement": a.agreement.id,
        "row": a.agreement.latest.rows[0].id, "call": a.call.id, "dead": dead.id,
        "proposal": a.proposal.id, "searching": a.searching.id, "referable": a.referable.id,
        "slot": slot.id, "resident": a.resident.id, "volunteer": a.volunteer.id, "carer": a.carer.id,
        "competence": a.competence.id, "hours": a.draft_hours.id, "respite": a.respite.id, "shift": a.shift.id,
        "reset": reset_token(a.resident), "answer": answer, "feed": calendar.create_feed(a.volunteer),
        "circle": a.circle.id, "circle_member": a.circle.members[0].id, "circle_other": a.circle.members[2].id,
        "circle_absence": a.circle.members[2].absences[0].id, "circle_missed": a.circle_missed.id,
        "aid": a.aid.id, "loan": a.loan.id, "reservation": a.reservation.id,
        "household": a.household.id, "contribution": a.contribution.id, "run": a.run.id,
        "broadcast": a.broadcast.id, "category": a.searching.category_id,
    }
    from tests.activities.world import activity_of, signup_of
    attack.ids |= {"activity": activity_of(a).id, "signup": signup_of(a).id}
    session.commit()
    attack.log_in_everyone(current_app)
    session.commit()
    return attack
