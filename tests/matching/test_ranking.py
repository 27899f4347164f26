"""Eligibility and scoring as pure functions: each rule can exclude, reasons are right."""
from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from coop.core.models import TaskCategory
from coop.matching import ranking

ON = date(2026, 3, 10)  # a Tuesday
OPEN = ranking.CategoryInfo(1, "boodschappen", "Boodschappen", TaskCategory.OPEN)
TRAINED = ranking.CategoryInfo(2, "medicatie", "Hulp bij medicijnen", TaskCategory.TRAINED)
PRO = ranking.CategoryInfo(3, "wijkverpleging", "Wijkverpleging", TaskCategory.PROFESSIONAL)
MUNICIPAL = ranking.CategoryInfo(4, "woningaanpassing", "Woningaanpassing", TaskCategory.MUNICIPAL)


def volunteer(**kw) -> ranking.HelperRow:
    base = dict(id=1, first_name="Kees", last_name="Bakker", lat=52.08, lon=5.31, kind=ranking.VOLUNTEER,
                radius_km=3.0, max_hours_month=10, vog_date=ON - timedelta(days=100), contract_signed_on=ON,
                offers=True, competence=True, backstop=True)
    base.update(kw)
    return ranking.HelperRow(**base)


def test_an_approved_volunteer_with_everything_in_order_is_eligible():
    assert ranking.ineligibility(volunteer(), OPEN, ON, 3) == []
    assert ranking.ineligibility(volunteer(), TRAINED, ON, 3) == []


@pytest.mark.parametrize("changes, category, reason", [
    ({"active": False}, OPEN, "account niet actief"),
    ({"approved": False}, OPEN, "nog niet goedgekeurd"),
    ({"paused": True}, OPEN, "staat op pauze"),
    ({"vog_date": None}, OPEN, "geen VOG"),
    ({"vog_date": ON - timedelta(days=3 * 366)}, OPEN, "VOG verlopen"),
    ({"absent": True}, OPEN, "afwezig"),
    ({"offers": False}, OPEN, "biedt geen boodschappen aan"),
    ({"competence": False}, TRAINED, "niet bevoegd voor hulp bij medicijnen"),
    ({"backstop": False}, TRAINED, "geen professionele achterwacht"),
    ({"contract_signed_on": None}, TRAINED, "geen getekende vrijwilligersovereenkomst"),
    ({}, PRO, "alleen voor zorgprofessionals"),
    ({"has_volunteer_role": False}, OPEN, "geen vrijwilliger"),
])
def test_each_rule_excludes_with_its_reason(changes, category, reason):
    assert reason in ranking.ineligibility(volunteer(**changes), category, ON, 3)


def test_municipal_tasks_are_never_matched():
    assert ranking.ineligibility(volunteer(), MUNICIPAL, ON, 3) == [
        "wordt doorverwezen naar de gemeente, niet gekoppeld"]
    assert ranking.ineligibility(volunteer(kind=ranking.PROFESSIONAL), MUNICIPAL, ON, 3)


def test_professionals_only_for_their_own_professional_categories():
    assert ranking.ineligibility(volunteer(kind=ranking.PROFESSIONAL, offers=True), PRO, ON, 3) == []
    assert ranking.ineligibility(volunteer(kind=ranking.PROFESSIONAL, offers=False), PRO, ON, 3) == [
        "doet geen wijkverpleging"]


def test_vog_valid_until_the_configured_years():
    assert ranking.vog_valid(date(2023, 3, 11), ON, 3)
    assert not ranking.vog_valid(date(2023, 3, 10), ON, 3)


def test_score_reasons_in_words():
    row = volunteer(hours_month=3, helped_before=True, preferences="Ik doe graag boodschappen")
    when = ranking.When(ON, time(12), time(17), "afternoon")
    c = ranking.score(ranking.Candidate(row, 1.2), [(1, time(13), time(16))], when, OPEN, "Bep")
    assert c.reasons == ["1,2 km", "kan di-middag", "3 van 10 uur deze maand", "hielp Bep eerder",
                         "wil graag helpen met boodschappen"]
    assert 0 < c.score <= 100


