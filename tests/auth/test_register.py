from sqlalchemy import func, select

from coop.core import roles as R
from coop.core.models import User
from coop.people.models import VolunteerProfile


def form(**overrides):
    data = {"kind": "resident", "first_name": "Gerrit", "last_name": "Mulder",
            "email": "Gerrit.Mulder@Example.NL", "phone": "06 12345678", "street": "Kerkweg",
            "house_number": "12", "postcode": "3712ab", "password": "koffie met appeltaart",
            "password2": "koffie met appeltaart", "motivation": ""}
    data.update(overrides)
    return data


def count_users(session):
    return session.scalar(select(func.count(User.id)))


def test_resident_registers_and_is_logged_in(client, session, village):
    response = client.post("/aanmelden", data=form())
    assert response.status_code == 302
    user = session.scalar(select(User).where(User.email == "gerrit.mulder@example.nl"))
    assert user.roles == {R.RESIDENT}
    assert user.phone == "+31612345678" and user.postcode == "3712 AB"
    assert user.password_hash.startswith("$argon2id$")
    assert "Goedendag, Gerrit" in client.get("/").text


def test_volunteer_registers_and_waits_for_approval(client, client_as, session, village, coordinator):
    client.post("/aanmelden", data=form(kind="volunteer", motivation="Ik rijd graag."))
    user = session.scalar(select(User).where(User.email == "gerrit.mulder@example.nl"))
    assert user.roles == {R.VOLUNTEER}
    assert not user.volunteer_profile.approved
    assert "dorpsondersteuner belt u" in client.get("/").text
    # The coordinator sees the new sign-up on the home page and approves.
    coord = client_as(coordinator)
    assert "Gerrit Mulder" in coord.get("/").text
    coord.post(f"/mensen/{user.id}/goedkeuren")
    session.expire_all()
    assert user.volunteer_profile.approved_at is not None
    assert user.volunteer_profile.approved_by_id == coordinator.id
    coord.get("/")  # shows (and so clears) the "goedgekeurd" message
    assert "Nieuwe vrijwilligers" not in coord.get("/").text


def test_duplicate_email_is_refused_and_writes_nothing(client, session, resident):
    before = count_users(session)
    response = client.post("/aanmelden", data=form(email=resident.email.upper()))
    assert response.status_code == 422
    assert "Dit e-mailadres is al in gebruik." in response.text
    assert count_users(session) == before


def test_bad_input_gives_dutch_messages_and_writes_nothing(client, session, village):
    before = count_users(session)
    cases = [
        (form(email="geen-adres"), "Vul een geldig e-mailadres in"),
        (form(password="kort", password2="kort"), "minstens 8 tekens"),
        (form(password="wachtwoord1", password2="wachtwoord1"), "te makkelijk te raden"),
        (form(password2="iets anders dan dat"), "De twee wachtwoorden zijn niet gelijk."),
        (form(first_name=""), "Vul uw voornaam in."),
        (form(phone="12"), "Vul een geldig telefoonnummer in"),
        (form(postcode="12345"), "Vul een postcode in zoals 3712 AB."),
        (form(first_name="x" * 81), "hoogstens 80 tekens"),
    ]
    for data, message in cases:
        response = client.post("/aanmelden", data=data)
        assert response.status_code == 422, message
        assert message in response.text
        assert 'class="govuk-error-summary"' in response.text
    assert count_users(session) == before
    assert session.scalar(select(func.count(VolunteerProfile.user_id))) == 0


def test_coordinator_records_a_resident_without_email(client_as, session, coordinator):
    response = client_as(coordinator).post("/mensen/nieuw", data={
        "first_name": "Riek", "last_name": "de Boer", "phone": "0343 123456",
        "street": "Lindelaan", "house_number": "4", "postcode": "", "email": ""})
    assert response.status_code == 302
    person = session.scalar(select(User).where(User.last_name == "de Boer"))
    assert person.email is None and person.password_hash is None
    assert person.created_by_id == coordinator.id
    assert person.village_id == coordinator.village_id
    assert not person.can_log_in


def test_coordinator_form_refuses_missing_fields(client_as, session, coordinator):
    before = count_users(session)
    response = client_as(coordinator).post("/mensen/nieuw", data={"first_name": "Riek"})
    assert response.status_code == 422
    assert "Vul de achternaam in." in response.text
    assert count_users(session) == before
