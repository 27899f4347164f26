"""Villages are tenants: the platform role makes them (with their first coordinator) and sees
no personal data; a village's admin stays in that village; the gemeente reads all its villages."""
from __future__ import annotations

from sqlalchemy import select

from coop.core import outbox as O
from coop.core import roles as R
from coop.core.models import AuditLog, Municipality, TaskCategory, User, Village

FORM = {"name": "Bosch en Duin", "cooperative_name": "Zorgcoöperatie Bosch en Duin", "slug": "bosch-en-duin",
        "centre_lat": "52,115", "centre_lon": "5,242", "phone": "030 225 1234", "municipality_id": "0",
        "new_municipality": "Gemeente Zeist", "category_set": "standaard",
        "coordinator_first_name": "Sanne", "coordinator_last_name": "de Ruiter",
        "coordinator_email": "sanne@boschenduin.example.nl", "coordinator_is_admin": "y"}


def test_the_platform_creates_a_village_with_categories_and_a_coordinator(make, village, client_as, session):
    platform = client_as(make.user(village, R.PLATFORM))
    response = platform.post("/platform/dorpen/nieuw", data=FORM)
    assert response.status_code == 302, response.get_data(as_text=True)
    new = session.scalar(select(Village).where(Village.slug == "bosch-en-duin"))
    assert new.name == "Bosch en Duin" and new.coordinator_phone == "+31302251234"
    assert new.municipality.name == "Gemeente Zeist"
    codes = {c.code for c in session.scalars(select(TaskCategory).where(TaskCategory.village_id == new.id))}
    assert {"boodschappen", "medicatie", "woningaanpassing"} <= codes
    coordinator = session.scalar(select(User).where(User.email == "sanne@boschenduin.example.nl"))
    assert coordinator.village_id == new.id and coordinator.has_role(R.COORDINATOR) and coordinator.has_role(R.ADMIN)
    assert coordinator.password_hash is None
    [welcome] = session.scalars(select(O.FollowUp).where(O.FollowUp.recipient_id == coordinator.id)).all()
    assert welcome.kind == "account_welcome"
    assert session.scalar(select(AuditLog.action).where(AuditLog.village_id == new.id)) is not None
    page = platform.get("/platform/").get_data(as_text=True)
    assert "Bosch en Duin" in page and "Gemeente Zeist" in page


def test_an_existing_gemeente_is_reused_by_name(make, village, client_as, session):
    platform = client_as(make.user(village, R.PLATFORM))
    existing = village.municipality.name
    assert platform.post("/platform/dorpen/nieuw", data={**FORM, "new_municipality": existing.upper()}
                         ).status_code == 302
    new = session.scalar(select(Village).where(Village.slug == "bosch-en-duin"))
    assert new.municipality_id == village.municipality_id
    assert session.scalar(select(Municipality.id).where(Municipality.name == existing.upper())) is None


def test_bad_input_gets_a_dutch_message_and_changes_nothing(make, village, client_as, session):
    platform = client_as(make.user(village, R.PLATFORM))
    before = session.scalar(select(Village.id).order_by(Village.id.desc()))
    for change, message in [({"slug": "Bosch En Duin!"}, "kleine letters"),
                            ({"slug": village.slug}, "al een dorp met deze code"),
                            ({"centre_lat": "40,1"}, "niet in Nederland"),
                            ({"new_municipality": ""}, "Kies een gemeente"),
                            ({"coordinator_email": "geen-adres"}, "e-mailadres"),
                            ({"centre_lon": "NaN"}, "niet in Nederland")]:
        response = platform.post("/platform/dorpen/nieuw", data={**FORM, **change})
        assert response.status_code == 422, change
        assert message in response.get_data(as_text=True), change
    assert session.scalar(select(Village.id).order_by(Village.id.desc())) == before


def test_the_welcome_mail_links_to_choosing_a_password(make, village, client_as, session, smtp):
    from coop.followups.dispatcher import run_until_idle
    platform = client_as(make.user(village, R.PLATFORM))
    platform.post("/platform/dorpen/nieuw", data=FORM)
    run_until_idle(max_rounds=3)
    [mail] = smtp.to("sanne@boschenduin.example.nl")
    assert mail["Subject"] == "Welkom bij Zorgcoöperatie Bosch en Duin: kies uw wachtwoord"
    body = mail.get_body(("plain",)).get_content()
    assert "/wachtwoord-instellen/" in body


def test_the_platform_role_reads_no_personal_data(make, village, client_as):
    platform = client_as(make.user(village, R.PLATFORM))
    resident = make.user(village, R.RESIDENT, first_name="Geertruida", last_name="Zonnebloem")
    page = platform.get("/platform/").get_data(as_text=True)
    assert "Geertruida" not in page and "Zonnebloem" not in page
    for url in ("/mensen", f"/mensen/{resident.id}", "/hulpvragen", "/beheer/logboek"):
        assert platform.get(url).status_code == 403, url


def test_an_admin_stays_in_their_own_village(make, village, client_as, session):
    other = make.village("Elders")
    stranger = make.user(other, R.RESIDENT, first_name="Onbekend")
    admin = client_as(make.user(village, R.ADMIN, R.COORDINATOR))
    assert admin.get(f"/mensen/{stranger.id}").status_code == 404
    index = admin.get("/beheer/").get_data(as_text=True)
    assert "Elders" not in index
    from coop.core import audit
    audit.record("person.viewed", actor=stranger, subject=stranger)
    session.flush()
    log = admin.get("/beheer/logboek").get_data(as_text=True)
    assert "Onbekend" not in log


def test_the_gemeente_reads_every_village_of_its_municipality(make, village, client_as, session):
    sibling = make.village("Bosch", municipality=village.municipality)
    elsewhere = make.village("Elders")
    gemeente = client_as(make.user(village, R.MUNICIPALITY))
    assert gemeente.get(f"/cijfers/dorp/{village.id}").status_code == 200
    assert gemeente.get(f"/cijfers/dorp/{sibling.id}").status_code == 200
    assert gemeente.get(f"/cijfers/dorp/{elsewhere.id}").status_code == 403
    coordinator = client_as(make.user(village, R.COORDINATOR))
    assert coordinator.get(f"/cijfers/dorp/{sibling.id}").status_code == 403
