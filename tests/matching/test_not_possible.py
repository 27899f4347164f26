"""An honest candidate list: everyone near who cannot take the request is listed apart with every
reason, nearly possible first and "biedt geen … aan" last; nobody silently vanishes."""
from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from coop.core.clock import local_now
from coop.matching import candidates, ranking
from coop.people.models import Competence, HoursEntry
from coop.requests.models import HelpRequest

KM_LAT = 111.2  # km per degree of latitude, near enough for placing test helpers


def north(km: float) -> float:
    return 52.08 + km / KM_LAT


def reasons_of(ranked) -> dict[int, list[str]]:
    return {c.helper.id: c.ineligible for c in ranked.ineligible}


def test_every_reason_shows_and_the_nearly_possible_come_first(
        session, make, village, make_request, client_as, coordinator):
    today = local_now().date()
    ok = make.volunteer(village, first_name="Kan", last_name="Het", lat=north(0.3), lon=5.31)
    outside = make.volunteer(village, first_name="Net", last_name="Buiten", lat=north(1.4), lon=5.31)
    outside.volunteer_profile.radius_km = 1.0
    paused = make.volunteer(village, first_name="Op", last_name="Pauze", lat=north(0.5), lon=5.31)
    paused.volunteer_profile.paused = True
    expired = make.volunteer(village, first_name="Oude", last_name="Vog", vog_days_ago=4 * 365,
                             lat=north(0.6), lon=5.31)
    no_vog = make.volunteer(village, first_name="Geen", last_name="Vog", vog_days_ago=None, lat=north(0.7), lon=5.31)
    waiting = make.volunteer(village, first_name="Nog", last_name="Niet", approved=False, lat=north(0.8), lon=5.31)
    unplaced = make.volunteer(village, first_name="Zonder", last_name="Plek", lat=None, lon=None)
    busy = make.volunteer(village, first_name="Vol", last_name="Uren", lat=north(0.9), lon=5.31)
    session.add(HoursEntry(village_id=village.id, helper_id=busy.id, worked_on=today, hours=Decimal("10"),
                           status="confirmed"))
    two = make.volunteer(village, first_name="Twee", last_name="Redenen", vog_days_ago=None, lat=north(0.2), lon=5.31)
    two.volunteer_profile.paused = True
    other = make.volunteer(village, first_name="Ander", last_name="Aanbod", categories=("gezelschap",),
                           lat=north(0.1), lon=5.31)
    far = make.volunteer(village, first_name="Heel", last_name="Ver", lat=north(2.5), lon=5.31)
    far.volunteer_profile.radius_km = 1.0
    session.flush()
    req = make_request(on_date=today)
    ranked = candidates.rank_for(req)
    assert [c.helper.id for c in ranked.candidates] == [ok.id]
    why = reasons_of(ranked)
    assert why[outside.id] == ["1,4 km; gaat tot 1 km"]
    assert why[paused.id] == ["staat op pauze"]
    assert why[expired.id] == ["VOG verlopen"]
    assert why[no_vog.id] == ["geen VOG"]
    assert why[waiting.id] == ["nog niet goedgekeurd"]
    assert why[unplaced.id] == ["nog niet op de kaart"]
    assert why[busy.id] == ["zit deze maand aan het maximum van 10 uur"]
    assert why[two.id] == ["staat op pauze", "geen VOG"]
    assert why[other.id] == ["biedt geen boodschappen aan"]
    assert far.id not in why  # 2,5 km and a radius of 1 km: not near
    order = [c.helper.id for c in ranked.ineligible]
    # One reason, nearest first; the one not on the map after them; then two reasons; the one
    # who does not offer this help last, although nearest of all.
    assert order == [paused.id, expired.id, no_vog.id, waiting.id, busy.id, outside.id, unplaced.id, two.id,
                     other.id]
    page = client_as(coordinator).get(f"/hulpvragen/{req.id}/koppelen").text
    listed = page.split('data-testid="ineligible"')[1].split("</ul>")[0]
    for text in ("Net Buiten</a>: 1,4 km; gaat tot 1 km", "Op Pauze</a> (0,5 km): staat op pauze",
                 "Oude Vog</a> (0,6 km): VOG verlopen", "Geen Vog</a> (0,7 km): geen VOG",
                 "Nog Niet</a> (0,8 km): nog niet goedgekeurd", "Zonder Plek</a>: nog niet op de kaart",
                 "Vol Uren</a> (0,9 km): zit deze maand aan het maximum van 10 uur",
                 "Twee Redenen</a> (0,2 km): staat op pauze, geen VOG",
                 "Ander Aanbod</a> (0,1 km): biedt geen boodschappen aan"):
        assert text in listed, text
    assert listed.index("Op Pauze") < listed.index("Twee Redenen") < listed.index("Ander Aanbod")
    assert "Heel Ver" not in page