def test_time_fit_no_overlap_and_unknown_slots():
    when = ranking.When(ON, time(9), time(12), "morning")
    assert ranking.time_fit([(1, time(13), time(16))], when) == (0.0, "meestal niet beschikbaar op di")
    assert ranking.time_fit([], when)[1] == "beschikbaarheid niet ingevuld"
    assert ranking.time_fit([(0, time(9), time(12))], ranking.When(None))[1].startswith("flexibel")


def test_each_factor_moves_the_score():
    when = ranking.When(ON, time(12), time(17), "afternoon")
    def s(row, km=1.0, slots=()):
        return ranking.score(ranking.Candidate(row, km), list(slots), when, OPEN, "Bep").score
    base = s(volunteer())
    assert s(volunteer(), km=2.5) < base                                  # further away
    assert s(volunteer(), slots=[(1, time(12), time(15))]) > base         # available then
    assert s(volunteer(hours_month=10)) < base                            # at the maximum
    assert s(volunteer(helped_before=True)) > base                        # continuity
    assert s(volunteer(preferences="boodschappen")) > base                # preference
    full = ranking.score(ranking.Candidate(volunteer(hours_month=12), 1.0), [], when, OPEN, "Bep")
    assert "zit aan het maximum van 10 uur" in full.reasons


def test_rank_keeps_radius_sorts_and_separates_ineligible():
    near, far, bad = volunteer(id=1), volunteer(id=2, radius_km=1.0), volunteer(id=3, paused=True)
    best = volunteer(id=4, helped_before=True)
    good, ineligible = ranking.rank([near, far, bad, best], {1: 0.5, 2: 1.5, 3: 0.2, 4: 0.9}, {},
                                  ranking.When(ON), OPEN, "Bep", ON, 3)
    assert [c.helper.id for c in good] == [4, 1]  # far (1.5 km) lives outside its 1 km radius
    # far is not dropped: near the request, listed apart with both distances.
    assert [(c.helper.id, c.ineligible) for c in ineligible] == [(3, ["staat op pauze"]),
                                                                 (2, ["1,5 km; gaat tot 1 km"])]


def test_only_who_can_make_the_list_is_measured_and_the_list_is_the_same():
    """With cheap distances, the exact one is asked only of those whose score can reach the
    first `limit`; the list (order, scores, distances, reasons) is that of exact distances."""
    import random
    rng = random.Random(7)
    rows = [volunteer(id=i, radius_km=rng.choice([1.0, 2.0, 3.0, 5.0]), hours_month=rng.choice([0, 2, 5]),
                      helped_before=i % 9 == 0) for i in range(1, 121)]
    # the geodesic within SPHERE_MARGIN of the cheap distance, either side
    cheap = {row.id: rng.uniform(0.05, row.radius_km / ranking.SPHERE_MARGIN) for row in rows}
    geodesic = {i: km * rng.uniform(1 / ranking.SPHERE_MARGIN, ranking.SPHERE_MARGIN) for i, km in cheap.items()}
    asked: list[int] = []

    def exact(row):
        asked.append(row.id)
        return geodesic[row.id]
    possible, _ = ranking.sort_out(rows, cheap, exact, OPEN, ON, 3)
    assert len(possible) == 120 and all(c.approximate for c in possible) and asked == []
    slots = {i: [(ON.weekday(), time(9), time(17))] for i in range(1, 121, 2)}
    when = ranking.When(ON, time(12), time(17), "afternoon")
    shown = ranking.rank_sorted(possible, slots, when, OPEN, "Bep", 10, exact=exact)
    measured = [ranking.Candidate(row, geodesic[row.id]) for row in rows]
    expected = ranking.rank_sorted(measured, slots, when, OPEN, "Bep", 10)
    assert [(c.helper.id, c.score, c.distance_km, c.reasons) for c in shown] == \
        [(c.helper.id, c.score, c.distance_km, c.reasons) for c in expected]
    assert not any(c.approximate for c in shown)
    assert {c.helper.id for c in shown} <= set(asked) and len(asked) < 40
