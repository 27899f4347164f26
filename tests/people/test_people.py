from datetime import timedelta

from sqlalchemy import func, select

from coop.core import roles as R
from coop.core.clock import local_now
from coop.people import service
from coop.people.models import Competence


def test_coordinator_sees_nothing_of_another_village(client_as, make, coordinator, other_village):
    stranger = make.user(other_village, R.RESIDENT, first_name="Onbekende", last_name="Buurman")
    client = client_as(coordinator)
    assert client.get(f"/mensen/{stranger.id}").status_code == 404
    assert "Buurman" not in client.get("/mensen?zoek=buurman").text
    assert client.post(f"/mensen/{stranger.id}/goedkeuren").status_code == 404


def test_tampered_and_unknown_ids_are_404(client_as, coordinator):
    client = client_as(coordinator)
    assert client.get("/mensen/999999").status_code == 404
    assert client.get("/mensen/abc").status_code == 404


def test_people_search_finds_by_street_and_role(client_as, make, village, coordinator):
    make.user(village, R.RESIDENT, first_name="Jan", last_name="Kok", street="Molenweg")
    client = client_as(coordinator)
    assert "Jan Kok" in client.get("/mensen?zoek=molen").text
    assert "Jan Kok" not in client.get("/mensen?rol=volunteer").text


def test_open_task_needs_an_approved_volunteer_with_valid_vog(make, village):
    shopping = make.category(village, "boodschappen")
    ok = make.volunteer(village)
    assert service.ineligibility_reasons(ok, shopping) == []
    assert "nog niet goedgekeurd" in service.ineligibility_reasons(make.volunteer(village, approved=False), shopping)
    assert "geen VOG" in service.ineligibility_reasons(make.volunteer(village, vog_days_ago=None), shopping)
    expired = make.volunteer(village, vog_days_ago=365 * 3 + 1)
    assert service.ineligibility_reasons(expired, shopping) == ["VOG verlopen"]
    paused = make.volunteer(village)
    paused.volunteer_profile.paused = True
    assert service.ineligibility_reasons(paused, shopping) == ["staat op pauze"]
    picky = make.volunteer(village, categories=("gezelschap",))
    assert service.ineligibility_reasons(picky, shopping) == ["biedt geen boodschappen aan"]


def test_trained_task_needs_competence_backstop_and_agreement(make, village, professional):
    medication = make.category(village, "medicatie")
    volunteer = make.volunteer(village)
    assert "niet bevoegd voor hulp bij medicijnen" in service.ineligibility_reasons(volunteer, medication)
    competence = Competence(category=medication, recorded_on=local_now().date() - timedelta(days=3))
    volunteer.volunteer_profile.competences.append(competence)
    make.session.flush()
    assert service.ineligibility_reasons(volunteer, medication) == ["geen professionele achterwacht"]
    competence.backstop_id = professional.id
    volunteer.volunteer_profile.volunteer_contract_signed_on = None
    assert service.ineligibility_reasons(volunteer, medication) == ["geen getekende vrijwilligersovereenkomst"]
    volunteer.volunteer_profile.volunteer_contract_signed_on = local_now().date()
    assert service.ineligibility_reasons(volunteer, medication) == []


def test_professional_and_municipal_rules(make, village, volunteer, professional):
    nursing = make.category(village, "wijkverpleging")
    housing = make.category(village, "woningaanpassing")
    assert service.ineligibility_reasons(volunteer, nursing) == ["alleen voor zorgprofessionals"]
    assert service.ineligibility_reasons(professional, nursing) == []
    assert service.ineligibility_reasons(professional, housing) == [
        "wordt doorverwezen naar de gemeente, niet gekoppeld"]
    assert service.ineligibility_reasons(volunteer, housing) == ["wordt doorverwezen naar de gemeente, niet gekoppeld"]


def test_expired_vog_shows_visibly_on_the_volunteer_page(client_as, make, village, coordinator):
    expired = make.volunteer(village, vog_days_ago=365 * 4)
    page = client_as(coordinator).get(f"/mensen/{expired.id}").text
    assert "VOG verlopen" in page


