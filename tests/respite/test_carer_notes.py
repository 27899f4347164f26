"""The carer keeps "wat moet de vrijwilliger weten" up to date themselves; the coordinator and
the volunteer on shift read it, nobody else."""
import pytest
from sqlalchemy import select

from coop.core import roles as R
from coop.core.errors import DomainError
from coop.core.models import AuditLog
from coop.respite import service
from coop.respite.models import CarerProfile

URL = "/mijn-respijt/wat-te-weten"
NOTES = {"routines": "Om vier uur thee.\nDaarna de krant.", "what_calms": "Foto's van Texel",
         "who_to_call": "Zoon Bram 06-87654321"}


def test_carer_edits_own_notes_and_sees_them(client_as, rcarer, session):
    carer = client_as(rcarer)
    form = carer.get(URL)
    assert form.status_code == 200 and "Koffie om drie uur." in form.text and 'for="who_to_call"' in form.text
    assert carer.post(URL, data=NOTES).status_code == 302
    profile = session.get(CarerProfile, rcarer.id)
    session.refresh(profile)
    assert (profile.routines, profile.what_calms, profile.who_to_call) == tuple(NOTES.values())
    assert profile.sofa_roles == ["O", "A"]  # the coordinator's part is left alone
    page = carer.get("/mijn-respijt").text
    assert "Foto&#39;s van Texel" in page and "Aanpassen" in page
    assert session.scalar(select(AuditLog).where(AuditLog.action == "carer.notes_saved")) is not None


def test_volunteer_on_shift_and_coordinator_read_the_new_notes(client_as, weekly, rcarer, rvolunteer, rcoordinator,
                                                               make, rvillage):
    service.book_volunteer(weekly, rvolunteer, by=rcoordinator)
    client_as(rcarer).post(URL, data=NOTES)
    shift = weekly.shifts[0]
    linked = 'Zoon Bram <a class="govuk-link" href="tel:+31687654321">06-87654321</a>'  # the number dials
    assert linked in client_as(rvolunteer).get(f"/respijt/keren/{shift.id}").text
    assert "Om vier uur thee." in client_as(rvolunteer).get("/mijn-rooster").text
    assert linked in client_as(rcoordinator).get(f"/respijt/keren/{shift.id}").text
    assert "Foto&#39;s van Texel" in client_as(rcoordinator).get(f"/respijt/mantelzorgers/{rcarer.id}").text
    stranger = make.volunteer(rvillage, categories=("respijt",))
    assert client_as(stranger).get(f"/respijt/keren/{shift.id}").status_code == 404


@pytest.mark.parametrize("role", [R.VOLUNTEER, R.RESIDENT, R.COORDINATOR, R.MUNICIPALITY, R.PROFESSIONAL])
def test_only_carers_have_the_page(client_as, make, rvillage, role):
    assert client_as(make.user(rvillage, role)).get(URL).status_code == 403


def test_another_carer_changes_only_their_own(client_as, rcarer, make, rvillage, cared_for, session):
    other = make.user(rvillage, R.CARER, first_name="Henk")
    service.save_carer_profile(other, by=other, care_recipient=cared_for, routines="Eigen tekst")
    session.flush()
    assert client_as(other).post(URL, data=NOTES).status_code == 302
    session.expire_all()
    assert session.get(CarerProfile, rcarer.id).routines == "Koffie om drie uur."
    assert session.get(CarerProfile, other.id).routines == NOTES["routines"]


def test_service_refuses_someone_else(rcarer, make, rvillage, rcoordinator, session):
    neighbour = make.user(rvillage, R.CARER, R.VOLUNTEER)
    with pytest.raises(DomainError, match="niet uw gegevens"):
        service.save_carer_notes(rcarer, by=neighbour, routines="x", what_calms="", who_to_call="")
    outsider = make.user(make.village(name="Elders"), R.COORDINATOR)
    with pytest.raises(DomainError, match="niet uw gegevens"):
        service.save_carer_notes(rcarer, by=outsider, routines="x", what_calms="", who_to_call="")
    service.save_carer_notes(rcarer, by=rcoordinator, routines="Samen ingevuld", what_calms="", who_to_call="")
    assert service.profile_for(rcarer).routines == "Samen ingevuld"


def test_too_long_is_422_and_writes_nothing(client_as, rcarer, session):
    session.commit()  # web.run rolls back the session on a refusal; keep the fixtures
    response = client_as(rcarer).post(URL, data={**NOTES, "who_to_call": "9" * 1001})
    assert response.status_code == 422 and 'href="#who_to_call"' in response.text
    session.expire_all()
    assert session.get(CarerProfile, rcarer.id).routines == "Koffie om drie uur."


def test_carer_without_profile_is_sent_to_mijn_respijt(client_as, make, rvillage):
    assert client_as(make.user(rvillage, R.CARER)).get(URL).status_code == 302
