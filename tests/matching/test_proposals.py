"""Proposals through the pages: propose, accept, decline, withdraw, re-propose; bad input."""
from __future__ import annotations

from sqlalchemy import func, select

from coop.core.outbox import INAPP, MAIL, FollowUp
from coop.matching.models import Proposal
from coop.requests.models import HelpRequest


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_propose_accept_makes_matched_and_shows_contact(session, make, village, coordinator, volunteer,
                                                        make_request, client_as):
    req = make_request(consent_contact=True, description="Boodschappen <b>graag</b>")
    session.commit()  # keep the set-up when a refused action rolls back
    coord = client_as(coordinator)
    page = coord.get(f"/hulpvragen/{req.id}/koppelen")
    assert page.status_code == 200 and "Kees Bakker" in page.text
    assert coord.post(f"/hulpvragen/{req.id}/voorstellen", data={"helper_id": volunteer.id}).status_code == 302
    proposal = session.scalar(select(Proposal).where(Proposal.request_id == req.id))
    kinds = {(f.kind, f.channel)
             for f in session.scalars(select(FollowUp).where(FollowUp.recipient_id == volunteer.id))}
    assert {("proposal.new", INAPP), ("proposal.new", MAIL)} <= kinds

    helper = client_as(volunteer)
    before = helper.get(f"/voorstellen/{proposal.id}")
    assert "Bep" in before.text and "Jansen" not in before.text and "06 12345678" not in before.text
    assert "Boodschappen" in helper.get("/").text  # the home panel lists it
    assert helper.post(f"/voorstellen/{proposal.id}/accepteren").status_code == 302
    session.refresh(req)
    assert req.status == "matched" and proposal.status == "accepted"
    after = helper.get(f"/voorstellen/{proposal.id}")
    assert "Bep Jansen" in after.text and "tel:+31612345678" in after.text
    matched = session.scalars(select(FollowUp).where(FollowUp.kind == "request.matched")).all()
    assert {f.recipient_id for f in matched} == {volunteer.id, req.resident_id}


def test_without_consent_no_contact_after_accepting(session, village, coordinator, volunteer, make_request, client_as):
    from coop.matching import service
    req = make_request(consent_contact=False)
    session.commit()  # keep the set-up when a refused action rolls back
    proposal = service.propose(req, volunteer, by=coordinator)
    service.accept(proposal, by=volunteer)
    view = service.proposal_view(proposal)
    assert view.get("phone") is None and view.get("full_name") is None
    assert view["contact_shared"] is False


def test_second_accept_for_matched_request_refused(session, make, village, coordinator, volunteer,
                                                   make_request, client_as):
    from coop.matching import service
    other = make.volunteer(village, first_name="Anna")
    req = make_request()
    session.commit()  # keep the set-up when a refused action rolls back
    first, second = service.propose(req, volunteer, by=coordinator), service.propose(req, other, by=coordinator)
    service.accept(first, by=volunteer)
    assert second.status == "withdrawn"  # the others are told it is no longer needed
    session.commit()
    response = client_as(other).post(f"/voorstellen/{second.id}/accepteren")
    assert response.status_code == 422 and "al een helper gevonden" in response.text
    assert first.status == "accepted" and count(session, Proposal) == 2


def test_ineligible_helper_refused_with_reason_and_nothing_written(session, make, village, coordinator,
                                                                    make_request, client_as):
    expired = make.volunteer(village, vog_days_ago=4 * 365)
    req = make_request()
    session.commit()  # keep the set-up when a refused action rolls back
    before = (count(session, Proposal), count(session, FollowUp))
    response = client_as(coordinator).post(f"/hulpvragen/{req.id}/voorstellen", data={"helper_id": expired.id})
    assert response.status_code == 422 and "VOG verlopen" in response.text
    assert (count(session, Proposal), count(session, FollowUp)) == before


def test_one_open_proposal_per_helper_and_repropose_after_withdraw(session, village, coordinator, volunteer,
                                                                   make_request, client_as):
    req = make_request()
    session.commit()  # keep the set-up when a refused action rolls back
    coord = client_as(coordinator)
    coord.post(f"/hulpvragen/{req.id}/voorstellen", data={"helper_id": volunteer.id})
    again = coord.post(f"/hulpvragen/{req.id}/voorstellen", data={"helper_id": volunteer.id})
    assert again.status_code == 422 and "al een voorstel open" in again.text
    proposal = session.scalar(select(Proposal))
    assert coord.post(f"/voorstellen/{proposal.id}/intrekken").status_code == 302
    assert proposal.status == "withdrawn"
    assert coord.post(f"/hulpvragen/{req.id}/voorstellen", data={"helper_id": volunteer.id}).status_code == 302
    assert count(session, Proposal) == 2


def test_withdraw_accepted_reopens_request(session, village, coordinator, volunteer, make_request):
    from coop.matching import service
    req = make_request()
    session.commit()  # keep the set-up when a refused action rolls back
    proposal = service.propose(req, volunteer, by=coordinator, by_phone=True)
    assert proposal.status == "accepted" and req.status == "matched"
    service.withdraw(proposal, by=coordinator)
    assert req.status == "searching"


