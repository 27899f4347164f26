"""The rules of respite: carer profiles, asking for respite, booking a volunteer for one
afternoon or a whole series, swapping and cancelling. Plain functions; DomainError in Dutch."""
from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from coop.core import audit
from coop.core import roles as R
from coop.core.clock import local_now, now
from coop.core.errors import DomainError
from coop.core.models import TaskCategory, User
from coop.core.states import PREVIOUS, LastStep, Lifecycle, Step
from coop.extensions import db
from coop.people.service import ineligibility_reasons
from coop.respite import notify, recurrence
from coop.respite.clashes import check_times, clash_reasons
from coop.respite.models import SOFA, CarerProfile, RespiteRequest, RespiteShift, ShiftSeries

# Respite for company only is open to any approved volunteer; with personal care it is trained.
CATEGORY_COMPANY, CATEGORY_CARE = "respijt", "respijt_zorg"

# The life of one shift, as data (taken by coop/core/states.py).
TRANSITIONS = {
    "book": Step({RespiteShift.OPEN}, RespiteShift.BOOKED, "geboekt"),
    "swap": Step({RespiteShift.BOOKED}, RespiteShift.BOOKED, "andere vrijwilliger"),
    "cancel": Step({RespiteShift.OPEN, RespiteShift.BOOKED}, RespiteShift.CANCELLED, "afgezegd"),
    # A cancelled visit comes back as it was (with its volunteer, if it had one) for a short while;
    # everyone who was told it was off is told it is on after all.
    "undo_cancel": Step({RespiteShift.CANCELLED}, PREVIOUS, "gaat toch door", undoes="cancel",
                        within=timedelta(minutes=15)),
}
UNDO_WINDOW = TRANSITIONS["undo_cancel"].within
REFUSALS = {
    RespiteShift.CANCELLED: "Deze keer is al afgezegd.",
    RespiteShift.BOOKED: "Deze keer is al geregeld; kies 'andere vrijwilliger' om te wisselen.",
    RespiteShift.OPEN: "Voor deze keer is nog geen vrijwilliger ingeroosterd.",
}


def _last(shift: RespiteShift) -> LastStep | None:
    """A cancelled shift's last step was its cancellation (nothing else leaves that state); it
    had a volunteer when it was booked."""
    if shift.status != RespiteShift.CANCELLED:
        return None
    before = RespiteShift.BOOKED if shift.volunteer_id is not None else RespiteShift.OPEN
    return "cancel", before, shift.changed_at


LIFECYCLE: Lifecycle[RespiteShift] = Lifecycle("respijtdienst", TRANSITIONS, labels=RespiteShift.LABELS,
                      refusal=lambda shift: REFUSALS[shift.status], stamp="changed_at", last=_last)


@LIFECYCLE.guard()
def _not_past(shift: RespiteShift, action: str, by: User | None) -> None:
    if shift.is_past:
        raise DomainError("Deze keer is al voorbij; die kan niet meer veranderen.")


def _transition(shift: RespiteShift, action: str, by: User | None = None) -> None:
    LIFECYCLE.apply(shift, action, by=by)


# --- carers -----------------------------------------------------------------------------

def profile_for(carer: User) -> CarerProfile | None:
    return db.session.get(CarerProfile, carer.id)


