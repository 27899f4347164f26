"""The rules of activities: planning one, signing up (or onto the waiting list), withdrawing
(the first on the waiting list moves up and is told), lifts, helpers, attendance.

Every check happens before anything is written, so a refusal leaves nothing behind; the
caller's request commits once (coop.core.transaction)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from sqlalchemy import select

from coop.activities import lift, notify
from coop.activities.models import (
    ACTIVE,
    CANCELLED,
    KINDS,
    PLANNED,
    SIGNED_UP,
    WAITING,
    WITHDRAWN,
    Activity,
    ActivityHelper,
    Signup,
)
from coop.core import audit, dutch
from coop.core import outbox as O
from coop.core import roles as R
from coop.core.clock import local_now, now
from coop.core.errors import DomainError, DomainErrors
from coop.core.models import User
from coop.core.validation import normalise_postcode
from coop.extensions import db
from coop.geo.geocoders import Address, geocode
from coop.requests.models import HelpRequest

MAX_CAPACITY = 500
MAX_COST = Decimal("1000")
MAX_DESCRIPTION = 2000
MAX_DIETARY = 200
CANCELLED_ALREADY = "Deze activiteit gaat niet door; aanmelden kan niet meer."
OVER = "Deze activiteit is al begonnen of voorbij; aanmelden of afmelden kan niet meer."


@dataclass
class ActivityInput:
    kind: str
    title: str
    on_date: date | None
    start_time: time | None
    end_time: time | None
    venue: str
    street: str = ""
    house_number: str = ""
    postcode: str | None = None
    place: str = ""
    capacity: int | None = None
    cost: Decimal | None = Decimal("0")
    description: str = ""


def _staff(by: User, village_id: int) -> None:
    if not by.has_role(R.COORDINATOR, R.ADMIN) or by.village_id != village_id:
        raise DomainError("Alleen de dorpsondersteuner plant activiteiten.")


def problems(data: ActivityInput, *, current: Activity | None = None) -> list[DomainError]:
    """Everything wrong with an activity's form at once, each on its field."""
    found: list[DomainError] = []

    def need(ok: bool, message: str, field: str) -> None:
        if not ok:
            found.append(DomainError(message, field))

    need(data.kind in KINDS, "Kies wat voor activiteit het is.", "kind")
    title = (data.title or "").strip()
    need(bool(title), "Vul een naam voor de activiteit in.", "title")
    need(len(title) <= 120, "Gebruik hier hoogstens 120 tekens.", "title")
    need(bool((data.venue or "").strip()), "Vul in waar het is, bijvoorbeeld: Dorpshuis De Kapel.", "venue")
    need(len((data.description or "").strip()) <= MAX_DESCRIPTION,
         f"Gebruik hier hoogstens {MAX_DESCRIPTION} tekens.", "description")
    today = local_now().date()
    if data.on_date is None:
        found.append(DomainError("Vul de datum in.", "on_date"))
    elif data.on_date < today and (current is None or data.on_date != current.on_date):
        found.append(DomainError("Deze datum is al voorbij. Kies vandaag of een dag later.", "on_date"))
    need(data.start_time is not None, "Vul de begintijd in.", "start_time")
    need(data.end_time is not None, "Vul de eindtijd in.", "end_time")
    if data.start_time and data.end_time and data.end_time <= data.start_time:
        found.append(DomainError("De eindtijd moet na de begintijd liggen.", "end_time"))
    elif data.on_date == today and data.start_time and data.start_time <= local_now().time() \
            and (current is None or (current.on_date, current.start_time) != (data.on_date, data.start_time)):
        found.append(DomainError("Deze tijd is vandaag al voorbij. Kies een latere tijd of dag.", "start_time"))
    if data.capacity is None or not 1 <= data.capacity <= MAX_CAPACITY:
        found.append(DomainError(f"Kies een aantal plaatsen van 1 tot en met {MAX_CAPACITY}.", "capacity"))
    elif current is not None and data.capacity < len(current.signed_up):
        found.append(DomainError(f"Er zijn al {len(current.signed_up)} mensen aangemeld; kies minstens zoveel "
                                 "plaatsen, of meld eerst iemand af.", "capacity"))
    cents = Decimal("0.01")
    if data.cost is None or not (Decimal("0") <= data.cost <= MAX_COST) or data.cost != data.cost.quantize(cents):
        found.append(DomainError("Vul de kosten in euro's in, bijvoorbeeld 7,50; 0 als het gratis is.", "cost"))
    return found


