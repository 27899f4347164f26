"""Everyone on the map: people are geocoded when saved, the coordinator sets or corrects a pin,
and whoever has no place yet is listed under "Nog niet op de kaart"."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from coop.core import roles as R
from coop.core.models import AuditLog, User
from coop.matching import candidates, queries
from coop.people import service
from coop.requests.models import HelpRequest
from tests.geo import gazetteer


@pytest.fixture
def addresses(session):
    gazetteer.load()


def person_named(session, last_name) -> User:
    return session.scalar(select(User).where(User.last_name == last_name))


def test_resident_taken_in_by_phone_gets_a_pin_and_her_request_is_on_the_map(
        client_as, session, coordinator, addresses):
    coord = client_as(coordinator)
    response = coord.post("/hulpvragen/namens", data={
        "first_name": "Riek", "last_name": "de Boer", "phone": "0343 123456",
        "street": "Kerkweg", "house_number": "2", "postcode": ""})
    assert response.status_code == 302
    riek = person_named(session, "de Boer")
    assert (riek.lat, riek.lon) == (52.083, 5.315)
    page = coord.get(f"/mensen/{riek.id}").text
    assert "Riek staat op de kaart." in page and "Nog niet op de kaart" not in page
    assert '"focus"' in page and "52.083" in page  # her pin is drawn on her page's map
    # Her request by phone takes her place: on the village map, no "Adres opzoeken" needed.
    coord.post(f"/hulpvragen/namens/{riek.id}", data={
        "category_id": _category_id(session, riek), "description": "Boodschappen bij de Plus",
        "when": "flexible", "urgency": "week", "recurrence": "once", "own_address": "yes", "channel": "phone",
        "form_token": "telefoon-riek-de-boer-1"})
    req = session.scalar(select(HelpRequest).where(HelpRequest.resident_id == riek.id))
    assert (req.lat, req.lon) == (52.083, 5.315)
    points = queries.request_points(riek.village_id, "/hulpvragen/")
    assert [p[:3] for p in points] == [[52.083, 5.315, req.id]]
    assert "Nog niet op de kaart" not in coord.get("/").text


def _category_id(session, person):
    from coop.core.models import TaskCategory
    return session.scalar(select(TaskCategory.id).where(TaskCategory.village_id == person.village_id,
                                                        TaskCategory.code == "boodschappen"))


def test_new_person_form_geocodes_and_an_unknown_address_is_saved_without_a_pin(
        client_as, session, coordinator, addresses):
    coord = client_as(coordinator)
    coord.post("/mensen/nieuw", data={"first_name": "Jan", "last_name": "Kok", "street": "Lindelaan",
                                      "house_number": "12", "postcode": "3712ad"})
    assert (person_named(session, "Kok").lat, person_named(session, "Kok").lon) == (52.079, 5.308)
    response = coord.post("/mensen/nieuw", data={"first_name": "Nel", "last_name": "Onbekend",
                                                 "street": "Nergensweg", "house_number": "9"})
    assert response.status_code == 302
    nel = person_named(session, "Onbekend")
    assert nel.lat is None and nel.lon is None
    page = coord.get(f"/mensen/{nel.id}").text
    assert "Nog niet op de kaart." in page and "Zoek adres opnieuw" in page
    home = coord.get("/").text
    assert "Nog niet op de kaart (1)" in home
    assert f'href="/mensen/{nel.id}#plek">Nel Onbekend</a>, Nergensweg 9' in home


def test_network_down_saves_the_person_without_a_pin(app, client_as, session, coordinator):
    saved = dict(app.config)
    app.config.update(GEOCODER="pdok", PDOK_URL="http://127.0.0.1:1/free")
    try:
        response = client_as(coordinator).post("/mensen/nieuw", data={
            "first_name": "Cor", "last_name": "Zonder", "street": "Kerkweg", "house_number": "3"})
    finally:
        app.config.clear()
        app.config.update(saved)
    assert response.status_code == 302
    cor = person_named(session, "Zonder")
    assert cor is not None and cor.lat is None


def test_unknown_volunteer_is_listed_and_becomes_a_candidate_once_pinned(
        client_as, session, make, village, coordinator, resident, addresses):
    from coop.matching import ranking
    kees = make.volunteer(village, first_name="Kees", last_name="Zoekmij", lat=None, lon=None)
    req = HelpRequest(village_id=village.id, resident=resident, category=make.category(village, "boodschappen"),
                      description="Brood halen", status="searching", lat=52.08, lon=5.31,
                      street="Elders", house_number="1")
    session.add(req)
    session.flush()
    ranked = candidates.rank_for(req)
    assert kees.id not in {c.helper.id for c in ranked.candidates}
    assert {c.helper.id: c.ineligible for c in ranked.ineligible}[kees.id] == [ranking.NOT_ON_MAP]
    coord = client_as(coordinator)
    home = coord.get("/").text
    assert "Nog niet op de kaart" in home and f'href="/mensen/{kees.id}#plek">Kees Zoekmij</a>' in home
    match_page = coord.get(f"/hulpvragen/{req.id}/koppelen").text
    assert "Kees Zoekmij</a>: nog niet op de kaart" in match_page
    # A click in the sea is refused in Dutch; a click in the village is saved.
    bad = coord.post(f"/mensen/{kees.id}/plek", data={"lat": "52,0", "lon": "2,5"})
    assert bad.status_code == 422 and "ligt niet in Nederland" in bad.text
    session.refresh(kees)
    assert kees.lat is None
    assert coord.post(f"/mensen/{kees.id}/plek", data={"lat": "52,0805", "lon": "5.3105"}).status_code == 302
    session.expire_all()
    assert (kees.lat, kees.lon) == (52.0805, 5.3105)
    assert kees.id in {c.helper.id for c in candidates.rank_for(session.get(HelpRequest, req.id)).candidates}
    assert "Kees Zoekmij" not in coord.get("/").text
    log = session.scalar(select(AuditLog).where(AuditLog.action == "person.pinned"))
    assert log.actor_id == coordinator.id and log.subject_user_id == kees.id


def test_look_up_again_after_the_gazetteer_knows_the_address(client_as, session, make, village, coordinator):
    piet = make.user(village, R.RESIDENT, first_name="Piet", lat=None, lon=None, street="Kerkweg")
    coord = client_as(coordinator)
    missed = coord.post(f"/mensen/{piet.id}/adres-zoeken", follow_redirects=True)
    assert "Dit adres kennen we niet" in missed.text
    gazetteer.load([[piet.postcode, piet.house_number, "Kerkweg", "Austerlitz", "52.0822", "5.3133"]])
    found = coord.post(f"/mensen/{piet.id}/adres-zoeken", follow_redirects=True)
    assert "Het adres is gevonden en staat op de kaart." in found.text
    session.expire_all()
    assert (piet.lat, piet.lon) == (52.0822, 5.3133)


def test_a_new_address_is_geocoded_and_open_requests_at_home_follow(
        client_as, session, make, village, coordinator, resident, addresses):
    shopping = make.category(village, "boodschappen")
    at_home = HelpRequest(village_id=village.id, resident=resident, category=shopping, description="Thuis",
                          status="searching", street=resident.street, house_number=resident.house_number,
                          postcode=resident.postcode, place=resident.place, lat=resident.lat, lon=resident.lon)
    elsewhere = HelpRequest(village_id=village.id, resident=resident, category=shopping, description="Bij de zus",
                            status="searching", street="Molenweg", house_number="8", lat=52.09, lon=5.32)
    done = HelpRequest(village_id=village.id, resident=resident, category=shopping, description="Vorige maand",
                       status="done", street=resident.street, house_number=resident.house_number,
                       lat=resident.lat, lon=resident.lon)
    session.add_all([at_home, elsewhere, done])
    session.flush()
    coord = client_as(coordinator)
    response = coord.post(f"/mensen/{resident.id}/adres", data={
        "street": "Dorpsstraat", "house_number": "5", "postcode": "3712 AB", "place": ""})
    assert response.status_code == 302
    session.expire_all()
    assert (resident.lat, resident.lon) == (52.081, 5.311) and resident.address_line == \
        "Dorpsstraat 5, 3712 AB Austerlitz"
    assert (at_home.street, at_home.house_number, at_home.lat, at_home.lon) == ("Dorpsstraat", "5", 52.081, 5.311)
    assert (elsewhere.lat, elsewhere.lon) == (52.09, 5.32)  # names its own address: stays
    assert done.lat != 52.081  # closed requests keep where they were
    history = coord.get(f"/mensen/{resident.id}").text
    assert "adres gewijzigd: Dorpsstraat 5, 3712 AB Austerlitz" in history and "Marieke van Dam" in history
    # An address no geocoder knows: saved, the old pin goes, listed as not on the map.
    response = coord.post(f"/mensen/{resident.id}/adres", data={
        "street": "Nieuwbouw", "house_number": "1", "postcode": "", "place": ""})
    assert response.status_code == 302, response.text
    session.expire_all()
    assert resident.lat is None and at_home.lat is None and at_home.street == "Nieuwbouw"
    home = coord.get("/").text
    assert f'href="/mensen/{resident.id}#plek">Bep Jansen</a>' in home
    assert f'href="/hulpvragen/{at_home.id}/koppelen">Boodschappen</a> van Bep Jansen' in home


def test_pin_on_a_request_at_home_is_the_residents_place(client_as, session, make, village, coordinator):
    bep = make.user(village, R.RESIDENT, first_name="Bep", lat=None, lon=None)
    shopping = make.category(village, "boodschappen")
    first, second = (HelpRequest(village_id=village.id, resident=bep, category=shopping, description=text,
                                 status="searching", street=bep.street, house_number=bep.house_number,
                                 postcode=bep.postcode) for text in ("een", "twee"))
    session.add_all([first, second])
    session.flush()
    page = client_as(coordinator).get(f"/hulpvragen/{first.id}/koppelen").text
    assert "de plek geldt ook voor Bep" in page
    assert client_as(coordinator).post(f"/hulpvragen/{first.id}/plek",
                                       data={"lat": "52.0811", "lon": "5.3122"}).status_code == 302
    session.expire_all()
    assert (bep.lat, bep.lon) == (first.lat, first.lon) == (second.lat, second.lon) == (52.0811, 5.3122)


def test_request_at_another_address_is_geocoded_when_posted(session, make, village, resident, addresses):
    from coop.requests.intake import FLEXIBLE, RequestInput, post_request
    data = RequestInput(category_id=make.category(village, "boodschappen").id, description="Bij mijn zus",
                        when=FLEXIBLE, urgency="week", own_address=False, street="Lindelaan",
                        house_number="12", postcode="3712 AD")
    req, _ = post_request(resident, data, by=resident, form_token="t" * 20)
    assert (req.lat, req.lon) == (52.079, 5.308)
    unknown = RequestInput(category_id=data.category_id, description="Ergens", when=FLEXIBLE, urgency="week",
                           own_address=False, street="Nergensweg", house_number="1")
    req, _ = post_request(resident, unknown, by=resident, form_token="u" * 20)
    assert req.lat is None


def test_pins_must_lie_in_the_netherlands(session, make, village, coordinator):
    from coop.core.errors import DomainError
    person = make.user(village, R.RESIDENT)
    for lat, lon in [("50.6", "5.3"), ("53.7", "5.3"), ("52", "3.2"), ("52", "7.4"), ("48.85", "2.35")]:
        with pytest.raises(DomainError, match="niet in Nederland"):
            service.place_person(person, lat, lon, by=coordinator)
    service.place_person(person, "50,7", "7,3", by=coordinator)
    assert (person.lat, person.lon) == (50.7, 7.3)


def test_a_pin_from_a_geocoder_outside_the_netherlands_is_a_miss(session, make, village, coordinator):
    gazetteer.load([["3712 ZZ", "1", "Grensweg", "Austerlitz", "51.0", "2.9"]])  # a typo in the file: Belgium
    person = make.user(village, R.RESIDENT, lat=None, lon=None)
    person.postcode, person.house_number = "3712 ZZ", "1"
    assert service.locate_person(person, by=coordinator) is False and person.lat is None


def test_volunteer_who_signs_up_is_geocoded_and_proposed_after_approval(
        client, client_as, session, make, village, coordinator, resident, addresses):
    from coop.core.clock import local_now
    shopping = make.category(village, "boodschappen")
    response = client.post("/aanmelden", data={
        "kind": "volunteer", "first_name": "Gerrit", "last_name": "Mulder", "email": "gerrit@example.nl",
        "phone": "06 12345678", "street": "Dorpsstraat", "house_number": "5", "postcode": "3712 AB",
        "offers": [str(shopping.id)], "radius_km": "1,5", "motivation": "Ik fiets graag.",
        "password": "koffie met appeltaart", "password2": "koffie met appeltaart"})
    assert response.status_code == 302
    gerrit = person_named(session, "Mulder")
    assert (gerrit.lat, gerrit.lon) == (52.081, 5.311)
    profile = gerrit.volunteer_profile
    assert [c.code for c in profile.categories] == ["boodschappen"] and profile.radius_km == 1.5
    req = HelpRequest(village_id=village.id, resident=resident, category=shopping, description="Brood",
                      status="searching", lat=52.0805, lon=5.3105, street="Dorpsstraat", house_number="9")
    session.add(req)
    session.flush()
    coord = client_as(coordinator)
    before = coord.get(f"/hulpvragen/{req.id}/koppelen").text
    assert "Gerrit Mulder</a> (0,1 km): nog niet goedgekeurd, geen VOG" in before
    assert coord.post(f"/mensen/{gerrit.id}/goedkeuren").status_code == 302
    today = local_now().date().isoformat()
    coord.post(f"/mensen/{gerrit.id}/vrijwilliger", data={"papieren-vog_date": today,
                                                         "papieren-contract_date": "", "papieren-submit": "1"})
    session.expire_all()
    ranked = candidates.rank_for(session.get(HelpRequest, req.id))
    assert [c.helper.id for c in ranked.candidates] == [gerrit.id]
    page = coord.get(f"/hulpvragen/{req.id}/koppelen").text
    assert f'value="{gerrit.id}"' in page
    proposed = coord.post(f"/hulpvragen/{req.id}/voorstellen", data={"helper_id": gerrit.id, "note": ""})
    assert proposed.status_code == 302


def test_a_request_of_a_resident_not_yet_on_the_map_looks_her_up_again(session, make, village, coordinator):
    from coop.requests.intake import FLEXIBLE, RequestInput, post_request
    truus = make.user(village, R.RESIDENT, first_name="Truus", lat=None, lon=None, street="Kerkweg")
    gazetteer.load([[truus.postcode, truus.house_number, "Kerkweg", "Austerlitz", "52.0844", "5.3166"]])
    data = RequestInput(category_id=make.category(village, "boodschappen").id, description="Brood",
                        when=FLEXIBLE, urgency="week", channel="phone")
    req, _ = post_request(truus, data, by=coordinator, form_token="telefoon-truus-1")
    assert (truus.lat, truus.lon) == (req.lat, req.lon) == (52.0844, 5.3166)
    assert session.scalar(select(AuditLog.actor_id).where(AuditLog.action == "person.located")) == coordinator.id