def test_residents_see_what_is_stored_about_them(client_as, coordinator, resident):
    client_as(coordinator).get(f"/mensen/{resident.id}")
    page = client_as(resident).get("/mijn-gegevens").text
    # Who looked, in which role, in a sentence: never the log's code.
    assert "Bep Jansen" in page and "Marieke (dorpsondersteuner) bekeek uw gegevens" in page
    assert "person.viewed" not in page
    assert 'href="/mijn-hulpvragen"' in page  # where the rest of what is stored about them is


def test_volunteer_chooses_what_to_help_with(client_as, session, make, village, volunteer):
    garden = make.category(village, "gezelschap")
    response = client_as(volunteer).post("/mijn-vrijwilligerswerk", data={
        "categories": [str(garden.id)], "radius_km": "2,5", "max_hours_month": "6", "preferences": ""})
    assert response.status_code == 302
    session.expire_all()
    assert [c.code for c in volunteer.volunteer_profile.categories] == ["gezelschap"]
    assert volunteer.volunteer_profile.max_hours_month == 6
    bad = client_as(volunteer).post("/mijn-vrijwilligerswerk", data={
        "categories": [str(garden.id)], "radius_km": "900", "max_hours_month": "6"})
    assert bad.status_code == 422 and "tussen 0,5 en 50 km" in bad.text


def test_coordinator_records_vog_and_agreement(client_as, session, make, village, coordinator):
    volunteer = make.volunteer(village, vog_days_ago=None)
    client = client_as(coordinator)
    assert client.get(f"/mensen/{volunteer.id}/vrijwilliger").status_code == 200
    today = local_now().date()
    response = client.post(f"/mensen/{volunteer.id}/vrijwilliger", data={
        "papieren-vog_date": (today - timedelta(days=10)).isoformat(),
        "papieren-contract_date": today.isoformat(), "papieren-submit": "1"})
    assert response.status_code == 302
    session.expire_all()
    assert volunteer.volunteer_profile.vog_date == today - timedelta(days=10)
    assert service.vog_valid(volunteer.volunteer_profile)


def test_vog_in_the_future_or_garbage_is_refused(client_as, session, make, village, coordinator):
    volunteer = make.volunteer(village, vog_days_ago=30)
    before = volunteer.volunteer_profile.vog_date
    client = client_as(coordinator)
    future = (local_now().date() + timedelta(days=3)).isoformat()
    response = client.post(f"/mensen/{volunteer.id}/vrijwilliger",
                           data={"papieren-vog_date": future, "papieren-submit": "1"})
    assert response.status_code == 422 and "kan niet in de toekomst" in response.text
    response = client.post(f"/mensen/{volunteer.id}/vrijwilliger",
                           data={"papieren-vog_date": "gisteren", "papieren-submit": "1"})
    assert response.status_code == 422 and "Not a valid" not in response.text
    session.expire_all()
    assert volunteer.volunteer_profile.vog_date == before


def test_coordinator_records_a_competence_with_backstop(client_as, session, make, village, coordinator, professional):
    medication = make.category(village, "medicatie")
    volunteer = make.volunteer(village)
    response = client_as(coordinator).post(f"/mensen/{volunteer.id}/vrijwilliger", data={
        "bevoegd-category": str(medication.id), "bevoegd-backstop": str(professional.id),
        "bevoegd-note": "training gevolgd", "bevoegd-submit": "1"})
    assert response.status_code == 302
    session.expire_all()
    assert service.ineligibility_reasons(volunteer, medication) == []


def test_a_competence_for_an_open_task_or_a_non_professional_backstop_is_refused(
        client_as, session, make, village, coordinator, volunteer):
    shopping = make.category(village, "boodschappen")
    medication = make.category(village, "medicatie")
    other = make.volunteer(village)
    client = client_as(coordinator)
    response = client.post(f"/mensen/{other.id}/vrijwilliger", data={
        "bevoegd-category": str(shopping.id), "bevoegd-backstop": str(volunteer.id), "bevoegd-submit": "1"})
    assert response.status_code == 422
    assert session.scalar(select(func.count(Competence.id))) == 0
    assert medication is not None
