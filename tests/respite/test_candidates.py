"""Candidates for a respite request come from matching's ranking, with respite's clash checks
on top, and the booking page shows the reasons in words."""
from datetime import date, time

from sqlalchemy import func, select

from coop.core import roles as R
from coop.core.models import TaskCategory
from coop.matching.candidates import rank_for_time
from coop.matching.models import ACCEPTED, Proposal
from coop.people.models import Absence, Competence
from coop.requests.models import HelpRequest
from coop.respite import queries, service
from tests.respite.conftest import available


def names(found):
    return [c.user.full_name for c in found.eligible]


def test_ranked_by_matching_with_reasons_in_words(weekly, rvolunteer, make, rvillage, session):
    # Kees lives next door; Anna 3 km away, both free on Tuesday afternoons.
    anna = available(session, make.volunteer(rvillage, categories=("respijt",), first_name="Anna",
                                             last_name="Smit", lat=52.108, lon=5.312))
    found = queries.candidates(weekly)
    assert found.located and names(found) == ["Kees Bakker", "Anna Smit"]
    kees = found.eligible[0]
    assert kees.reasons[0] == "0,1 km" and "kan di 14:00–17:00" in kees.reasons
    assert "0 van 10 uur deze maand" in kees.reasons
    assert (kees.sample, kees.fits, kees.first_clash) == (4, 4, None)
    assert found.eligible[1].reasons[0] == "3,0 km" and anna.id == found.eligible[1].user.id


def test_continuity_counts_a_resident_helped_before(weekly, rvolunteer, make, rvillage, cared_for, session):
    anna = available(session, make.volunteer(rvillage, categories=("respijt",), first_name="Anna",
                                             last_name="Smit", lat=52.083, lon=5.314))
    old = HelpRequest(village_id=rvillage.id, resident=cared_for, category=make.category(rvillage, "respijt"),
                      description="Even gezelschap", status="done")
    session.add(old)
    session.flush()
    session.add(Proposal(village_id=rvillage.id, request_id=old.id, helper_id=anna.id, resident_id=cared_for.id,
                         status=ACCEPTED))
    session.flush()
    found = queries.candidates(weekly)
    assert names(found)[0] == "Anna Smit" and "hielp Piet eerder" in found.eligible[0].reasons


def test_clash_checks_come_on_top_of_the_score(weekly, rvolunteer, make, rvillage, session):
    # Kees is nearest but absent on the first two Tuesdays; Anna, further, fits every time.
    session.add(Absence(user_id=rvolunteer.id, starts_on=date(2026, 3, 24), ends_on=date(2026, 3, 31), note="vakantie"))
    available(session, make.volunteer(rvillage, categories=("respijt",), first_name="Anna", last_name="Smit",
                                      lat=52.100, lon=5.312))
    session.flush()
    found = queries.candidates(weekly)
    assert names(found) == ["Anna Smit", "Kees Bakker"]
    kees = found.eligible[1]
    assert kees.fits == 2 and "afwezig" in kees.first_clash


def test_outside_radius_or_not_allowed_is_not_a_candidate(weekly, rvolunteer, make, rvillage, session):
    make.volunteer(rvillage, categories=("respijt",), first_name="Ver", last_name="Weg", lat=52.30, lon=5.31)
    make.volunteer(rvillage, categories=("boodschappen",), first_name="Geen", last_name="Respijt",
                   lat=52.082, lon=5.312)
    found = queries.candidates(weekly)
    assert names(found) == ["Kees Bakker"]
    assert ("Geen Respijt", ["biedt geen respijt: gezelschap aan"]) in found.ineligible


def test_trained_respite_ranks_only_trained_volunteers(rcarer, rvolunteer, make, rvillage, session):
    req = service.request_respite(rcarer, by=rcarer, first_date=date(2026, 3, 17), start_time=time(14, 0),
                                  end_time=time(16, 0), with_care=True).respite_request
    assert names(queries.candidates(req)) == []
    care = make.category(rvillage, "respijt_zorg")
    session.add(Competence(volunteer_id=rvolunteer.id, category_id=care.id, recorded_on=date(2026, 1, 5),
                           backstop_id=make.user(rvillage, R.PROFESSIONAL).id))
    session.flush()
    session.expire_all()
    assert names(queries.candidates(req)) == ["Kees Bakker"]


def test_care_recipient_without_a_place_lists_eligible_by_load(weekly, rvolunteer, cared_for, session):
    cared_for.lat = cared_for.lon = None
    session.flush()
    found = queries.candidates(weekly)
    assert not found.located and names(found) == ["Kees Bakker"]
    assert found.eligible[0].reasons[0] == "afstand onbekend"


def test_one_occurrence_is_checked_on_its_own(weekly, rvolunteer, session):
    session.add(Absence(user_id=rvolunteer.id, starts_on=date(2026, 3, 17), ends_on=date(2026, 3, 17)))
    session.flush()
    first, second = weekly.shifts[:2]
    assert queries.candidates(weekly, shift=first).eligible == []  # matching: absent that day
    (kees,) = queries.candidates(weekly, shift=second).eligible
    assert (kees.sample, kees.fits) == (1, 1)


def test_ranking_for_a_time_saves_no_request(rvillage, cared_for, rvolunteer, session):
    from datetime import datetime

    from coop.core.clock import LOCAL
    before = session.scalar(select(func.count()).select_from(HelpRequest))
    category = session.scalar(select(TaskCategory).where(TaskCategory.code == "respijt"))
    ranking = rank_for_time(category, (cared_for.lat, cared_for.lon), datetime(2026, 3, 17, 14, tzinfo=LOCAL),
                            datetime(2026, 3, 17, 17, tzinfo=LOCAL), cared_for)
    session.flush()
    assert [c.helper.id for c in ranking.candidates] == [rvolunteer.id]
    assert session.scalar(select(func.count()).select_from(HelpRequest)) == before


def test_booking_page_shows_reasons_and_ineligible(client_as, weekly, rvolunteer, make, rvillage, rcoordinator):
    make.volunteer(rvillage, categories=("respijt",), first_name="Geen", last_name="Vog", vog_days_ago=None,
                   lat=52.082, lon=5.312)
    page = client_as(rcoordinator).get(f"/respijt/aanvragen/{weekly.id}").text
    assert "0,1 km · kan di 14:00–17:00" in page
    assert "Geen Vog: geen VOG" in page
    shift = weekly.shifts[0]
    one = client_as(rcoordinator).get(f"/respijt/keren/{shift.id}").text
    assert "0,1 km · kan di 14:00–17:00" in one and "Deze keer" in one


def test_booking_page_marks_who_fits_none_and_hides_the_form_when_all_is_arranged(
        client_as, weekly, rvolunteer, make, rvillage, rcoordinator):
    make.volunteer(rvillage, categories=("respijt",), first_name="Els", last_name="Bos")  # no weekly slots
    coordinator = client_as(rcoordinator)
    page = coordinator.get(f"/respijt/aanvragen/{weekly.id}").text
    assert "Els Bos (past nu niet)</option>" in page and "Kees Bakker</option>" in page
    assert "Els Bos (past nu niet)</option>" in coordinator.get(f"/respijt/keren/{weekly.shifts[1].id}").text
    for shift in weekly.shifts:
        service.cancel_shift(shift, by=rcoordinator)
    done = coordinator.get(f"/respijt/aanvragen/{weekly.id}").text
    assert 'data-testid="all-arranged"' in done and "Inroosteren</button>" not in done