def test_trained_task_reasons_competence_backstop_and_agreement(
        session, make, village, make_request, professional):
    medication = make.category(village, "medicatie")
    untrained = make.volunteer(village, first_name="Niet", last_name="Bevoegd")
    alone = make.volunteer(village, first_name="Geen", last_name="Achterwacht", lat=52.0801, lon=5.31)
    unsigned = make.volunteer(village, first_name="Niet", last_name="Getekend", lat=52.0802, lon=5.31)
    ready = make.volunteer(village, first_name="Wel", last_name="Klaar", lat=52.0803, lon=5.31)
    recorded = local_now().date() - timedelta(days=5)
    for volunteer, backstop in ((alone, None), (unsigned, professional), (ready, professional)):
        volunteer.volunteer_profile.competences.append(Competence(
            category=medication, recorded_on=recorded, backstop_id=backstop.id if backstop else None))
    unsigned.volunteer_profile.volunteer_contract_signed_on = None
    session.flush()
    ranked = candidates.rank_for(make_request("medicatie"))
    assert {c.helper.id for c in ranked.candidates} == {ready.id, professional.id}
    why = reasons_of(ranked)
    assert why[untrained.id] == ["niet bevoegd voor hulp bij medicijnen"]
    assert why[alone.id] == ["geen professionele achterwacht"]
    assert why[unsigned.id] == ["geen getekende vrijwilligersovereenkomst"]


def test_proposing_someone_who_cannot_is_refused_with_the_same_words(
        session, make, village, make_request, coordinator, client_as):
    outside = make.volunteer(village, first_name="Net", last_name="Buiten", lat=north(1.4), lon=5.31)
    outside.volunteer_profile.radius_km = 1.0
    unplaced = make.volunteer(village, first_name="Zonder", last_name="Plek", lat=None, lon=None)
    req = make_request()
    session.commit()  # keep the set-up when a refused proposal rolls back
    coord = client_as(coordinator)
    refused = coord.post(f"/hulpvragen/{req.id}/voorstellen", data={"helper_id": outside.id})
    assert refused.status_code == 422 and "kan niet worden voorgesteld: 1,4 km; gaat tot 1 km." in refused.text
    refused = coord.post(f"/hulpvragen/{req.id}/voorstellen", data={"helper_id": unplaced.id})
    assert refused.status_code == 422 and "kan niet worden voorgesteld: nog niet op de kaart." in refused.text


def test_nobody_is_preselected_and_the_score_is_explained(session, make, village, make_request, coordinator,
                                                          client_as):
    make.volunteer(village, first_name="Eerste")
    make.volunteer(village, first_name="Tweede", lat=52.081, lon=5.31)
    req = make_request()
    page = client_as(coordinator).get(f"/hulpvragen/{req.id}/koppelen").text
    radios = re.findall(r'<input class="govuk-radios__input"[^>]*name="helper_id"[^>]*>', page)
    assert len(radios) == 2 and not any("checked" in r for r in radios)
    assert re.search(r"\d+ van 100 punten", page)
    assert "Hoe de punten worden geteld" in page and "15 punten als de helper deze inwoner eerder hielp" in page
    assert "score " not in page
    refused = client_as(coordinator).post(f"/hulpvragen/{req.id}/voorstellen", data={"note": ""})
    assert refused.status_code == 422 and "Kies een helper." in refused.text


def test_beyond_the_list_the_rest_are_counted_by_reason(session, make, village, make_request, coordinator,
                                                        client_as):
    extra = 3
    for i in range(candidates.INELIGIBLE_SHOWN + extra):
        make.volunteer(village, categories=("gezelschap",), lat=52.08 + i * 0.0005, lon=5.31)
    req = make_request()
    ranked = candidates.rank_for(req)
    assert len(ranked.ineligible) == candidates.INELIGIBLE_SHOWN
    assert ranked.more == extra and ranked.more_reasons == [("biedt geen boodschappen aan", extra)]
    page = client_as(coordinator).get(f"/hulpvragen/{req.id}/koppelen").text
    assert f"En nog {extra} in de buurt die dit nu niet kunnen:" in page
    assert f"biedt geen boodschappen aan ({extra})" in page


def test_unplaced_helpers_cost_no_extra_query(session, make, village, make_request, count_queries):
    for i in range(6):
        make.volunteer(village, lat=52.08 + i * 0.001, lon=5.31)
    for _ in range(4):
        make.volunteer(village, lat=None, lon=None)
    req = make_request()
    session.expire_all()
    req = session.get(HelpRequest, req.id)
    counter = count_queries()
    ranked = candidates.rank_for(req)
    assert len(ranked.candidates) == 6
    assert [c.ineligible for c in ranked.ineligible] == [[ranking.NOT_ON_MAP]] * 4
    assert counter.count <= 5


def test_load_is_counted_in_the_month_of_the_request(session, make, village, make_request):
    today = local_now().date()
    busy = make.volunteer(village)
    session.add(HoursEntry(village_id=village.id, helper_id=busy.id, worked_on=today, hours=Decimal("10"),
                           status="confirmed"))
    session.flush()
    assert reasons_of(candidates.rank_for(make_request(on_date=today)))[busy.id] == [
        "zit deze maand aan het maximum van 10 uur"]
    next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    (later,) = candidates.rank_for(make_request(on_date=next_month)).candidates
    assert later.helper.id == busy.id and f"0 van 10 uur {candidates.month_words(next_month)}" in later.reasons
    assert candidates.month_words(next_month).startswith("in ")
