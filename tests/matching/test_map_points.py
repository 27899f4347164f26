"""The village map's points as GeoJSON from their own URL: the same staff and the same village
as the map; the page itself carries no points, only the list for those without the map."""
from __future__ import annotations

import pytest

from coop.matching.mapping import LIST_MAX


def _features(client, layer):
    response = client.get("/kaart/punten")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    data = response.json
    assert data["type"] == "FeatureCollection"
    return [f for f in data["features"] if f["properties"]["layer"] == layer]


def test_points_are_geojson_of_the_own_village_only(session, make, village, other_village, coordinator,
                                                    make_request, client_as):
    here = make_request(lat=52.081, lon=5.312)
    helper = make.volunteer(village, lat=52.09, lon=5.30)
    pro = make.professional(village)
    elsewhere = make.user(other_village, first_name="Elders")
    make_request(who=elsewhere, description="in een ander dorp")
    stranger = make.volunteer(other_village, last_name="Buitendorp")
    client = client_as(coordinator)
    requests = _features(client, "request")
    assert [f["properties"]["id"] for f in requests] == [here.id]
    assert requests[0]["geometry"] == {"type": "Point", "coordinates": [5.312, 52.081]}
    assert requests[0]["properties"]["url"] == f"/hulpvragen/{here.id}/koppelen"
    helpers = {f["properties"]["id"]: f for f in _features(client, "helper")}
    assert set(helpers) == {helper.id, pro.id}
    assert helpers[pro.id]["properties"]["kind"] == "professional"
    assert stranger.id not in helpers


@pytest.mark.parametrize("role", ["volunteer", "professional", "resident", "carer", "municipality_user"])
def test_points_are_for_the_staff_only(request, role, make_request, client_as):
    make_request()
    user = request.getfixturevalue(role)
    assert client_as(user).get("/kaart/punten").status_code == 403
    assert client_as(user).get("/kaart").status_code == 403


def test_points_need_a_login(client, make_request):
    make_request()
    response = client.get("/kaart/punten")
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def test_admin_sees_the_points_of_their_village(make, village, other_village, admin, make_request, client_as):
    here = make_request()
    make_request(who=make.user(other_village))
    assert [f["properties"]["id"] for f in _features(client_as(admin), "request")] == [here.id]


def test_the_page_names_the_source_and_lists_the_points_without_a_map(session, make, village, coordinator,
                                                                      make_request, client_as):
    urgent = make_request(urgency="today")
    calm = make_request(urgency="no_rush")
    helper = make.volunteer(village, first_name="Anna", last_name="Zwart")
    page = client_as(coordinator).get("/kaart").text
    code = " ".join(page.split())
    assert 'CoopMap.layer("request", [], true, "/kaart/punten")' in code
    assert 'CoopMap.layer("helper", [], true, "/kaart/punten")' in code
    listed = page.split('data-testid="map-list-requests"')[1].split("</ul>")[0]
    assert listed.index(f"/hulpvragen/{urgent.id}/koppelen") < listed.index(f"/hulpvragen/{calm.id}/koppelen")
    helpers = page.split('data-testid="map-list-helpers"')[1].split("</ul>")[0]
    assert "Anna Zwart" in helpers and f'href="/mensen/{helper.id}"' in helpers


def test_the_list_shows_the_first_ones_and_says_where_the_rest_are(session, make, village, coordinator,
                                                                   make_request, client_as):
    for _ in range(LIST_MAX + 1):
        make_request()
    page = client_as(coordinator).get("/kaart").text
    listed = page.split('data-testid="map-list-requests"')[1].split("</ul>")[0]
    assert listed.count("<li>") == LIST_MAX
    assert "Alle hulpvragen staan in" in page and 'href="/hulpvragen"' in page
    assert len(_features(client_as(coordinator), "request")) == LIST_MAX + 1
