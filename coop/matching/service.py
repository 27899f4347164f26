"""Proposals: the coordinator proposes, the helper accepts or declines, the coordinator may
withdraw and propose again. The proposal's lifecycle is one table (TRANSITIONS, taken by
coop/core/states.py); the request's status only moves through coop.requests.service
(mark_matched, reopen).
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from coop.core import audit, outbox
from coop.core.errors import DomainError
from coop.core.models import User
from coop.core.states import Lifecycle, Step, Transition
from coop.extensions import db
from coop.geo.distance import distance_km
from coop.matching import candidates, ranking
from coop.matching.models import ACCEPTED, DECLINED, OPEN, PROPOSED, STATUS_LABELS, WITHDRAWN, Proposal
from coop.requests import service as requests
from coop.requests.models import MATCHED, SEARCHING, HelpRequest
from coop.requests.models import STATUS_LABELS as REQUEST_LABELS

TRANSITIONS = {
    "accept": Step({PROPOSED}, ACCEPTED, "geaccepteerd"),
    "decline": Step({PROPOSED}, DECLINED, "afgewezen"),
    "withdraw": Step({PROPOSED, ACCEPTED}, WITHDRAWN, "ingetrokken"),
}


def _stamp(step: Transition[Proposal]) -> None:
    if step.action == "withdraw":
        step.subject.withdrawn_at = step.at
    else:
        step.subject.answered_at = step.at


# A stale click (already answered) is refused and changes nothing.
LIFECYCLE: Lifecycle[Proposal] = Lifecycle("voorstel", TRANSITIONS, labels=STATUS_LABELS,
                      refusal="Dit voorstel is al {label}; er is niets veranderd.", record=_stamp)


@LIFECYCLE.after("withdraw")
def _cancel_its_messages(step: Transition[Proposal]) -> None:
    outbox.cancel_for(step.subject)


@LIFECYCLE.after("decline")
def _cancel_the_invitation(step: Transition[Proposal]) -> None:
    outbox.cancel_for(step.subject, kinds=("proposal.new",))


def _apply(proposal: Proposal, action: str) -> str:
    """Move the proposal along `action`; returns the status it came from."""
    return LIFECYCLE.apply(proposal, action).source


def helper_problems(req: HelpRequest, helper: User) -> list[str]:
    """Why `helper` cannot be proposed for `req` (empty: they can): the same reasons, in the
    same words, as the match page lists (ranking.not_possible)."""
    point = candidates.request_point(req)
    if point is None:
        return ["de plek van de hulpvraag is nog niet bekend: zet eerst de pin op de kaart"]
    rows = candidates.fetch_rows(req, point, helper_id=helper.id)
    if not rows:
        return ["is geen vrijwilliger of zorgprofessional in dit dorp"]
    row = rows[0]
    day = candidates.request_day(req)
    km = distance_km(point, (row.lat, row.lon)) if row.lat is not None and row.lon is not None else None
    return ranking.not_possible(row, km, candidates.category_info(req.category), day,
                              current_app.config["VOG_VALID_YEARS"], candidates.month_words(day))


def propose(req: HelpRequest, helper: User, *, by: User, note: str = "", by_phone: bool = False) -> Proposal:
    """Propose `helper` for `req` (or record a match agreed by phone: accepted at once).

    Only for a request that is searching, a helper of the same village who is eligible now,
    and at most one open proposal per helper per request.
    """
    if helper.village_id != req.village_id:
        raise DomainError("Deze helper hoort niet bij dit dorp.", "helper_id")
    if req.status != SEARCHING:
        raise DomainError(f"Deze hulpvraag zoekt nu geen helper (hij is '{REQUEST_LABELS[req.status]}').")
    if db.session.scalar(select(Proposal.id).where(Proposal.request_id == req.id, Proposal.helper_id == helper.id,
                                                   Proposal.status.in_(OPEN))) is not None:
        raise DomainError(f"Er staat al een voorstel open voor {helper.first_name}.", "helper_id")
    problems = helper_problems(req, helper)
    if problems:
        raise DomainError(f"{helper.full_name} kan niet worden voorgesteld: {'; '.join(problems)}.", "helper_id")
    proposal = Proposal(village_id=req.village_id, help_request=req, helper=helper, resident_id=req.resident_id,
                        proposed_by_id=by.id, note=(note or "").strip()[:1000], by_phone=by_phone)
    try:
        with db.session.begin_nested():
            db.session.add(proposal)
    except IntegrityError:
        raise DomainError(f"Er staat al een voorstel open voor {helper.first_name}.", "helper_id") from None
    requests.add_event(req, by, "proposed", f"voorgesteld aan {helper.first_name}"
                       + (" (telefonisch afgesproken)" if by_phone else ""))
    audit.record("proposal.created", actor=by, subject=helper, detail=f"request {req.id}")
    if by_phone:
        _accept(proposal, by=by)
    else:
        for channel in (outbox.INAPP, outbox.MAIL):
            outbox.queue("proposal.new", helper, channel=channel, subject=proposal,
                         payload={"proposal_id": proposal.id})
    return proposal


def _locked_request(request_id: int) -> HelpRequest:
    """Re-read the request under a row lock (PostgreSQL) so two accepts cannot both win."""
    return db.session.execute(select(HelpRequest).where(HelpRequest.id == request_id)
                              .with_for_update().execution_options(populate_existing=True)).scalar_one()


def _accept(proposal: Proposal, *, by: User) -> None:
    req = _locked_request(proposal.request_id)
    if req.status != SEARCHING:
        raise DomainError("Deze hulpvraag heeft al een helper gevonden. Dank u wel voor uw bereidheid!"
                          if req.status == MATCHED else
                          f"Deze hulpvraag zoekt geen helper meer (hij is '{REQUEST_LABELS[req.status]}').")
    _apply(proposal, "accept")
    requests.mark_matched(req, by=by, helper=proposal.helper)
    # The other helpers asked for this request are told no more is needed.
    for other in db.session.scalars(select(Proposal).where(
            Proposal.request_id == req.id, Proposal.id != proposal.id, Proposal.status == PROPOSED)):
        _apply(other, "withdraw")
    # Without an e-mail address this becomes a call on the bellijst: the resident hears it too.
    outbox.queue("request.matched", req.resident, subject=proposal,
                 payload={"proposal_id": proposal.id, "to": "resident"})
    outbox.queue("request.matched", proposal.helper, subject=proposal,
                 payload={"proposal_id": proposal.id, "to": "helper"})


def accept(proposal: Proposal, *, by: User) -> None:
    """The helper says yes: the request becomes matched; a second yes for it is refused."""
    if proposal.helper_id != by.id:
        raise DomainError("Dit voorstel is niet aan u gedaan.")
    _accept(proposal, by=by)
    audit.record("proposal.accepted", actor=by, subject=proposal.resident, detail=f"request {proposal.request_id}")


def decline(proposal: Proposal, *, by: User, reason: str) -> None:
    """The helper says no, with a reason the coordinator reads."""
    if proposal.helper_id != by.id:
        raise DomainError("Dit voorstel is niet aan u gedaan.")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Vertel kort waarom het niet lukt; dan kan de dorpsondersteuner verder zoeken.", "reason")
    if len(reason) > 500:
        raise DomainError("Gebruik hier hoogstens 500 tekens.", "reason")
    _apply(proposal, "decline")
    proposal.reason = reason
    requests.add_event(proposal.help_request, by, "proposal_declined", f"{by.first_name} kan niet: {reason}")


def withdraw(proposal: Proposal, *, by: User, note: str = "") -> None:
    """The coordinator takes a proposal back; an accepted one puts the request back to searching."""
    source = _apply(proposal, "withdraw")
    req = proposal.help_request
    requests.add_event(req, by, "proposal_withdrawn", f"voorstel aan {proposal.helper.first_name} ingetrokken")
    if source == ACCEPTED and req.status == MATCHED:
        requests.reopen(req, by=by, note=note or "helper teruggetrokken")


def open_for_helper(helper: User) -> list[Proposal]:
    """With each request, its resident and category: what proposal_view shows."""
    return list(db.session.scalars(select(Proposal).where(
        Proposal.helper_id == helper.id, Proposal.status.in_(OPEN)).order_by(Proposal.proposed_at.desc())
        .options(selectinload(Proposal.helper),
                 selectinload(Proposal.help_request).options(selectinload(HelpRequest.resident),
                                                        selectinload(HelpRequest.category)))))


# The proposals of a request, shown on its page and its matching page: built once, at import.
_FOR_REQUEST = (select(Proposal).where(Proposal.request_id == bindparam("request_id"))
                .order_by(Proposal.proposed_at.desc())
                # names and phones only: the helpers' roles are not read
                .options(joinedload(Proposal.helper).lazyload(User.role_rows)))


def for_request(req: HelpRequest) -> list[Proposal]:
    return list(db.session.scalars(_FOR_REQUEST, {"request_id": req.id}))


def place_pin(req: HelpRequest, lat: str | float | None, lon: str | float | None, *, by: User) -> None:
    """The coordinator sets where help is needed by clicking the map (no geocoder knew it).

    A request at the resident's home takes the resident's place: the pin is the resident's,
    and every open request at that home follows it.
    """
    from coop.geo.distance import check_pin
    from coop.people import service as people
    from coop.requests import place
    if place.at_home(req):
        people.place_person(req.resident, lat, lon, by=by)
        return
    req.lat, req.lon = check_pin(lat, lon)
    requests.add_event(req, by, "located", "plek op de kaart gezet")


def locate(req: HelpRequest, *, by: User) -> bool:
    """Look the request's address up; False (and nothing changed) when no geocoder knows it.
    At the resident's home it is the resident who is looked up (and the request follows)."""
    from coop.geo.geocoders import Address, geocode
    from coop.people import service as people
    from coop.requests import place
    if place.at_home(req):
        if people.locate_person(req.resident, by=by):
            return True
        if req.resident.lat is None or req.resident.lon is None:
            return False
        # No geocoder knows it, but the resident is on the map already: take that place.
        req.lat, req.lon = req.resident.lat, req.resident.lon
        requests.add_event(req, by, "located", "plek van de inwoner overgenomen")
        return True
    found = geocode(Address.of(req), req.village_id)
    if found is None:
        return False
    req.lat, req.lon = found.lat, found.lon
    requests.add_event(req, by, "located", f"plek gevonden via {found.source}")
    return True


def proposal_view(proposal: Proposal) -> dict:
    """What the helper of `proposal` may see: coop.requests.service.helper_view, with the full
    contact only once this proposal is accepted."""
    return requests.helper_view(proposal.help_request, proposal.helper, accepted=proposal.status == ACCEPTED)


requests.register_event_labels(proposed="voorstel gedaan", proposal_declined="voorstel afgewezen",
                               proposal_withdrawn="voorstel ingetrokken", located="plek op de kaart")
