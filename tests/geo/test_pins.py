"""A pin must lie within the Netherlands; a geocoder's answer outside it counts as a miss."""
from __future__ import annotations

import pytest

from coop.core.errors import DomainError
from coop.geo.distance import check_pin, in_netherlands
from coop.geo.geocoders import Address, geocode
from tests.geo import gazetteer


@pytest.mark.parametrize("lat, lon", [(50.7, 3.3), (53.6, 7.3), (52.08, 5.31), (53.45, 6.85)])
def test_points_in_the_box_are_accepted(lat, lon):
    assert in_netherlands(lat, lon)
    assert check_pin(str(lat).replace(".", ","), lon) == (lat, lon)


@pytest.mark.parametrize("lat, lon", [(50.69, 5.3), (53.61, 5.3), (52.0, 3.29), (52.0, 7.31), (0, 0),
                                      (48.8566, 2.3522)])
def test_points_outside_are_refused_in_dutch(lat, lon):
    assert not in_netherlands(lat, lon)
    with pytest.raises(DomainError, match="Deze plek ligt niet in Nederland") as caught:
        check_pin(lat, lon)
    assert caught.value.field == "lat"


def test_out_of_range_numbers_keep_their_own_message():
    with pytest.raises(DomainError, match="tussen -90 en 90"):
        check_pin("95", "5.3")
    with pytest.raises(DomainError, match="geen getal"):
        check_pin("hier", "5.3")


def test_a_gazetteer_row_abroad_is_not_used(session):
    gazetteer.load([["3712 ZZ", "3", "Grensweg", "Austerlitz", "49.61", "6.13"]])  # Luxembourg by mistake
    assert geocode(Address(postcode="3712 ZZ", house_number="3")) is None
    assert geocode(Address(postcode="3712 AC", house_number="2")).lat == 52.083
