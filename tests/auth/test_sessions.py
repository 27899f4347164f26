"""Server-side sessions: the server can end a login, and does (logout, password change, a
disabled account, "Overal uitloggen", idle and absolute timeouts)."""
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from coop.auth.models import LoginAttempt, UserSession
from coop.core import clock
from coop.core import roles as R
from coop.core.models import AuditLog
from coop.core.outbox import FollowUp
from coop.extensions import db
from tests.conftest import PASSWORD


def login(client, user, password=PASSWORD):
    response = client.post("/inloggen", data={"email": user.email, "password": password},
                           headers={"User-Agent": "Mozilla/5.0 (Windows NT 10.0) Gecko/20100101 Firefox/128.0"})
    assert response.status_code == 302, response.text
    return response


def cookie_of(client) -> str:
    return client.get_cookie("session").value


def with_cookie(app, value):
    other = app.test_client()
    other.set_cookie("session", value)
    return other


def rows(session, user):
    session.expire_all()
    return session.scalars(select(UserSession).where(UserSession.user_id == user.id)
                           .order_by(UserSession.id)).all()


@pytest.fixture(autouse=True)
def timeouts(app, tmp_path):
    """The real timeouts (the other tests run with them out of the way, see TEST_CONFIG)."""
    from coop.config import from_env
    names = ("SESSION_IDLE_MINUTES_STAFF", "SESSION_IDLE_MINUTES", "SESSION_MAX_HOURS", "REAUTH_MINUTES")
    config = from_env(tmp_path)
    defaults = {name: config[name] for name in names}
    assert defaults == {"SESSION_IDLE_MINUTES_STAFF": 30, "SESSION_IDLE_MINUTES": 120, "SESSION_MAX_HOURS": 12,
                        "REAUTH_MINUTES": 5}
    saved = {name: app.config[name] for name in names}
    app.config.update(defaults)
    yield
    app.config.update(saved)


def test_a_cookie_copied_before_logout_does_not_work_after_it(app, client, session, resident):
    login(client, resident)
    copied = cookie_of(client)
    assert with_cookie(app, copied).get("/mijn-gegevens").status_code == 200
    client.post("/uitloggen")
    assert with_cookie(app, copied).get("/mijn-gegevens").status_code == 302
    [row] = rows(session, resident)
    assert row.ended_at is not None and row.end_reason == "logout"
    assert row.user_agent == "Firefox op Windows" and row.ip == "127.0.0.1"


def test_the_session_row_keeps_only_a_hash_of_the_token(client, session, resident):
    login(client, resident)
    with client.session_transaction() as sess:
        token = sess["_sid"]
    [row] = rows(session, resident)
    assert token not in row.token_hash and len(row.token_hash) == 64


def test_a_password_change_ends_every_other_session_and_keeps_this_one(app, client, client_as, session, smtp,
                                                                       resident):
    other_device = client_as(resident)
    login(client, resident)
    client.post("/mijn-gegevens/bevestigen", data={"password": PASSWORD})
    response = client.post("/mijn-gegevens/wachtwoord",
                           data={"password": "nieuwe lange zin om te onthouden",
                                 "password2": "nieuwe lange zin om te onthouden"})
    assert response.status_code == 302
    assert client.get("/mijn-gegevens").status_code == 200  # this one goes on
    assert other_device.get("/mijn-gegevens").status_code == 302
    ended = [r.end_reason for r in rows(session, resident)]
    assert ended == ["password", None]
    assert session.scalar(select(FollowUp).where(FollowUp.kind == "account.password_changed",
                                                 FollowUp.recipient_id == resident.id)) is not None
    client.post("/uitloggen")
    login(client, resident, "nieuwe lange zin om te onthouden")


