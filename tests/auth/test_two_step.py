"""Two-step login: setting it up from the QR page, the code after the password (read by an
RFC 6238 implementation of the test's own, not the app's library), a code that counts once,
recovery codes, the growing wait after wrong codes, staff made to set it up first, and the
village's admin clearing it for a lost phone."""
from __future__ import annotations

import hashlib
import hmac
import re
import struct
from datetime import timedelta

from sqlalchemy import select

from coop.auth import two_step
from coop.auth.models import RecoveryCode, TwoStepKey, UserSession
from coop.core import clock
from coop.core import roles as R
from coop.core.models import AuditLog
from tests.conftest import PASSWORD


def totp(secret_b32: str, at: float, digits: int = 6) -> str:
    """RFC 6238 with HMAC-SHA1 and 30-second steps (RFC 4226's dynamic truncation)."""
    import base64
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10 ** digits).zfill(digits)


def test_the_test_s_reader_matches_rfc_6238():
    import base64
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp(secret, 59, digits=8) == "94287082"
    assert totp(secret, 1111111109, digits=8) == "07081804"


def login(client, user, password=PASSWORD):
    return client.post("/inloggen", data={"email": user.email, "password": password})


def set_up(client, session, user) -> tuple[str, list[str]]:
    """Through the pages, as the user does: begin, read the key off the page, confirm."""
    assert login(client, user).status_code == 302
    page = client.get("/mijn-gegevens/tweestaps")
    assert page.status_code == 200 and "Beginnen" in page.text
    assert client.post("/mijn-gegevens/tweestaps/beginnen").status_code == 302
    page = client.get("/mijn-gegevens/tweestaps")
    assert "<svg" in page.text and "QR-code voor uw app" in page.text
    spaced = re.search(r"<code>([A-Z2-7 ]{30,})</code>", page.text).group(1)
    secret = spaced.replace(" ", "")
    assert two_step.setup_uri(user, secret).startswith("otpauth://totp/")
    done = client.post("/mijn-gegevens/tweestaps/bevestigen", data={"code": totp(secret, clock.now().timestamp())})
    assert done.status_code == 200 and "De tweestapsverificatie staat aan" in done.text
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", done.text)
    assert len(codes) == 10
    client.post("/uitloggen")
    return secret, codes


def test_set_up_and_log_in_with_the_app_s_code(client, session, resident, frozen):
    secret, _codes = set_up(client, session, resident)
    key = session.get(TwoStepKey, resident.id)
    assert key.confirmed_at is not None and secret not in key.sealed_secret  # sealed, not stored as is
    assert session.scalar(select(AuditLog).where(AuditLog.action == "two_step.on",
                                                 AuditLog.subject_user_id == resident.id))

    # The password alone logs nobody in: it leads to the code.
    first = login(client, resident)
    assert first.status_code == 302 and first.headers["Location"].endswith("/inloggen/code")
    assert client.get("/mijn-gegevens").status_code == 302
    wrong = client.post("/inloggen/code", data={"code": "000000"})
    assert wrong.status_code == 422 and "Deze code klopt niet" in wrong.text
    clock.freeze(frozen + timedelta(seconds=31))  # the set-up code's step is used; the next one counts
    code = totp(secret, clock.now().timestamp())
    right = client.post("/inloggen/code", data={"code": code[:3] + " " + code[3:]})
    assert right.status_code == 302
    assert client.get("/mijn-gegevens").status_code == 200
    assert session.scalar(select(AuditLog).where(AuditLog.action == "login.two_step"))

    # The same code a second time (someone looking over a shoulder) does not count.
    client.post("/uitloggen")
    login(client, resident)
    again = client.post("/inloggen/code", data={"code": code})
    assert again.status_code == 422 and client.get("/mijn-gegevens").status_code == 302


def test_a_recovery_code_works_once(client, session, resident, frozen):
    _secret, codes = set_up(client, session, resident)
    login(client, resident)
    assert "herstelcode" in client.get("/inloggen/code?herstelcode=1").text.lower()
    used = client.post("/inloggen/code?herstelcode=1", data={"code": codes[0].upper()})
    assert used.status_code == 302
    assert "nog 9" in client.get("/").text
    client.post("/uitloggen")
    login(client, resident)
    assert client.post("/inloggen/code", data={"code": codes[0]}).status_code == 422
    assert session.scalar(select(RecoveryCode).where(RecoveryCode.user_id == resident.id,
                                                     RecoveryCode.used_at.is_not(None))) is not None