def save_carer_profile(carer: User, *, by: User, care_recipient: User, relationship_label: str = "",
                       care_hours_week: int = 0, routines: str = "", what_calms: str = "",
                       who_to_call: str = "", sofa_roles: list[str] | None = None,
                       support_needs: str = "") -> CarerProfile:
    """Link a carer to the resident they care for; record what a substitute must know."""
    if care_recipient.village_id != carer.village_id:
        raise DomainError("Kies iemand uit het eigen dorp.", "care_recipient")
    if care_recipient.id == carer.id:
        raise DomainError("Een mantelzorger zorgt voor iemand anders dan zichzelf.", "care_recipient")
    if not 0 <= care_hours_week <= 168:
        raise DomainError("Vul een aantal uren tussen 0 en 168 in.", "care_hours_week")
    unknown = set(sofa_roles or []) - set(SOFA)
    if unknown:
        raise DomainError("Kies alleen rollen uit het SOFA-model.", "sofa_roles")
    profile = profile_for(carer) or CarerProfile(user_id=carer.id, village_id=carer.village_id)
    profile.care_recipient_id = care_recipient.id
    profile.relationship_label = relationship_label.strip()
    profile.care_hours_week = care_hours_week
    profile.routines, profile.what_calms, profile.who_to_call = routines, what_calms, who_to_call
    profile.sofa_roles = sorted(sofa_roles or [], key="SOFA".index)
    profile.support_needs = support_needs
    if not carer.has_role(R.CARER):
        carer.add_role(R.CARER)
    db.session.add(profile)
    audit.record("carer.profile_saved", actor=by, subject=carer)
    return profile


NOTE_LIMITS = {"routines": 2000, "what_calms": 2000, "who_to_call": 1000}


def save_carer_notes(carer: User, *, by: User, routines: str, what_calms: str, who_to_call: str) -> CarerProfile:
    """"Wat moet de vrijwilliger weten": the carer keeps it up to date themselves (or the
    coordinator does it with them). Only the coordinator and the volunteer on shift read it."""
    staff = by.has_role(R.COORDINATOR, R.ADMIN) and by.village_id == carer.village_id
    if by.id != carer.id and not staff:
        raise DomainError("Dit zijn niet uw gegevens.")
    profile = profile_for(carer)
    if profile is None:
        raise DomainError("Eerst legt de dorpsondersteuner vast voor wie u zorgt. Bel even, dan regelen we het.")
    values = {"routines": routines, "what_calms": what_calms, "who_to_call": who_to_call}
    for name, text in values.items():
        if len((text or "").strip()) > NOTE_LIMITS[name]:
            raise DomainError(f"Gebruik hier hoogstens {NOTE_LIMITS[name]} tekens.", name)
    for name, text in values.items():
        setattr(profile, name, (text or "").strip())
    audit.record("carer.notes_saved", actor=by, subject=carer)
    return profile


def carers(village_id: int) -> list[CarerProfile]:
    """The village's carer profiles by the carer's last name, with carer and care recipient."""
    return list(db.session.scalars(select(CarerProfile).join(CarerProfile.carer)
                                   .where(CarerProfile.village_id == village_id).order_by(User.last_name)
                                   .options(contains_eager(CarerProfile.carer),
                                            selectinload(CarerProfile.care_recipient))))


def profiles_for(carer_ids: Iterable[int]) -> dict[int, CarerProfile]:
    """profile_for for many carers in one query: carer id → profile (carers without one left out)."""
    ids = set(carer_ids)
    if not ids:
        return {}
    return {p.user_id: p for p in db.session.scalars(select(CarerProfile).where(CarerProfile.user_id.in_(ids)))}


# --- asking for respite -----------------------------------------------------------------

def respite_category(village_id: int, with_care: bool) -> TaskCategory:
    code = CATEGORY_CARE if with_care else CATEGORY_COMPANY
    category = db.session.scalar(select(TaskCategory).where(
        TaskCategory.village_id == village_id, TaskCategory.code == code, TaskCategory.active))
    if category is None:
        raise DomainError("Deze soort respijt is in uw dorp nog niet ingesteld. Bel de dorpsondersteuner.",
                          "with_care")
    return category


@dataclass
class RequestResult:
    respite_request: RespiteRequest
    expansion: recurrence.Expansion


