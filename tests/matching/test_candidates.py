"""Ranking from the database: SQL pre-filter agrees with the rules; at most 5 queries."""
from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

from coop.core.clock import local_now
from coop.matching import candidates
from coop.people.models import Absence, HoursEntry, WeeklySlot
from coop.people.service import ineligibility_reasons


def test_ranked_with_reasons_and_ineligible_listed_apart(session, make, village, make_request):
    good = make.volunteer(village, first_name="Goed", lat=52.081, lon=5.311)
    expired = make.volunteer(village, first_name="Verlopen", vog_days_ago=4 * 365, lat=52.0805, lon=5.3105)
    away = make.volunteer(village, first_name="Weg", lat=52.0802, lon=5.3102)
    far = make.volunteer(village, first_name="Ver", lat=52.30, lon=5.31)  # ~24 km: outside 5 km
    today = local_now().date()
    session.add(Absence(user=away, starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=1)))
    session.add(WeeklySlot(user=good, weekday=today.weekday(), start=time(9), end=time(17)))
    session.add(HoursEntry(village_id=village.id, helper_id=good.id, worked_on=today, hours=Decimal("3"),
                           status="confirmed"))
    session.flush()
    req = make_request(on_date=today, part_of_day="afternoon")
    ranked = candidates.rank_for(req)
    assert [c.helper.id for c in ranked.candidates] == [good.id]
    reasons = ranked.candidates[0].reasons
    assert reasons[0].endswith(" km") and any(r.startswith("kan ") for r in reasons)
    assert "3 van 10 uur deze maand" in reasons
    apart = {c.helper.id: c.ineligible for c in ranked.ineligible}
    assert apart[expired.id] == ["VOG verlopen"]
    assert apart[away.id] == ["afwezig"]
    assert far.id not in apart


def test_trained_category_needs_competence(session, make, village, make_request):
    volunteer = make.volunteer(village, first_name="Ongetraind")
    ranked = candidates.rank_for(make_request("medicatie"))
    assert [c.ineligible for c in ranked.ineligible if c.helper.id == volunteer.id] == [
        ["niet bevoegd voor hulp bij medicijnen"]]


def test_sql_prefilter_agrees_with_people_service(session, make, village, make_request):
    helpers = [make.volunteer(village), make.volunteer(village, approved=False),
               make.volunteer(village, vog_days_ago=None), make.volunteer(village, categories=("gezelschap",)),
               make.professional(village)]
    helpers[0].volunteer_profile.paused = True
    session.flush()
    for code in ("boodschappen", "medicatie", "wijkverpleging"):
        category = make.category(village, code)
        ranked = candidates.rank_for(make_request(code))
        eligible = {c.helper.id for c in ranked.candidates}
        for helper in helpers:
            expected = not ineligibility_reasons(helper, category)
            assert (helper.id in eligible) == expected, (code, helper, ineligibility_reasons(helper, category))


def test_at_most_five_queries(session, make, village, make_request, count_queries):
    for i in range(15):
        make.volunteer(village, lat=52.08 + i * 0.001, lon=5.31)
    req = make_request()
    session.expire_all()
    from coop.requests.models import HelpRequest
    req = session.get(HelpRequest, req.id)
    counter = count_queries()
    ranked = candidates.rank_for(req)
    assert len(ranked.candidates) == 15
    assert counter.count <= 5


def test_municipal_and_unlocated_requests_have_no_candidates(session, make, village, make_request):
    make.volunteer(village)
    assert candidates.rank_for(make_request("woningaanpassing")).candidates == []
    unlocated = candidates.rank_for(make_request(lat=None, lon=None))
    assert unlocated.located is False and unlocated.candidates == []


