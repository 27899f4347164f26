"""users.is_helper says whether a person has a volunteer or a professional profile. Triggers on
both profile tables keep it (0031_users_helper_marker), for the app's services and for plain
SQL alike, on both databases; the migration fills it from the profiles already there. Matching
and the map read the helpers from a partial index on it, so a village's residents are never
looked at to find the helpers near a request."""
from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import delete, insert, select, text, update

from coop.core import roles as R
from coop.core.models import User
from coop.extensions import db
from coop.matching import candidates, queries
from coop.people.models import ProfessionalProfile, VolunteerProfile
from coop.people.service import add_professional_profile
from tests.support.migrations import add_village, migrated_to_before

REVISION = "0031_users_helper_marker"
INDEX = "ix_users_helpers_village_lat_lon"


def _marked(*people: User) -> list[bool]:
    """The marker as the database holds it now (the objects' copies are not refreshed)."""
    found = dict(db.session.execute(select(User.id, User.is_helper).where(User.id.in_([p.id for p in people]))).all())
    return [bool(found[p.id]) for p in people]


def test_the_marker_follows_the_profiles(session, make, village):
    resident, volunteer = make.user(village), make.volunteer(village)
    professional = make.professional(village)
    assert _marked(resident, volunteer, professional) == [False, True, True]

    # a volunteer who is also a professional keeps the marker until both profiles are gone
    add_professional_profile(volunteer, organisation="Thuiszorg", discipline="verzorgende", categories=[])
    session.flush()
    session.execute(delete(VolunteerProfile).where(VolunteerProfile.user_id == volunteer.id))
    assert _marked(volunteer) == [True]
    session.execute(delete(ProfessionalProfile).where(ProfessionalProfile.user_id == volunteer.id))
    assert _marked(volunteer) == [False]

    # plain SQL counts as much as the app: a profile added, and one moved to someone else
    session.execute(insert(VolunteerProfile).values(user_id=resident.id))
    assert _marked(resident) == [True]
    session.execute(update(ProfessionalProfile).where(ProfessionalProfile.user_id == professional.id)
                    .values(user_id=volunteer.id))
    assert _marked(professional, volunteer) == [False, True]


def test_a_person_removed_takes_their_profile_and_leaves_the_others_marked(session, make, village):
    leaving, staying = make.volunteer(village), make.volunteer(village)
    session.execute(delete(VolunteerProfile).where(VolunteerProfile.user_id == leaving.id))
    session.execute(delete(User).where(User.id == leaving.id))
    assert _marked(staying) == [True]


def test_matching_and_the_map_find_the_helpers_by_the_marker(session, make, village, make_request):
    near = make.volunteer(village, lat=52.081, lon=5.311)
    make.user(village, R.VOLUNTEER, lat=52.081, lon=5.311)  # the role, but no profile: not a helper
    req = make_request(lat=52.08, lon=5.31)
    rows = candidates.fetch_rows(req, (52.08, 5.31))
    assert [r.id for r in rows] == [near.id]
    assert [p[2] for p in queries.helper_points(village.id, "/mensen/")] == [near.id]
    assert queries.people_on_village_map(village.id) == [req.resident_id, near.id]

    # a helper's profile removed: out of both at once
    session.execute(delete(VolunteerProfile).where(VolunteerProfile.user_id == near.id))
    assert candidates.fetch_rows(req, (52.08, 5.31)) == []
    assert queries.helper_points(village.id, "/mensen/") == []


def _plan(session, stmt, params) -> str:
    sql = str(stmt.params(**params).compile(db.engine, compile_kwargs={"literal_binds": True}))
    if db.engine.dialect.name == "sqlite":
        return "\n".join(row[3] for row in session.execute(text("EXPLAIN QUERY PLAN " + sql)))
    # A test database is tiny, so PostgreSQL would rightly read it whole: ask for the plan it
    # takes on a village of thousands of people, where only an index range is cheap.
    for setting in ("enable_seqscan", "enable_bitmapscan"):
        session.execute(text(f"SET LOCAL {setting} = off"))
    return "\n".join(row[0] for row in session.execute(text("EXPLAIN " + sql)))


def test_the_helpers_near_a_request_are_read_from_the_partial_index(session, make, village, make_request):
    """On a village as they are, residents many and helpers few, with the statistics taken: a
    planner that knows the tables are tiny may read any index at the same cost."""
    for n in range(10):
        make.volunteer(village, lat=52.08 + n / 1000, lon=5.31)
    session.execute(insert(User), [{"village_id": village.id, "first_name": f"Inwoner{n}", "last_name": "Jansen",
                                    "lat": 52.0 + n / 2000, "lon": 5.3 + n / 3000} for n in range(400)])
    session.execute(text("ANALYZE"))
    req = make_request(lat=52.08, lon=5.31)
    params = {"rank_category_id": req.category_id, "rank_resident_id": req.resident_id,
              "rank_village_id": village.id, "rank_id": req.id, "rank_day": None, "rank_first": None,
              "rank_last": None, "rank_lat": 52.08, "rank_lon": 5.31, "rank_per_lon": 68.5}
    plan = _plan(session, candidates._statement(False, True), params)
    assert INDEX in plan, plan


def test_the_index_holds_the_helpers_only(session):
    query = ("SELECT sql FROM sqlite_master WHERE name = :name" if db.engine.dialect.name == "sqlite" else
             "SELECT indexdef FROM pg_indexes WHERE indexname = :name")
    sql = session.execute(text(query), {"name": INDEX}).scalar()
    assert sql and "WHERE" in sql and "is_helper" in sql.split("WHERE", 1)[1]


def test_the_migration_marks_the_helpers_already_there(backend, workdir, request):
    with migrated_to_before(request, workdir, backend, REVISION):
        with db.engine.begin() as connection:
            village_id = add_village(connection, "a")
            for name in ("Bep", "Kees", "Anna"):
                connection.execute(text(
                    "INSERT INTO users (village_id, first_name, last_name, active, session_version, created_at) "
                    "VALUES (:v, :n, 'Jansen', true, 1, '2026-01-01 10:00:00')"), {"v": village_id, "n": name})
            ids = dict(connection.execute(text("SELECT first_name, id FROM users")).all())
            connection.execute(text("INSERT INTO volunteer_profiles (user_id, radius_km, max_hours_month, paused, "
                                    "under_21, motivation, preferences) VALUES (:u, 3.0, 12, false, false, '', '')"),
                               {"u": ids["Kees"]})
            connection.execute(text("INSERT INTO professional_profiles (user_id, organisation, discipline, "
                                    "radius_km) VALUES (:u, 'Thuiszorg', 'verpleegkundige', 10.0)"),
                               {"u": ids["Anna"]})
        upgrade()
        marked = dict(db.session.execute(select(User.first_name, User.is_helper)).all())
        assert marked == {"Bep": False, "Kees": True, "Anna": True}
        # and from here on the triggers keep it
        db.session.execute(delete(VolunteerProfile).where(VolunteerProfile.user_id == ids["Kees"]))
        db.session.commit()
        assert db.session.scalar(select(User.is_helper).where(User.id == ids["Kees"])) is False