def _apply(activity: Activity, data: ActivityInput) -> None:
    activity.kind, activity.title = data.kind, data.title.strip()
    assert data.on_date and data.start_time and data.end_time and data.capacity is not None and data.cost is not None
    activity.on_date, activity.start_time, activity.end_time = data.on_date, data.start_time, data.end_time
    venue, street, number = data.venue.strip(), (data.street or "").strip(), (data.house_number or "").strip()
    postcode = normalise_postcode(data.postcode) if data.postcode and data.postcode.strip() else None
    place = (data.place or "").strip()
    moved = (street, number, postcode, place) != (activity.street, activity.house_number, activity.postcode,
                                                  activity.place)
    activity.venue, activity.street, activity.house_number, activity.postcode = venue, street, number, postcode
    activity.place = place
    if moved:
        # Pinned like any address when a geocoder knows it; an activity needs no pin to work.
        found = geocode(Address(street, number, postcode, place), activity.village_id) if street else None
        activity.lat, activity.lon = (found.lat, found.lon) if found else (None, None)
    activity.capacity, activity.cost = data.capacity, data.cost
    activity.description = (data.description or "").strip()


def create(village_id: int, data: ActivityInput, *, by: User) -> Activity:
    _staff(by, village_id)
    found = problems(data)
    if found:
        raise DomainErrors(found)
    activity = Activity(village_id=village_id, created_by_id=by.id, status=PLANNED)
    _apply(activity, data)
    db.session.add(activity)
    db.session.flush()
    audit.record("activity.created", actor=by, village_id=village_id, detail=f"activiteit {activity.id}")
    return activity


def update(activity: Activity, data: ActivityInput, *, by: User) -> Activity:
    """Change an activity; whoever signed up hears of a new day, time or place; more places
    move the waiting list up."""
    _staff(by, activity.village_id)
    if activity.is_cancelled:
        raise DomainError("Deze activiteit gaat niet door en kan niet meer veranderen.")
    found = problems(data, current=activity)
    if found:
        raise DomainErrors(found)
    before = f"{notify.when(activity)}, {activity.address_line}"
    _apply(activity, data)
    after = f"{notify.when(activity)}, {activity.address_line}"
    db.session.flush()
    if before != after:
        for signup in activity.signups:
            if signup.is_active:
                notify.changed(signup, before)
                O.cancel_for(signup, kinds=(notify.REMINDER,))
        _move_lifts(activity, by)
    _fill_places(activity, by)
    audit.record("activity.changed", actor=by, village_id=activity.village_id, detail=f"activiteit {activity.id}")
    return activity


def _move_lifts(activity: Activity, by: User) -> None:
    """Open lifts follow the activity to its new day and time (noted on their timeline)."""
    from coop.requests.service import add_event
    for signup in activity.signed_up:
        req = _lift_request(signup)
        if req is None or not req.is_open:
            continue
        start, end = lift.window(activity)
        req.on_date = activity.on_date
        req.window_start = activity.starts_at.replace(hour=start.hour, minute=start.minute)
        req.window_end = activity.starts_at.replace(hour=end.hour, minute=end.minute)
        add_event(req, by, "info_added", f"{activity.title} is verplaatst: nu {notify.when(activity)}, "
                                             f"{activity.address_line}.")


def cancel(activity: Activity, *, by: User) -> None:
    """The activity does not go on: everyone signed up or waiting is told, lifts stop."""
    _staff(by, activity.village_id)
    if activity.is_cancelled:
        raise DomainError("Deze activiteit gaat al niet door.")
    if activity.ends_at <= now():
        raise DomainError("Deze activiteit is al voorbij.")
    activity.status, activity.cancelled_at = CANCELLED, now()
    for signup in activity.signups:
        if not signup.is_active:
            continue
        O.cancel_for(signup)
        notify.cancelled(signup)
        _stop_lift(signup, by, f"{activity.title} gaat niet door: de lift is niet meer nodig.")
    audit.record("activity.cancelled", actor=by, village_id=activity.village_id, detail=f"activiteit {activity.id}",
                 subjects=[s.person_id for s in activity.signups if s.is_active])