def test_a_wide_radius_reaches_far_and_the_edge_is_exact(session, make, village, make_request):
    """The first box is as wide as the largest radius anyone chose (up to 50 km in the form)."""
    from coop.geo.distance import distance_km
    from coop.people.models import VolunteerProfile
    req = make_request()
    point = (req.lat, req.lon)
    wide = make.volunteer(village, first_name="Wijd", lat=req.lat + 0.36, lon=req.lon)  # ~40 km north
    session.get(VolunteerProfile, wide.id).radius_km = 45.0
    short = make.volunteer(village, first_name="Kort", lat=req.lat + 0.36, lon=req.lon + 0.01)
    session.get(VolunteerProfile, short.id).radius_km = 35.0
    session.flush()
    found = {c.helper.id: c.distance_km for c in candidates.rank_for(req).candidates}
    assert wide.id in found and short.id not in found
    assert found[wide.id] == distance_km(point, (wide.lat, wide.lon))
    # Just inside and just outside one's own radius, decided on the geodesic, not the box.
    edge = distance_km(point, (short.lat, short.lon))
    session.get(VolunteerProfile, short.id).radius_km = edge + 0.01
    session.flush()
    assert short.id in {c.helper.id for c in candidates.rank_for(req).candidates}
    session.get(VolunteerProfile, short.id).radius_km = edge - 0.01
    session.flush()
    assert short.id not in {c.helper.id for c in candidates.rank_for(req).candidates}


def test_the_list_is_that_of_exact_distances_for_everyone(session, make, village, make_request):
    """Measuring only who can make the list gives the list of measuring everyone."""
    import random

    from coop.core.models import TaskCategory
    from coop.geo.distance import distance_km
    from coop.matching import ranking
    from coop.people.models import VolunteerProfile
    rng = random.Random(3)
    req = make_request()
    for _ in range(40):
        helper = make.volunteer(village, lat=req.lat + rng.uniform(-0.02, 0.02), lon=req.lon + rng.uniform(-0.03, 0.03))
        session.get(VolunteerProfile, helper.id).radius_km = rng.choice([1.0, 2.0, 3.0])
    session.flush()
    ranked = candidates.rank_for(req, limit=8)
    point = (req.lat, req.lon)
    rows = candidates.fetch_rows(req, point)
    exact = {r.id: distance_km(point, (r.lat, r.lon)) for r in rows if r.lat is not None}
    category = ranking.CategoryInfo(req.category.id, req.category.code, req.category.name, TaskCategory.OPEN)
    day = candidates.request_day(req)
    possible, _ = ranking.sort_out(rows, exact, lambda row: exact[row.id], category, day, 3)
    slots = candidates.fetch_slots([c.helper.id for c in possible], candidates.request_when(req).day)
    expected = ranking.rank_sorted(possible, slots, candidates.request_when(req), category, req.resident.first_name, 8,
                                 candidates.month_words(day))
    assert len(expected) == 8
    assert [(c.helper.id, c.score, c.distance_km, c.reasons) for c in ranked.candidates] == \
        [(c.helper.id, c.score, c.distance_km, c.reasons) for c in expected]


def test_the_first_filter_keeps_everyone_within_reach_and_drops_the_corners(session, make, village, make_request):
    """The statement keeps a helper by their distance on a flat map with the box's shortest
    degrees, which is never longer than the geodesic: all round the request, a helper just
    inside their radius (or NEAR_KM) is fetched, and one in a corner of their box, beyond
    both, is not fetched at all."""
    from pyproj import Geod

    from coop.geo.distance import KM_PER_DEGREE_LAT, distance_km, km_per_degree_lon
    from coop.matching import ranking
    from coop.people.models import VolunteerProfile
    wgs84 = Geod(ellps="WGS84")
    req = make_request()
    inside, corners = set(), set()
    for radius in (0.5, 3.0, 12.0):
        reach = max(radius, ranking.NEAR_KM)
        for bearing in range(0, 360, 15):
            lon, lat, _ = wgs84.fwd(req.lon, req.lat, bearing, reach * 999)  # 0.999 of the reach
            helper = make.volunteer(village, lat=lat, lon=lon)
            session.get(VolunteerProfile, helper.id).radius_km = radius
            inside.add(helper.id)
        # the box's corner: within reach along each axis, about 1.4 times it as the crow flies
        for north, east in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
            helper = make.volunteer(village, lat=req.lat + north * reach / KM_PER_DEGREE_LAT,
                                    lon=req.lon + east * reach / km_per_degree_lon(req.lat))
            session.get(VolunteerProfile, helper.id).radius_km = radius
            assert distance_km((req.lat, req.lon), (helper.lat, helper.lon)) > reach * 1.3
            corners.add(helper.id)
    session.flush()
    fetched = {row.id for row in candidates.fetch_rows(req, (req.lat, req.lon))}
    assert inside <= fetched
    assert not corners & fetched