def test_changing_the_password_asks_for_it_again_valid_for_five_minutes(client_as, session, resident, frozen):
    client = client_as(resident)
    page = client.get("/mijn-gegevens/wachtwoord")
    assert page.status_code == 302 and "/mijn-gegevens/bevestigen" in page.headers["Location"]
    wrong = client.post("/mijn-gegevens/bevestigen?next=/mijn-gegevens/wachtwoord", data={"password": "niet-goed-123"})
    assert wrong.status_code == 422 and "Dit wachtwoord klopt niet." in wrong.text
    # A wrong password here counts like a failed login: a stolen session cannot guess it freely.
    assert session.scalar(select(LoginAttempt).where(LoginAttempt.email == resident.email,
                                                     LoginAttempt.success.is_(False))) is not None
    right = client.post("/mijn-gegevens/bevestigen?next=/mijn-gegevens/wachtwoord", data={"password": PASSWORD})
    assert right.status_code == 302 and right.headers["Location"] == "/mijn-gegevens/wachtwoord"
    assert client.get("/mijn-gegevens/wachtwoord").status_code == 200
    clock.freeze(frozen + timedelta(minutes=4, seconds=50))
    assert client.get("/mijn-gegevens/wachtwoord").status_code == 200
    clock.freeze(frozen + timedelta(minutes=5, seconds=1))
    assert client.get("/mijn-gegevens/wachtwoord").status_code == 302


def test_a_weak_new_password_is_refused_with_the_reason(client_as, session, resident):
    client = client_as(resident)
    client.post("/mijn-gegevens/bevestigen", data={"password": PASSWORD})
    old_hash = resident.password_hash
    response = client.post("/mijn-gegevens/wachtwoord",
                           data={"password": "BepJansen1950", "password2": "BepJansen1950"})
    assert response.status_code == 422
    assert "Dit wachtwoord is te makkelijk te raden: het lijkt op uw naam." in response.text
    session.expire_all()
    assert resident.password_hash == old_hash


def test_changing_email_and_phone_asks_the_password_and_tells_the_old_address(client_as, session, smtp, resident,
                                                                              coordinator):
    from coop.followups.dispatcher import dispatch_due
    client = client_as(resident)
    assert client.post("/mijn-gegevens/contact", data={"email": "x@example.nl"}).status_code == 302
    session.expire_all()
    assert resident.email != "x@example.nl"  # nothing changed without the password
    client.post("/mijn-gegevens/bevestigen", data={"password": PASSWORD})
    taken = client.post("/mijn-gegevens/contact", data={"email": coordinator.email, "phone": ""})
    assert taken.status_code == 422 and "Dit e-mailadres is al in gebruik." in taken.text
    old = resident.email
    done = client.post("/mijn-gegevens/contact", data={"email": "Bep.Nieuw@Example.NL", "phone": "0343 654321"})
    assert done.status_code == 302
    session.expire_all()
    assert resident.email == "bep.nieuw@example.nl" and resident.phone == "+31343654321"
    dispatch_due()
    [notice] = smtp.to(old)
    assert notice["Subject"] == "Uw e-mailadres is gewijzigd"
    assert not smtp.to("bep.nieuw@example.nl")
    assert session.scalar(select(AuditLog).where(AuditLog.action == "account.contact_changed")).detail \
        == "e-mail, telefoon"


def test_overal_uitloggen_ends_every_session_at_once(client_as, session, resident):
    phone, laptop = client_as(resident), client_as(resident)
    page = laptop.get("/mijn-gegevens").text
    assert "Waar bent u ingelogd?" in page and "(dit apparaat)" in page and page.count("pytest") == 2
    response = laptop.post("/mijn-gegevens/overal-uitloggen")
    assert response.status_code == 302 and response.headers["Location"] == "/inloggen"
    assert laptop.get("/mijn-gegevens").status_code == 302
    assert phone.get("/mijn-gegevens").status_code == 302
    assert {r.end_reason for r in rows(session, resident)} == {"everywhere"}


