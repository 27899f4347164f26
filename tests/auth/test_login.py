from datetime import timedelta

from sqlalchemy import func, select

from coop.auth.models import LoginAttempt
from coop.core import clock
from coop.core.models import AuditLog
from tests.conftest import PASSWORD


def login(client, email, password=PASSWORD, **kw):
    return client.post("/inloggen", data={"email": email, "password": password}, **kw)


def test_coordinator_logs_in_and_sees_own_home(client, coordinator):
    response = login(client, coordinator.email)
    assert response.status_code == 302
    home = client.get("/")
    assert "Goedendag, Marieke" in home.text
    assert "dorpsondersteuner" in home.text


def test_wrong_password_gives_dutch_message_and_records_attempt(client, session, coordinator):
    response = login(client, coordinator.email, "verkeerd-wachtwoord")
    assert response.status_code == 422
    assert "Het e-mailadres of het wachtwoord klopt niet." in response.text
    assert session.scalar(select(func.count(LoginAttempt.id)).where(LoginAttempt.success.is_(False))) == 1


def test_unknown_address_gives_the_same_message(client, session):
    response = login(client, "niemand@example.nl", "wat-dan-ook-123")
    assert "Het e-mailadres of het wachtwoord klopt niet." in response.text


def test_throttle_after_five_failures_then_lifts(client, session, coordinator):
    start = clock.now()
    try:
        clock.freeze(start)
        for _ in range(5):
            login(client, coordinator.email, "fout-fout-fout")
        blocked = login(client, coordinator.email)  # even the right password is refused now
        assert blocked.status_code == 422
        assert "te vaak een verkeerd wachtwoord" in blocked.text
        assert session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "login.throttled")) == 1
        clock.freeze(start + timedelta(minutes=16))
        assert login(client, coordinator.email).status_code == 302
    finally:
        clock.freeze(None)


def test_throttle_per_address_covers_other_accounts(app, client, session, coordinator, resident):
    for i in range(app.config["LOGIN_FREE_FAILURES_PER_ADDRESS"]):
        login(client, f"geraden{i}@example.nl", "fout-fout-fout")
    blocked = login(client, resident.email)
    assert "te vaak een verkeerd wachtwoord" in blocked.text


def test_session_is_renewed_at_login(app, client, coordinator):
    with client.session_transaction() as sess:
        sess["planted"] = "by-an-attacker"
    login(client, coordinator.email)
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess["_user_id"] == coordinator.get_id()
        assert sess["_sid"]  # the token of the server-side session


def test_open_redirect_after_login_is_refused(client, coordinator):
    response = login(client, coordinator.email, query_string={"next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    response = client.get("/")
    client.post("/uitloggen")
    response = login(client, coordinator.email, query_string={"next": "/mensen"})
    assert response.headers["Location"] == "/mensen"


def test_logout_needs_post_and_ends_session(client_as, coordinator):
    client = client_as(coordinator)
    assert client.get("/uitloggen").status_code == 405
    client.post("/uitloggen")
    assert client.get("/mensen").status_code == 302


def test_inactive_account_cannot_log_in(client, session, coordinator):
    coordinator.active = False
    session.flush()
    assert login(client, coordinator.email).status_code == 422


def test_checking_the_password_writes_nothing_recording_the_login_does(session, coordinator):
    from coop.auth import service
    check = service.check_credentials(coordinator.email.upper(), PASSWORD, "192.0.2.7")
    assert check.ok and check.user_id == coordinator.id
    assert not session.new and not session.dirty  # the slow part can run before the write lock
    assert service.record_login(check) is coordinator
    assert [o.success for o in session.new if isinstance(o, LoginAttempt)] == [True]
    wrong = service.check_credentials(coordinator.email, "verkeerd-wachtwoord", "192.0.2.7")
    assert not wrong.ok and not session.dirty
