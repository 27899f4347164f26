"""Throttling that cannot be turned against users: growing delays instead of a lock, the owner's
own browser unaffected by strangers, a mail to the owner, limits on reset and registration
requests, and no timing difference between real and other accounts."""
import statistics
import time
from datetime import timedelta

from sqlalchemy import func, select

from coop.auth import passwords
from coop.auth.models import AccountRequest, LoginAttempt
from coop.auth.service import LOGIN_FAILURES, say_wait
from coop.core import clock
from coop.core.outbox import FollowUp
from coop.followups.dispatcher import dispatch_due
from tests.conftest import PASSWORD


def login(client, email, password=PASSWORD, ip="192.0.2.10"):
    return client.post("/inloggen", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": ip})


def fail(client, email, times, ip="192.0.2.10"):
    for _ in range(times):
        response = login(client, email, "fout-fout-fout", ip=ip)
        assert "klopt niet" in response.text


def test_the_wait_grows_with_each_failure_and_is_told_in_dutch(client, session, resident, frozen):
    fail(client, resident.email, 5)
    response = login(client, resident.email)
    assert response.status_code == 422 and "Probeer het over 1 seconde opnieuw" in response.text
    for n in range(6, 11):  # each try after the wait: 2, 4, 8, 16 seconds later
        clock.freeze(clock.now() + timedelta(seconds=2 ** (n - 6)))
        fail(client, resident.email, 1)
    response = login(client, resident.email)
    assert "Probeer het over 32 seconden opnieuw" in response.text
    clock.freeze(clock.now() + timedelta(seconds=20))
    assert "Probeer het over 12 seconden opnieuw" in login(client, resident.email).text
    clock.freeze(clock.now() + timedelta(seconds=12))
    assert login(client, resident.email).status_code == 302  # the right password, after the wait


def test_tries_while_waiting_are_not_counted(client, session, resident, frozen):
    fail(client, resident.email, 5)
    for _ in range(20):
        assert "Probeer het over" in login(client, resident.email, "nog-een-gok").text
    assert session.scalar(select(func.count(LoginAttempt.id))) == 5  # the wait stays one second
    clock.freeze(frozen + timedelta(seconds=1))
    assert login(client, resident.email).status_code == 302


def test_the_wait_is_at_most_a_quarter_of_an_hour(app, client, session, resident, frozen):
    for n in range(5, 25):
        clock.freeze(clock.now() + timedelta(seconds=min(2 ** max(n - 6, 0), 900)))
        fail(client, resident.email, 1)
    assert "Probeer het over 15 minuten opnieuw" in login(client, resident.email).text
    assert say_wait(30) == "30 seconden" and say_wait(61) == "2 minuten" and say_wait(60) == "1 minuut"


def test_a_stranger_guessing_does_not_slow_the_owners_own_browser(app, session, resident, frozen):
    owner, stranger = app.test_client(), app.test_client()
    assert login(owner, resident.email, ip="198.51.100.1").status_code == 302  # the device cookie
    owner.post("/uitloggen")
    fail(stranger, resident.email, 5, ip="203.0.113.9")
    assert "Probeer het over" in login(stranger, resident.email, ip="203.0.113.9").text
    assert "Probeer het over" in login(stranger, resident.email, ip="203.0.113.77").text  # any address
    assert login(owner, resident.email, ip="198.51.100.1").status_code == 302


def test_the_owners_browser_is_slowed_by_its_own_failures(app, session, resident, frozen):
    owner = app.test_client()
    login(owner, resident.email)
    owner.post("/uitloggen")
    fail(owner, resident.email, 5)
    assert "Probeer het over" in login(owner, resident.email).text


def test_a_forged_device_cookie_counts_for_nothing(app, session, resident, frozen):
    stranger = app.test_client()
    stranger.set_cookie("coop_device", "eyJmb28iOiJiYXIifQ.forged.signature")
    fail(stranger, resident.email, 5)
    assert "Probeer het over" in login(stranger, resident.email).text


def test_the_owner_gets_one_mail_an_hour_about_failures(app, client, session, smtp, resident, frozen):
    fail(client, resident.email, 4)
    assert session.scalar(select(func.count(FollowUp.id)).where(FollowUp.kind == LOGIN_FAILURES)) == 0
    fail(client, resident.email, 1)
    clock.freeze(frozen + timedelta(seconds=5))
    fail(client, resident.email, 1)
    assert session.scalar(select(func.count(FollowUp.id)).where(FollowUp.kind == LOGIN_FAILURES)) == 1
    dispatch_due()
    [mail] = smtp.to(resident.email)
    assert mail["Subject"] == "Mislukte pogingen om in te loggen"
    assert "5 keer geprobeerd" in mail.get_body(("plain",)).get_content()
    clock.freeze(frozen + timedelta(minutes=61))
    fail(client, resident.email, 1)
    assert session.scalar(select(func.count(FollowUp.id)).where(FollowUp.kind == LOGIN_FAILURES)) == 2


def test_the_real_client_address_is_used_behind_a_proxy(app, session, resident):
    from coop import create_app
    from tests.conftest import RequestIsolatedClient
    proxied = create_app({**app.config, "PROXY_HOPS": 1})
    proxied.test_client_class = RequestIsolatedClient  # the test's data counts as committed
    behind = proxied.test_client()
    behind.post("/inloggen", data={"email": resident.email, "password": "fout-fout-fout"},
                headers={"X-Forwarded-For": "203.0.113.50"})
    assert session.scalar(select(LoginAttempt.ip)) == "203.0.113.50"


# --- reset and registration requests ---------------------------------------------------------

def test_reset_requests_are_limited_per_email_with_the_same_answer(client, session, resident):
    answers = {client.post("/wachtwoord-vergeten", data={"email": resident.email}).text for _ in range(20)}
    assert len(answers) == 1 and "Als dit e-mailadres bij ons bekend is" in answers.pop()
    assert session.scalar(select(func.count(FollowUp.id)).where(FollowUp.kind == "password_reset")) == 3


def test_reset_requests_are_limited_per_address(client, session, resident):
    for i in range(10):
        client.post("/wachtwoord-vergeten", data={"email": f"onbekend{i}@example.nl"})
    client.post("/wachtwoord-vergeten", data={"email": resident.email})
    assert session.scalar(select(func.count(FollowUp.id))) == 0
    client.post("/wachtwoord-vergeten", data={"email": resident.email}, environ_base={"REMOTE_ADDR": "192.0.2.99"})
    assert session.scalar(select(func.count(FollowUp.id))) == 1


def test_the_limits_hold_for_an_hour(client, session, resident, frozen):
    for _ in range(3):
        client.post("/wachtwoord-vergeten", data={"email": resident.email})
    clock.freeze(frozen + timedelta(minutes=61))
    client.post("/wachtwoord-vergeten", data={"email": resident.email})
    assert session.scalar(select(func.count(FollowUp.id))) == 4


def registration(email, **kw):
    return {"kind": "resident", "first_name": "Gerrit", "last_name": "Mulder", "email": email,
            "password": "koffie met appeltaart", "password2": "koffie met appeltaart", **kw}


def test_registrations_are_limited_per_email_and_per_address(client, session, village, resident):
    for _ in range(3):  # probing whether an address has an account
        assert "al in gebruik" in client.post("/aanmelden", data=registration(resident.email)).text
    refused = client.post("/aanmelden", data=registration(resident.email))
    assert refused.status_code == 422 and "al veel aanmeldingen" in refused.text
    for i in range(7):
        assert client.post("/aanmelden", data=registration(f"nieuw{i}@example.nl")).status_code == 302
        client.post("/uitloggen")
    assert session.scalar(select(func.count(AccountRequest.id))) == 10
    assert "al veel aanmeldingen" in client.post("/aanmelden", data=registration("nieuw-acht@example.nl")).text
    other_address = client.post("/aanmelden", data=registration("nieuw-acht@example.nl"),
                                environ_base={"REMOTE_ADDR": "192.0.2.21"})
    assert other_address.status_code == 302


# --- timing ---------------------------------------------------------------------------------

def test_unknown_disabled_and_passwordless_accounts_take_as_long_as_real_ones(app, client, session, make, village):
    """Medians of a few tries each, compared with generous margins: the refusal of an account
    that cannot log in must cost the same argon2 work as a wrong password for a real one."""
    old = app.config["ARGON2_TIME_COST"], app.config["ARGON2_MEMORY_COST"]
    app.config["ARGON2_TIME_COST"], app.config["ARGON2_MEMORY_COST"] = 2, 32 * 1024  # clearly above the noise
    try:
        real = make.user(village)
        real.password_hash = passwords.hash_password(PASSWORD)
        disabled = make.user(village, active=False)
        disabled.password_hash = passwords.hash_password(PASSWORD)
        passwordless = make.user(village)
        passwordless.password_hash = None
        session.flush()

        def median(email):
            timings = []
            for i in range(7):
                t0 = time.perf_counter()
                response = login(client, email, "fout-fout-fout", ip=f"198.51.100.{i + 1}")
                timings.append(time.perf_counter() - t0)
                assert response.status_code == 422
            return statistics.median(timings)
        login(client, "opwarmen@example.nl", "x", ip="198.51.100.200")  # the dummy hash is made once
        baseline = median(real.email)
        for email in ("niemand@example.nl", disabled.email, passwordless.email):
            assert median(email) > 0.5 * baseline, email  # the real check costs the same argon2 work
    finally:
        app.config["ARGON2_TIME_COST"], app.config["ARGON2_MEMORY_COST"] = old


def test_old_login_records_are_forgotten_by_the_daily_retention(session, resident):
    from coop.auth import sessions
    from coop.auth.models import UserSession
    from coop.followups.cli import retention
    old, recent = clock.now() - timedelta(days=31), clock.now() - timedelta(days=29)
    for at in (old, recent):
        session.add(LoginAttempt(email=resident.email, ip="192.0.2.1", success=False, at=at))
        session.add(AccountRequest(kind="reset", email=resident.email, ip="192.0.2.1", at=at))
        sessions.open_session(resident)
    first, second = session.scalars(select(UserSession).order_by(UserSession.id)).all()
    first.created_at = first.last_seen_at = old
    second.created_at = second.last_seen_at = recent
    session.flush()
    assert retention() == 3
    assert session.scalars(select(LoginAttempt.at)).all() == [recent]
    assert session.scalars(select(AccountRequest.at)).all() == [recent]
    assert session.scalars(select(UserSession.id)).all() == [second.id]