def request_respite(carer: User, *, by: User, first_date: date, start_time: time, end_time: time,
                    freq: str | None = None, until: date | None = None, exceptions: Set[date] = frozenset(),
                    with_care: bool = False, notes: str = "") -> RequestResult:
    """A carer (or the coordinator for them) asks for respite; every occurrence becomes an
    open shift at once, so the coordinator's week view shows the gap."""
    profile = profile_for(carer)
    if profile is None:
        raise DomainError("Eerst legt de dorpsondersteuner vast voor wie u zorgt. Bel even, dan regelen we het.")
    if end_time <= start_time:
        raise DomainError("De eindtijd moet na de begintijd liggen.", "end_time")
    if freq is not None and freq not in recurrence.INTERVALS:
        raise DomainError("Kies eenmalig, elke week of om de week.", "freq")
    if freq is not None and until is not None and until < first_date:
        raise DomainError("De einddatum ligt voor de eerste datum.", "until")
    category = respite_category(carer.village_id, with_care)
    expansion = recurrence.expand(first_date, start_time, end_time, freq, until, set(exceptions))
    if not expansion.occurrences:
        raise DomainError("In deze periode valt geen enkele keer (let op de uitzonderingen).", "first_date")
    first = expansion.occurrences[0]
    check_times(first.starts_at, first.ends_at)
    series = None
    if freq is not None:
        series = ShiftSeries(village_id=carer.village_id, freq=freq, first_date=first_date,
                             until=expansion.until, capped=expansion.capped,
                             exceptions=sorted(d.isoformat() for d in exceptions))
    respite_request = RespiteRequest(village_id=carer.village_id, carer=carer,
                                     care_recipient_id=profile.care_recipient_id, category=category, series=series,
                                     start_time=start_time, end_time=end_time, notes=notes.strip(),
                                     created_by_id=by.id)
    for occ in expansion.occurrences:
        respite_request.shifts.append(RespiteShift(village_id=carer.village_id, starts_at=occ.starts_at,
                                           ends_at=occ.ends_at, status=RespiteShift.OPEN))
    db.session.add(respite_request)
    db.session.flush()
    audit.record("respite.requested", actor=by, subject=carer, detail=f"request {respite_request.id}",
                 on_behalf_of=carer if by.id != carer.id else None)
    return RequestResult(respite_request, expansion)


# --- booking ----------------------------------------------------------------------------

@dataclass
class BookingResult:
    booked: list[RespiteShift] = field(default_factory=list)
    clashes: list[tuple[RespiteShift, list[str]]] = field(default_factory=list)


def _check_eligible(volunteer: User, respite_request: RespiteRequest) -> None:
    if volunteer.village_id != respite_request.village_id or not volunteer.has_role(R.VOLUNTEER):
        raise DomainError("Kies een vrijwilliger uit het eigen dorp.", "volunteer")
    reasons = ineligibility_reasons(volunteer, respite_request.category, on=local_now().date())
    if reasons:
        raise DomainError(f"{volunteer.full_name} kan dit niet doen: {', '.join(reasons)}.", "volunteer")


def book_volunteer(respite_request: RespiteRequest, volunteer: User, *, by: User) -> BookingResult:
    """Book `volunteer` for every open, future occurrence they can take; list the others with
    the clash that stops them. When not a single one fits, nothing is saved."""
    _check_eligible(volunteer, respite_request)
    open_shifts = [s for s in respite_request.shifts if s.status == RespiteShift.OPEN and s.starts_at > now()]
    if not open_shifts:
        raise DomainError("Er zijn geen open keren meer om te regelen.")
    result = BookingResult()
    for shift in open_shifts:
        reasons = clash_reasons(volunteer, shift.starts_at, shift.ends_at, exclude_shift_id=shift.id)
        if reasons:
            result.clashes.append((shift, reasons))
            continue
        _transition(shift, "book", by)
        shift.volunteer = volunteer
        db.session.flush()  # the next occurrence's hours rule counts this one
        result.booked.append(shift)
    if not result.booked:
        raise DomainError(" ".join(result.clashes[0][1]) if len(result.clashes) == 1 else
                          f"{volunteer.full_name} kan geen enkele keer: " + " ".join(result.clashes[0][1]),
                          "volunteer")
    notify.booked(result.booked, volunteer)
    audit.record("respite.booked", actor=by, subject=volunteer,
                 detail=f"request {respite_request.id}: {len(result.booked)} booked, {len(result.clashes)} clash")
    return result


