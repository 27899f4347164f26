"""factory_boy factories for many rows at once (the query-budget tests build 5 and then 50).

Dutch names, streets and sentences come from Faker's nl_NL provider, seeded per test (the
`seeded` fixture in tests/budget/conftest.py), so a failure shows the same data again. Rows are
flushed into the test's transaction, never committed. Every factory takes the village the
rows belong to; related people are made in that village too:

    HelpRequestFactory.create_batch(45, village=village, status="searching")

The hand-written `Factory` in tests/conftest.py stays for the single, named people most
tests need; these are for the bulk.
"""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import factory
from factory.alchemy import SQLAlchemyModelFactory
from sqlalchemy import select

from coop.core import outbox
from coop.core import roles as R
from coop.core.clock import local_now, now
from coop.core.models import AuditLog, Municipality, TaskCategory, User, Village
from coop.extensions import db
from coop.matching.models import Proposal
from coop.people.models import HoursEntry, VolunteerProfile
from coop.people.service import add_professional_profile
from coop.requests.models import HelpRequest
from coop.respite.models import CarerProfile, CarerQolCheckin, RespiteRequest, RespiteShift

LOCALE = "nl_NL"
SAME_VILLAGE = factory.SelfAttribute("..village")


def category(village: Village, code: str) -> TaskCategory:
    return db.session.scalar(select(TaskCategory).where(TaskCategory.village_id == village.id,
                                                        TaskCategory.code == code))


def _grant(user: User, roles) -> None:
    for role in roles:
        user.add_role(role)
    db.session.flush()