# --- signing up ----------------------------------------------------------------------------

def may_act_for(signup_person: User, by: User) -> bool:
    staff = by.has_role(R.COORDINATOR, R.ADMIN) and by.village_id == signup_person.village_id
    return by.id == signup_person.id or staff


def _locked(activity: Activity) -> Activity:
    """The activity row locked for this transaction (PostgreSQL; SQLite's write lock is the
    request's), so two sign-ups at once cannot both take the last place."""
    db.session.flush()
    db.session.refresh(activity, with_for_update=True)
    return activity


def _existing(activity: Activity, person: User) -> Signup | None:
    return db.session.scalar(select(Signup).where(Signup.activity_id == activity.id, Signup.person_id == person.id))


def sign_up(activity: Activity, person: User, *, by: User, wants_lift: bool = False, dietary_note: str = "") -> Signup:
    """A place, or the waiting list when the activity is full. A lift is asked as a hulpvraag
    once the person has a place."""
    if person.village_id != activity.village_id or not person.has_role(R.RESIDENT):
        raise DomainError("Kies een inwoner van het dorp.")
    if not may_act_for(person, by):
        raise DomainError("U kunt alleen uzelf aanmelden.")
    note = (dietary_note or "").strip()
    if len(note) > MAX_DIETARY:
        raise DomainError(f"Gebruik hier hoogstens {MAX_DIETARY} tekens.", "dietary_note")
    activity = _locked(activity)
    if activity.is_cancelled:
        raise DomainError(CANCELLED_ALREADY)
    if activity.has_started:
        raise DomainError(OVER)
    signup = _existing(activity, person)
    if signup is not None and signup.is_active:
        if signup.status == WAITING:
            who = "U staat" if by.id == person.id else f"{person.full_name} staat"
            raise DomainError(f"{who} al op de wachtlijst voor deze activiteit.")
        who = "U bent" if by.id == person.id else f"{person.full_name} is"
        raise DomainError(f"{who} al aangemeld voor deze activiteit.")
    if wants_lift:
        lift.check(activity, person)
    status = SIGNED_UP if activity.places_left > 0 else WAITING
    if signup is None:
        signup = Signup(village_id=activity.village_id, activity=activity, person=person)
        db.session.add(signup)
    signup.status, signup.queued_at, signup.withdrawn_at, signup.moved_up_at = status, now(), None, None
    signup.wants_lift, signup.dietary_note, signup.attended = bool(wants_lift), note, None
    signup.lift_request_id, signup.entered_by_id = None, by.id
    db.session.flush()
    if status == SIGNED_UP and wants_lift:
        signup.lift_request_id = lift.ask(activity, person, by=by).id
    notify.confirm(signup)
    audit.record("activity.signed_up", actor=by, subject=person, on_behalf_of=person if by.id != person.id else None,
                 detail=f"activiteit {activity.id}, {signup.status_label}")
    return signup


def _lift_request(signup: Signup) -> HelpRequest | None:
    return db.session.get(HelpRequest, signup.lift_request_id) if signup.lift_request_id else None


def _stop_lift(signup: Signup, by: User, note: str) -> bool:
    """Stop the sign-up's lift; True when a volunteer had said yes (the coordinator phones them)."""
    return lift.cancel(_lift_request(signup), by=by, note=note)


