"""A lift to an activity ("Ik wil graag opgehaald worden"): a hulpvraag in the vervoer category,
posted through the requests intake like any other, so it flows into the inbox and matching.

The request asks to be picked up half an hour before the start and brought home after the
end, from the person's own address."""
from __future__ import annotations

import secrets
from datetime import datetime, time, timedelta

from sqlalchemy import select

from coop.core import dutch
from coop.core.clock import local_now
from coop.core.errors import DomainError
from coop.core.models import TaskCategory, User
from coop.extensions import db
from coop.requests import intake
from coop.requests import service as requests
from coop.requests.intake import WINDOW
from coop.requests.models import MATCHED, NO_RUSH, PHONE, THIS_WEEK, TODAY, WEB, HelpRequest

CATEGORY = "vervoer"
EARLY = timedelta(minutes=30)
NO_CATEGORY = ("Ophalen kan nu niet via de website: de soort hulp 'vervoer' staat uit. "
               "Bel de dorpsondersteuner, dan regelen we het samen.")
NO_ADDRESS = "Er staat geen adres bij ons bekend om van op te halen. Bel de dorpsondersteuner."


def category(village_id: int) -> TaskCategory | None:
    return db.session.scalar(select(TaskCategory).where(
        TaskCategory.village_id == village_id, TaskCategory.code == CATEGORY, TaskCategory.active))


def window(activity) -> tuple[time, time]:
    start = datetime.combine(activity.on_date, activity.start_time) - EARLY
    end = datetime.combine(activity.on_date, activity.end_time) + EARLY
    first = start.time() if start.date() == activity.on_date else time(0, 0)
    last = end.time() if end.date() == activity.on_date else time(23, 59)
    return first, last


def check(activity, person: User) -> None:
    """Every refusal of `ask`, before anything is written."""
    if category(activity.village_id) is None:
        raise DomainError(NO_CATEGORY, "wants_lift")
    if not person.street:
        raise DomainError(NO_ADDRESS, "wants_lift")


def _urgency(activity) -> str:
    days = (activity.on_date - local_now().date()).days
    return TODAY if days <= 0 else THIS_WEEK if days <= 7 else NO_RUSH


def ask(activity, person: User, *, by: User) -> HelpRequest:
    """Post the lift for `person` as a hulpvraag, entered by `by` (the person or the coordinator)."""
    check(activity, person)
    found = category(activity.village_id)
    assert found is not None
    start, end = window(activity)
    text = (f"Ophalen voor {activity.title} op {dutch.date(activity.on_date, dutch.WEEKDAY_DATE)}: "
            f"om {dutch.time(start)} thuis ophalen, het begint om {dutch.time(activity.start_time)} "
            f"bij {activity.address_line}. Na afloop (rond {dutch.time(activity.end_time)}) graag weer naar huis.")
    data = intake.RequestInput(category_id=found.id, description=text, when=WINDOW, urgency=_urgency(activity),
                               on_date=activity.on_date, start_time=start, end_time=end, own_address=True,
                               consent_contact=True, channel=WEB if by.id == person.id else PHONE)
    req, _created = intake.post_request(person, data, by=by, form_token=secrets.token_urlsafe(24))
    requests.add_event(req, by, "activity_lift", f"lift bij de aanmelding voor {activity.title}")
    return req


def cancel(req: HelpRequest | None, *, by: User, note: str) -> bool:
    """Stop the lift when it is still open (with the note on its timeline); True when it was
    matched, so a volunteer had said yes and must hear it (by phone, as when a request stops)."""
    if req is None or not req.is_open:
        return False
    matched = req.status == MATCHED
    requests.cancel(req, by=by, note=note)
    return matched


requests.register_event_labels(activity_lift="lift naar een activiteit")