class _Flushed(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        # The `session` fixture swaps db.session for the test's own: look it up when used.
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class VillageFactory(_Flushed):
    """A village of its own gemeente, with the usual task categories."""

    class Meta:
        model = Village

    name = factory.Faker("city", locale=LOCALE)
    slug = factory.Sequence(lambda n: f"dorp-{n}")
    cooperative_name = factory.LazyAttribute(lambda v: f"Zorgcoöperatie {v.name}")
    municipality = factory.LazyAttribute(lambda v: Municipality(name=f"Gemeente {v.name} {v.slug}"))
    centre_lat, centre_lon = 52.08, 5.31
    coordinator_phone = "+31343123456"

    @factory.post_generation
    def categories(village, create, extracted, **kw):
        for i, (code, name, rule) in enumerate(extracted or [
                ("boodschappen", "Boodschappen", TaskCategory.OPEN),
                ("gezelschap", "Gezelschap", TaskCategory.OPEN)]):
            db.session.add(TaskCategory(village_id=village.id, code=code, name=name, rule=rule, sort_order=i))
        if create:
            db.session.flush()


class UserFactory(_Flushed):
    """A person of `village` holding `roles` (default: resident); no password, so no login."""

    class Meta:
        model = User

    village = None
    first_name = factory.Faker("first_name", locale=LOCALE)
    last_name = factory.Faker("last_name", locale=LOCALE)
    email = factory.Sequence(lambda n: f"rij{n}@budget.example.nl")
    phone = "+31612345678"
    street = factory.Faker("street_name", locale=LOCALE)
    house_number = factory.Sequence(lambda n: str(n % 200 + 1))
    postcode = "3712 AB"
    place = factory.SelfAttribute("village.name")
    lat = factory.Sequence(lambda n: 52.08 + (n % 40) * 0.0005)
    lon = factory.Sequence(lambda n: 5.31 + (n % 25) * 0.0005)

    @factory.post_generation
    def roles(user, create, extracted, **kw):
        _grant(user, extracted or (R.RESIDENT,))


class VolunteerFactory(UserFactory):
    """An approved volunteer with a valid VOG, offering boodschappen and gezelschap."""

    @factory.post_generation
    def roles(user, create, extracted, **kw):
        _grant(user, extracted or (R.VOLUNTEER,))

    profile = factory.RelatedFactory("tests.support.factories.VolunteerProfileFactory", factory_related_name="user")


class VolunteerProfileFactory(_Flushed):
    class Meta:
        model = VolunteerProfile

    user = None
    radius_km = 5.0
    max_hours_month = 40
    vog_date = factory.LazyFunction(lambda: local_now().date() - timedelta(days=100))
    volunteer_contract_signed_on = factory.LazyFunction(lambda: local_now().date() - timedelta(days=50))
    approved_at = factory.LazyFunction(now)
    categories = factory.LazyAttribute(lambda p: [category(p.user.village, c) for c in ("boodschappen", "gezelschap")])


class ProfessionalFactory(UserFactory):
    """A zorgprofessional of a home-care organisation offering wijkverpleging."""

    @factory.post_generation
    def roles(user, create, extracted, **kw):
        _grant(user, extracted or (R.PROFESSIONAL,))

    @factory.post_generation
    def profile(user, create, extracted, **kw):
        offered = [c for c in (category(user.village, "wijkverpleging"),) if c is not None]
        add_professional_profile(user, organisation="Thuiszorg Heuvelrug", discipline="wijkverpleegkundige",
                                 categories=offered)
        db.session.flush()


class AuditLogFactory(_Flushed):
    """A coordinator's look at a resident's record."""

    class Meta:
        model = AuditLog

    class Params:
        village = None

    village_id = factory.SelfAttribute("village.id")
    actor = factory.SubFactory(UserFactory, village=SAME_VILLAGE, roles=(R.COORDINATOR,))
    subject = factory.SubFactory(UserFactory, village=SAME_VILLAGE)
    action = "person.viewed"
    ip = "127.0.0.1"

    @classmethod
    def _create(cls, model_class, actor, subject=None, on_behalf_of=None, **fields):
        # Through the chain, as the app writes it: a hashed row (the table refuses updates).
        from coop.core import audit
        row_id = audit.record(fields["action"], actor=actor, subject=subject, on_behalf_of=on_behalf_of,
                              village_id=fields["village_id"], detail=fields.get("detail", ""), ip=fields["ip"])
        return db.session.get_one(model_class, row_id)


class HelpRequestFactory(_Flushed):
    """A hulpvraag of a resident of `village` at their own address (default: new, boodschappen)."""

    class Meta:
        model = HelpRequest

    class Params:
        village = None
        code = "boodschappen"

    village_id = factory.SelfAttribute("village.id")
    resident = factory.SubFactory(UserFactory, village=SAME_VILLAGE)
    category = factory.LazyAttribute(lambda r: category(r.village, r.code))
    description = factory.Faker("sentence", locale=LOCALE)
    status = "new"
    urgency = "week"
    flexible = True
    street = factory.SelfAttribute("resident.street")
    house_number = factory.SelfAttribute("resident.house_number")
    postcode = factory.SelfAttribute("resident.postcode")
    place = factory.SelfAttribute("resident.place")
    lat = factory.SelfAttribute("resident.lat")
    lon = factory.SelfAttribute("resident.lon")
    consent_contact = True


class ProposalFactory(_Flushed):
    """A proposal of a searching request to a volunteer (pass `request` or `helper` to share one)."""

    class Meta:
        model = Proposal

    class Params:
        village = None

    village_id = factory.SelfAttribute("village.id")
    help_request = factory.SubFactory(HelpRequestFactory, village=SAME_VILLAGE, status="searching")
    helper = factory.SubFactory(VolunteerFactory, village=SAME_VILLAGE)
    resident_id = factory.SelfAttribute("help_request.resident_id")
    status = "proposed"


class CarerProfileFactory(_Flushed):
    """A mantelzorger and the resident they care for."""

    class Meta:
        model = CarerProfile

    class Params:
        village = None

    village_id = factory.SelfAttribute("village.id")
    carer = factory.SubFactory(UserFactory, village=SAME_VILLAGE, roles=(R.RESIDENT, R.CARER))
    user_id = factory.SelfAttribute("carer.id")
    care_recipient = factory.SubFactory(UserFactory, village=SAME_VILLAGE, email=None)
    relationship_label = factory.Faker("random_element", elements=("partner", "dochter", "zoon", "buurvrouw"))
    care_hours_week = factory.Faker("random_int", min=4, max=60)
    routines = factory.Faker("sentence", locale=LOCALE)


class CheckinFactory(_Flushed):
    """A CarerQol check-in of `carer`; a VAS of 5 or less raises the burden flag."""

    class Meta:
        model = CarerQolCheckin

    carer = None
    village_id = factory.SelfAttribute("carer.village_id")
    taken_at = factory.LazyFunction(lambda: now() - timedelta(days=3))
    fulfilment = support = 1
    relational = mental_health = daily_activities = financial = physical_health = 0
    vas = factory.Faker("random_int", min=3, max=9)
    flag_reasons = factory.LazyAttribute(lambda c: [f"voelt zich niet gelukkig (cijfer {c.vas})"] if c.vas <= 5 else [])


class RespiteRequestFactory(_Flushed):
    """A carer's ask for respite (14:00–17:00) for the resident they care for."""

    class Meta:
        model = RespiteRequest

    class Params:
        village = None

    village_id = factory.SelfAttribute("village.id")
    carer = factory.SubFactory(UserFactory, village=SAME_VILLAGE, roles=(R.RESIDENT, R.CARER))
    care_recipient = factory.SubFactory(UserFactory, village=SAME_VILLAGE, email=None)
    category_id = factory.LazyAttribute(lambda r: category(r.village, "gezelschap").id)
    start_time, end_time = time(14), time(17)


class RespiteShiftFactory(_Flushed):
    """One afternoon of respite, booked with a volunteer unless `volunteer=None, status="open"`."""

    class Meta:
        model = RespiteShift

    class Params:
        village = None

    village_id = factory.SelfAttribute("village.id")
    respite_request = factory.SubFactory(RespiteRequestFactory, village=SAME_VILLAGE)
    starts_at = factory.LazyFunction(lambda: now() + timedelta(days=2))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + timedelta(hours=3))
    status = RespiteShift.BOOKED
    volunteer = factory.SubFactory(VolunteerFactory, village=SAME_VILLAGE)