def test_an_admin_disables_an_account_of_their_village_and_every_session_ends(
        app, client, client_as, session, make, village, other_village, admin, coordinator, resident):
    residents_phone = client_as(resident)
    page = client_as(admin).get(f"/mensen/{resident.id}").text
    assert "Account uitzetten" in page
    assert "Account uitzetten" not in client_as(coordinator).get(f"/mensen/{resident.id}").text
    assert client_as(coordinator).post(f"/mensen/{resident.id}/account", data={"active": "0"}).status_code == 403
    stranger = make.user(other_village, R.RESIDENT)
    assert client_as(admin).post(f"/mensen/{stranger.id}/account", data={"active": "0"}).status_code == 404

    client_as(admin).post(f"/mensen/{resident.id}/account", data={"active": "0"})
    session.expire_all()
    assert resident.active is False
    assert residents_phone.get("/mijn-gegevens").status_code == 302
    assert {r.end_reason for r in rows(session, resident)} == {"disabled"}
    refused = client.post("/inloggen", data={"email": resident.email, "password": PASSWORD})
    assert refused.status_code == 422
    assert "weer aanzetten" in client_as(admin).get(f"/mensen/{resident.id}").text

    client_as(admin).post(f"/mensen/{resident.id}/account", data={"active": "1"})
    session.expire_all()
    assert resident.active is True
    login(client, resident)
    actions = session.scalars(select(AuditLog.action).where(AuditLog.subject_user_id == resident.id)).all()
    assert "account.disabled" in actions and "account.enabled" in actions


def test_an_admin_cannot_disable_their_own_account(client_as, session, admin):
    client = client_as(admin)
    client.post(f"/mensen/{admin.id}/account", data={"active": "0"})
    session.expire_all()
    assert admin.active is True
    assert client.get("/mijn-gegevens").status_code == 200


def test_staff_sessions_end_after_30_idle_minutes_others_after_two_hours(client_as, session, coordinator,
                                                                         resident, frozen):
    staff, other = client_as(coordinator), client_as(resident)
    clock.freeze(frozen + timedelta(minutes=29))
    assert staff.get("/").status_code == 200 and other.get("/").status_code == 200  # both noted as seen
    clock.freeze(frozen + timedelta(minutes=29 + 29))
    assert staff.get("/mensen").status_code == 200
    clock.freeze(frozen + timedelta(minutes=29 + 29 + 31))
    expired = staff.get("/mensen")
    assert expired.status_code == 302 and "/inloggen" in expired.headers["Location"]
    assert "U was een tijd niet actief" in staff.get(expired.headers["Location"]).text
    assert other.get("/mijn-gegevens").status_code == 200
    clock.freeze(frozen + timedelta(minutes=29 + 29 + 31 + 121))
    assert other.get("/mijn-gegevens").status_code == 302


def test_a_session_ends_twelve_hours_after_login_however_busy(client_as, session, resident, frozen):
    client = client_as(resident)
    for minutes in range(60, 12 * 60, 60):
        clock.freeze(frozen + timedelta(minutes=minutes))
        assert client.get("/mijn-gegevens").status_code == 200, minutes
    clock.freeze(frozen + timedelta(hours=12))
    response = client.get("/mijn-gegevens")
    assert response.status_code == 302
    assert "U was lang ingelogd" in client.get(response.headers["Location"]).text


def test_last_seen_is_written_at_most_once_a_minute(app, client_as, session, resident, frozen):
    client = client_as(resident)
    updates = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("UPDATE USER_SESSIONS"):
            updates.append(statement)
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        clock.freeze(frozen + timedelta(seconds=30))
        for _ in range(3):
            assert client.get("/mijn-gegevens").status_code == 200
        assert updates == []
        clock.freeze(frozen + timedelta(seconds=61))
        for _ in range(3):
            client.get("/mijn-gegevens")
        assert len(updates) == 1
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    [row] = rows(session, resident)
    assert row.last_seen_at == frozen + timedelta(seconds=61)