def assign_shift(shift: RespiteShift, volunteer: User, *, by: User) -> None:
    """Give one occurrence a (different) volunteer: to solve a clash, or to swap."""
    _check_eligible(volunteer, shift.respite_request)
    if shift.volunteer_id == volunteer.id:
        raise DomainError(f"{volunteer.full_name} staat al ingeroosterd voor deze keer.", "volunteer")
    reasons = clash_reasons(volunteer, shift.starts_at, shift.ends_at, exclude_shift_id=shift.id)
    if reasons:
        raise DomainError(" ".join(reasons), "volunteer")
    old = shift.volunteer
    _transition(shift, "swap" if shift.status == RespiteShift.BOOKED else "book", by)
    shift.volunteer = volunteer
    db.session.flush()
    if old is None:
        notify.booked([shift], volunteer)
    else:
        notify.swapped(shift, old, volunteer)
    audit.record("respite.assigned", actor=by, subject=volunteer, detail=f"shift {shift.id}")


def cancel_shift(shift: RespiteShift, *, by: User) -> list[RespiteShift]:
    _transition(shift, "cancel", by)
    notify.cancelled([shift])
    audit.record("respite.cancelled", actor=by, subject=shift.respite_request.carer, detail=f"shift {shift.id}")
    return [shift]


def rest_of(shift: RespiteShift) -> list[RespiteShift]:
    """This occurrence and every later one of its series that is not past or cancelled."""
    return sorted((s for s in shift.respite_request.shifts
                   if s.starts_at >= shift.starts_at and s.status != RespiteShift.CANCELLED and not s.is_past),
                  key=lambda s: s.starts_at)


def cancel_rest(shift: RespiteShift, *, by: User) -> list[RespiteShift]:
    """Cancel this occurrence and every later one of its series that is not past or cancelled."""
    rest = rest_of(shift)
    if not rest:
        raise DomainError("Er is niets meer om af te zeggen.")
    for s in rest:
        _transition(s, "cancel", by)
    notify.cancelled(rest)
    audit.record("respite.cancelled_rest", actor=by, subject=shift.respite_request.carer,
                 detail=f"request {shift.request_id} from shift {shift.id}: {len(rest)}")
    return rest


def undo_until(shift: RespiteShift) -> datetime | None:
    """Until when the cancellation of `shift` may be undone (None: not, or no longer)."""
    until = LIFECYCLE.undo_until(shift, "undo_cancel")
    return until if until is not None and until > now() else None


def undoable_rest(shift: RespiteShift) -> list[RespiteShift]:
    return [s for s in shift.respite_request.shifts if s.starts_at >= shift.starts_at and undo_until(s) is not None]


def undo_cancel(shift: RespiteShift, *, by: User) -> list[RespiteShift]:
    """The visit goes on after all: back to booked (or open), and everyone told it is on."""
    _transition(shift, "undo_cancel", by)
    notify.restored([shift])
    audit.record("respite.cancel_undone", actor=by, subject=shift.respite_request.carer, detail=f"shift {shift.id}")
    return [shift]


def undo_cancel_rest(shift: RespiteShift, *, by: User) -> list[RespiteShift]:
    """Every visit from `shift` on whose cancellation may still be undone goes on after all."""
    rest = undoable_rest(shift)
    if not rest:
        raise DomainError("Er is niets meer om ongedaan te maken: de tijd daarvoor is voorbij.")
    for s in rest:
        _transition(s, "undo_cancel", by)
    notify.restored(rest)
    audit.record("respite.cancel_undone", actor=by, subject=shift.respite_request.carer,
                 detail=f"request {shift.request_id} from shift {shift.id}: {len(rest)}")
    return rest


def may_change(shift: RespiteShift, user: User) -> bool:
    """Staff of the village, and the carer whose booking it is."""
    if user.has_role(R.COORDINATOR, R.ADMIN) and user.village_id == shift.village_id:
        return True
    return user.has_role(R.CARER) and shift.respite_request.carer_id == user.id
