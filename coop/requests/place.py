"""Where a hulpvraag is: at the resident's home (it takes the resident's place, pin included,
and follows it when the address or the pin changes) or at another address it names (geocoded
on its own)."""
from __future__ import annotations

from sqlalchemy import select

from coop.core.models import User
from coop.extensions import db
from coop.geo.geocoders import Address, geocode
from coop.people import service as people
from coop.requests.models import OPEN_STATUSES, HelpRequest
from coop.requests.service import add_event


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").strip().lower() == (b or "").strip().lower()


def at_address(req: HelpRequest, place) -> bool:
    """Whether `req` is at the address of `place` (a User or a people.service.Place): the same
    street and house number, and the same postcode when both have one."""
    if not place.street or not _same(req.street, place.street) or not _same(req.house_number, place.house_number):
        return False
    return not (req.postcode and place.postcode) or _same(req.postcode, place.postcode)


def at_home(req: HelpRequest) -> bool:
    return at_address(req, req.resident)


def other_address_point(street: str, house_number: str, postcode: str | None, place: str | None,
                        village_id: int) -> tuple[float | None, float | None]:
    """The pin of an address the request names, or (None, None) when no geocoder knows it."""
    found = geocode(Address(street, house_number, postcode, place), village_id)
    return (found.lat, found.lon) if found else (None, None)


@people.on_place_change
def follow_resident(person: User, old: people.Place, by: User | None) -> None:
    """Open requests at the resident's (old) home take the new address and pin."""
    open_requests = select(HelpRequest).where(HelpRequest.resident_id == person.id,
                                              HelpRequest.status.in_(OPEN_STATUSES),
                                              HelpRequest.anonymised_at.is_(None))
    for req in db.session.scalars(open_requests):
        if not at_address(req, old):
            continue
        moved = (req.lat, req.lon) != (person.lat, person.lon) or not at_address(req, person)
        req.street, req.house_number = person.street, person.house_number
        req.postcode, req.place = person.postcode, person.place
        req.lat, req.lon = person.lat, person.lon
        if moved:
            add_event(req, by, "located", "plek van het adres van de inwoner overgenomen"
                      if person.lat is not None else "adres van de inwoner overgenomen, nog niet op de kaart")