def test_wrong_codes_make_the_next_try_wait(client, session, resident, frozen):
    secret, _codes = set_up(client, session, resident)
    login(client, resident)
    for _ in range(two_step.FREE_FAILURES):
        assert client.post("/inloggen/code", data={"code": "123456"}).status_code == 422
    clock.freeze(frozen + timedelta(seconds=10))
    waiting = client.post("/inloggen/code", data={"code": totp(secret, clock.now().timestamp())})
    assert waiting.status_code == 422 and "Probeer het over" in waiting.text
    clock.freeze(frozen + timedelta(seconds=45))
    assert client.post("/inloggen/code", data={"code": totp(secret, clock.now().timestamp())}).status_code == 302
    assert session.get(TwoStepKey, resident.id).failures == 0


def test_the_code_must_follow_the_password_soon(client, session, resident, frozen):
    secret, _codes = set_up(client, session, resident)
    login(client, resident)
    clock.freeze(frozen + timedelta(minutes=two_step.PENDING_MINUTES, seconds=1))
    late = client.post("/inloggen/code", data={"code": totp(secret, clock.now().timestamp())})
    assert late.status_code == 302 and late.headers["Location"].endswith("/inloggen")
    assert client.get("/inloggen/code").status_code == 302  # nothing pending any more


def test_staff_set_it_up_before_anything_else(app, client, session, coordinator, frozen):
    app.config["TWO_STEP_FOR_STAFF"] = True
    try:
        assert login(client, coordinator).status_code == 302
        home = client.get("/")
        assert home.status_code == 302 and home.headers["Location"].endswith("/mijn-gegevens/tweestaps")
        assert client.get("/hulpvragen").status_code == 302
        client.post("/uitloggen")
        set_up(client, session, coordinator)
        login(client, coordinator)
        clock.freeze(frozen + timedelta(seconds=31))
        key = session.scalar(select(TwoStepKey).where(TwoStepKey.user_id == coordinator.id))
        secret = two_step._unseal(key)
        assert client.post("/inloggen/code", data={"code": totp(secret, clock.now().timestamp())}).status_code == 302
        assert client.get("/").status_code == 200
        # Staff cannot turn it off themselves.
        client.post("/mijn-gegevens/tweestaps/uitzetten")
        assert session.get(TwoStepKey, coordinator.id) is not None
    finally:
        app.config["TWO_STEP_FOR_STAFF"] = False


def test_others_may_turn_it_off(client, session, resident, frozen):
    set_up(client, session, resident)
    session.query(TwoStepKey).filter_by(user_id=resident.id).update({"last_step": 0})
    secret = two_step._unseal(session.get(TwoStepKey, resident.id))
    login(client, resident)
    clock.freeze(frozen + timedelta(seconds=31))
    client.post("/inloggen/code", data={"code": totp(secret, clock.now().timestamp())})
    assert client.post("/mijn-gegevens/tweestaps/uitzetten").status_code == 302
    assert session.get(TwoStepKey, resident.id) is None
    client.post("/uitloggen")
    assert login(client, resident).headers["Location"].endswith("/")


def test_the_admin_clears_it_for_a_lost_phone(app, client, client_as, session, make, village, other_village,
                                              resident, admin, coordinator, frozen):
    set_up(client, session, resident)
    login(client, resident)  # a login waiting for its code, and one open session below
    stranger = make.user(other_village, R.RESIDENT, first_name="Ver", last_name="Weg")
    make.user(other_village, R.ADMIN)
    session.flush()
    assert client_as(coordinator).post(f"/mensen/{resident.id}/tweestaps-wissen").status_code == 403
    assert client_as(admin).post(f"/mensen/{stranger.id}/tweestaps-wissen").status_code == 404
    assert session.get(TwoStepKey, resident.id) is not None
    page = client_as(admin).get(f"/mensen/{resident.id}")
    assert "Tweestapsverificatie wissen" in page.text
    assert client_as(admin).post(f"/mensen/{resident.id}/tweestaps-wissen").status_code == 302
    assert session.get(TwoStepKey, resident.id) is None
    assert session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == resident.id)).all() == []
    assert all(row.ended_at is not None for row in session.scalars(
        select(UserSession).where(UserSession.user_id == resident.id)))
    assert session.scalar(select(AuditLog).where(AuditLog.action == "two_step.off", AuditLog.actor_id == admin.id))


def test_a_changed_secret_key_asks_to_set_it_up_again(app, client, session, resident, frozen):
    secret, _codes = set_up(client, session, resident)
    key = session.get(TwoStepKey, resident.id)
    saved = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "another-secret-key-of-enough-length-0123"
    try:
        with app.test_request_context():
            assert two_step._unseal(key) is None
    finally:
        app.config["SECRET_KEY"] = saved
    with app.test_request_context():
        assert two_step._unseal(key) == secret