def test_decline_needs_a_reason_and_stale_answer_changes_nothing(session, village, coordinator, volunteer,
                                                                make_request, client_as):
    from coop.matching import service
    req = make_request()
    session.commit()  # keep the set-up when a refused action rolls back
    proposal = service.propose(req, volunteer, by=coordinator)
    helper = client_as(volunteer)
    empty = helper.post(f"/voorstellen/{proposal.id}/afwijzen", data={"reason": ""})
    assert empty.status_code == 422 and "waarom" in empty.text and proposal.status == "proposed"
    assert helper.post(f"/voorstellen/{proposal.id}/afwijzen", data={"reason": "Op vakantie"}).status_code == 302
    assert proposal.status == "declined" and proposal.reason == "Op vakantie"
    stale = helper.post(f"/voorstellen/{proposal.id}/accepteren")
    assert stale.status_code == 422 and "al afgewezen" in stale.text
    assert req.status == "searching"


def test_foreign_ids_are_404(session, make, village, other_village, coordinator, volunteer, make_request, client_as):
    from coop.matching import service
    stranger = make.volunteer(other_village)
    req = make_request()
    session.commit()  # keep the set-up when a refused action rolls back
    proposal = service.propose(req, volunteer, by=coordinator)
    assert client_as(stranger).get(f"/voorstellen/{proposal.id}").status_code == 404
    other_helper = make.volunteer(village)
    assert client_as(other_helper).post(f"/voorstellen/{proposal.id}/accepteren").status_code == 404
    outsider_coord = make.user(other_village, "coordinator")
    assert client_as(outsider_coord).get(f"/hulpvragen/{req.id}/koppelen").status_code == 404
    response = client_as(coordinator).post(f"/hulpvragen/{req.id}/voorstellen", data={"helper_id": stranger.id})
    assert response.status_code == 422 and count(session, Proposal) == 1
    assert client_as(volunteer).get(f"/hulpvragen/{req.id}/koppelen").status_code == 403


def test_pin_out_of_range_refused_and_valid_pin_saved(session, village, coordinator, make_request, client_as):
    req = make_request(lat=None, lon=None)
    session.commit()  # keep the set-up when a refused action rolls back
    coord = client_as(coordinator)
    bad = coord.post(f"/hulpvragen/{req.id}/plek", data={"lat": "95", "lon": "5.3"})
    assert bad.status_code == 422 and "tussen -90 en 90" in bad.text
    session.refresh(req)
    assert req.lat is None
    assert coord.post(f"/hulpvragen/{req.id}/plek", data={"lat": "52,08", "lon": "5.31"}).status_code == 302
    assert (req.lat, req.lon) == (52.08, 5.31)


def test_unknown_address_changes_nothing(session, village, coordinator, make_request, client_as):
    req = make_request(lat=None, lon=None)
    session.commit()  # keep the set-up when a refused action rolls back
    req.street, req.house_number = "Nergensstraat", "999"
    session.commit()
    response = client_as(coordinator).post(f"/hulpvragen/{req.id}/adres-zoeken", follow_redirects=True)
    assert "Dit adres kennen we niet" in response.text
    assert session.get(HelpRequest, req.id).lat is None


def test_messages_build_in_dutch_with_cooperative_and_phone(app, session, village, coordinator, volunteer,
                                                            make_request):
    from coop.core.outbox import build_message
    from coop.matching import service
    proposal = service.propose(make_request(), volunteer, by=coordinator)
    service.accept(proposal, by=volunteer)
    session.flush()
    with app.test_request_context():
        for row in session.scalars(select(FollowUp).where(FollowUp.kind.in_(("proposal.new", "request.matched")))):
            message = build_message(row)
            assert village.cooperative_name in message.text and "0343" in message.text.replace(" ", "")[:9999]


def test_availability_slots_and_absences(session, village, volunteer, client_as):
    session.commit()
    helper = client_as(volunteer)
    bad = helper.post("/beschikbaarheid", data={"which": "slot", "slot-weekday": "1", "slot-start": "14:00",
                                                "slot-end": "10:00"})
    assert bad.status_code == 422 and "eindtijd" in bad.text and volunteer.weekly_slots == []
    ok = helper.post("/beschikbaarheid", data={"which": "slot", "slot-weekday": "1", "slot-start": "10:00",
                                               "slot-end": "12:00"})
    assert ok.status_code == 302
    session.refresh(volunteer)
    assert len(volunteer.weekly_slots) == 1
    assert helper.post("/beschikbaarheid", data={"which": "absence", "absence-starts_on": "2026-07-01",
                                                 "absence-ends_on": "2026-07-14"}).status_code == 302
    session.refresh(volunteer)
    assert len(volunteer.absences) == 1


def test_request_page_links_to_matching_and_shows_the_matched_helper(session, village, coordinator, volunteer,
                                                                     make_request, client_as):
    from coop.matching import service
    req = make_request()
    session.commit()
    coord = client_as(coordinator)
    page = coord.get(f"/hulpvragen/{req.id}").text
    assert f'href="/hulpvragen/{req.id}/koppelen"' in page and "Helper zoeken op de kaart" in page
    proposal = service.propose(req, volunteer, by=coordinator)
    session.commit()
    page = coord.get(f"/hulpvragen/{req.id}").text
    assert volunteer.full_name in page and "voorgesteld" in page and "Gekoppeld met" not in page
    service.accept(proposal, by=volunteer)
    session.commit()
    page = coord.get(f"/hulpvragen/{req.id}").text
    assert "Helper zoeken op de kaart" not in page
    assert f"Gekoppeld met <strong>{volunteer.full_name}</strong>" in page