def withdraw(signup: Signup, *, by: User) -> Signup | None:
    """Afmelden: the place (or the place on the waiting list) is given up, the lift stops and
    the first on the waiting list moves up and is told. Returns who moved up, if anyone."""
    if not may_act_for(signup.person, by):
        raise DomainError("Dit is niet uw aanmelding.")
    activity = _locked(signup.activity)
    if not signup.is_active:
        raise DomainError("Deze aanmelding is al afgemeld.")
    if activity.has_started:
        raise DomainError(OVER)
    had_place = signup.status == SIGNED_UP
    signup.status, signup.withdrawn_at = WITHDRAWN, now()
    O.cancel_for(signup)
    _stop_lift(signup, by, f"Afgemeld voor {activity.title} op {dutch.date(activity.on_date)}: "
                           "de lift is niet meer nodig.")
    audit.record("activity.withdrawn", actor=by, subject=signup.person,
                 on_behalf_of=signup.person if by.id != signup.person_id else None, detail=f"activiteit {activity.id}")
    db.session.flush()
    if not had_place or activity.is_cancelled:
        return None
    moved = _fill_places(activity, by)
    return moved[0] if moved else None


def _fill_places(activity: Activity, by: User) -> list[Signup]:
    """Free places go to the waiting list in order; each who moves up is told (and gets the
    lift they asked for)."""
    moved: list[Signup] = []
    db.session.flush()
    db.session.expire(activity, ["signups"])
    while activity.places_left > 0 and activity.waiting:
        first = activity.waiting[0]
        first.status, first.moved_up_at = SIGNED_UP, now()
        if first.wants_lift and first.lift_request_id is None:
            asker = first.entered_by if first.entered_by is not None and may_act_for(first.person, first.entered_by) \
                else first.person
            try:
                with db.session.begin_nested():
                    first.lift_request_id = lift.ask(activity, first.person, by=asker).id
            except DomainError:
                first.wants_lift = False  # the coordinator sees it on the list and can call
        notify.moved_up(first)
        audit.record("activity.moved_up", actor=by, subject=first.person, detail=f"activiteit {activity.id}")
        moved.append(first)
        db.session.flush()
    return moved


# --- helpers and attendance ----------------------------------------------------------------

def add_helper(activity: Activity, volunteer: User, *, by: User) -> ActivityHelper:
    _staff(by, activity.village_id)
    if volunteer.village_id != activity.village_id or not volunteer.has_role(R.VOLUNTEER):
        raise DomainError("Kies een vrijwilliger uit de lijst.", "helper")
    if activity.is_cancelled:
        raise DomainError("Deze activiteit gaat niet door.")
    if any(h.volunteer_id == volunteer.id for h in activity.helpers):
        raise DomainError(f"{volunteer.full_name} helpt al mee.", "helper")
    helper = ActivityHelper(activity=activity, volunteer=volunteer, village_id=activity.village_id)
    db.session.add(helper)
    audit.record("activity.helper_added", actor=by, subject=volunteer, detail=f"activiteit {activity.id}")
    return helper


def remove_helper(activity: Activity, volunteer_id: int, *, by: User) -> None:
    _staff(by, activity.village_id)
    found = next((h for h in activity.helpers if h.volunteer_id == volunteer_id), None)
    if found is None:
        raise DomainError("Deze vrijwilliger helpt niet (meer) mee.")
    activity.helpers.remove(found)
    audit.record("activity.helper_removed", actor=by, subject=found.volunteer, detail=f"activiteit {activity.id}")


def record_attendance(activity: Activity, present_ids: set[int], *, by: User) -> int:
    """Who came (ticked) and who did not, for every place; returns how many came."""
    _staff(by, activity.village_id)
    if activity.is_cancelled:
        raise DomainError("Deze activiteit ging niet door.")
    if not activity.has_started:
        raise DomainError("U kunt de aanwezigheid vastleggen zodra de activiteit begonnen is.")
    places = activity.signed_up
    unknown = present_ids - {s.id for s in places}
    if unknown:
        raise DomainError("Kies alleen mensen van de lijst.", "present")
    for signup in places:
        signup.attended = signup.id in present_ids
    audit.record("activity.attendance", actor=by, village_id=activity.village_id, detail=f"activiteit {activity.id}",
                 subjects=[s.person_id for s in places])
    return len(present_ids)


def active_signups(person: User) -> list[Signup]:
    return list(db.session.scalars(select(Signup).where(Signup.person_id == person.id, Signup.status.in_(ACTIVE))))