class HoursEntryFactory(_Flushed):
    """Hours of a volunteer on `worked_on` (default: today), confirmed and waiting for approval."""

    class Meta:
        model = HoursEntry

    class Params:
        village = None

    village_id = factory.SelfAttribute("village.id")
    helper = factory.SubFactory(VolunteerFactory, village=SAME_VILLAGE)
    worked_on = factory.LazyFunction(lambda: local_now().date())
    hours = factory.Faker("random_element", elements=(Decimal("1.50"), Decimal("2.00"), Decimal("3.00")))
    km = Decimal("4.0")
    costs = Decimal("2.50")
    description = factory.Faker("sentence", nb_words=4, locale=LOCALE)
    status = HoursEntry.CONFIRMED
    source_type = "manual"


class NotificationFactory(_Flushed):
    """An in-app message delivered to `recipient`, not read yet."""

    class Meta:
        model = outbox.FollowUp

    recipient = None
    village_id = factory.SelfAttribute("recipient.village_id")
    channel = outbox.INAPP
    kind = "proposal.new"
    status = outbox.SENT
    title = factory.Faker("sentence", nb_words=5, locale=LOCALE)
    body = factory.Faker("paragraph", locale=LOCALE)
    sent_at = factory.Sequence(lambda n: datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=n))


class DeadMailFactory(_Flushed):
    """A mail to a resident of `village` that was not delivered after its tries."""

    class Meta:
        model = outbox.FollowUp

    class Params:
        village = None

    village_id = factory.SelfAttribute("village.id")
    recipient = factory.SubFactory(UserFactory, village=SAME_VILLAGE)
    channel = outbox.MAIL
    kind = "ask_helped"
    status = outbox.DEAD
    attempts = 5
    last_error = "550 mailbox unavailable"
    title = factory.Faker("sentence", nb_words=5, locale=LOCALE)
