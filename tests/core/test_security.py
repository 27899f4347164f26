"""Headers, cookies, CSRF: point 9 of the foundation."""
import re

import pytest

from tests.conftest import PASSWORD


def test_content_security_policy_forbids_inline_script(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    script = re.search(r"script-src ([^;]*)", csp).group(1)
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp


def test_pages_carry_no_inline_script(client):
    html = client.get("/inloggen").text
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag, tag
    assert not re.search(r"\son[a-z]+=", html)


def test_protective_headers(client):
    headers = client.get("/").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_httponly_and_samesite_lax(client, coordinator):
    response = client.post("/inloggen", data={"email": coordinator.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http on loopback


def test_session_cookie_is_secure_over_https(client, coordinator):
    response = client.post("/inloggen", data={"email": coordinator.email, "password": PASSWORD},
                           base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" in response.headers


@pytest.fixture
def csrf_client(app, session):
    app.config["WTF_CSRF_ENABLED"] = True
    yield app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False


def test_forms_refuse_a_post_without_csrf_token(csrf_client, coordinator):
    response = csrf_client.post("/inloggen", data={"email": coordinator.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Het formulier was verlopen" in response.text


def test_forms_accept_a_post_with_the_csrf_token(csrf_client, coordinator):
    page = csrf_client.get("/inloggen").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = csrf_client.post("/inloggen", data={"email": coordinator.email, "password": PASSWORD,
                                                   "csrf_token": token})
    assert response.status_code == 302


def test_secret_key_is_generated_once_into_instance(tmp_path, monkeypatch):
    from coop.config import secret_key
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = secret_key(tmp_path)
    assert len(first) >= 40
    assert secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_database_url_defaults_to_sqlite_in_instance(monkeypatch, tmp_path):
    from coop.config import from_env
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    assert from_env(tmp_path)["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'coop.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    assert from_env(tmp_path)["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_staff_reading_a_person_is_written_to_the_audit_log(client_as, session, coordinator, resident):
    from sqlalchemy import select

    from coop.core.models import AuditLog
    client_as(coordinator).get(f"/mensen/{resident.id}")
    row = session.scalar(select(AuditLog).where(AuditLog.action == "person.viewed"))
    assert row.actor_id == coordinator.id and row.subject_user_id == resident.id


# --- caching and headers on every response --------------------------------------------------

SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy")


def test_every_response_to_a_logged_in_user_is_no_store(client_as, coordinator):
    client = client_as(coordinator)
    for url in ("/", "/mensen", "/mijn-gegevens", "/respijt/uren/overzicht.csv?maand=2026-03"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
    csv = client.get("/respijt/uren/overzicht.csv?maand=2026-03")
    assert csv.mimetype == "text/csv"


def test_a_calendar_feed_is_no_store_without_a_login(client, session, volunteer):
    from coop.respite import calendar
    token = calendar.create_feed(volunteer)
    response = client.get(f"/agenda/{token}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_keep_their_own_caching(client_as, coordinator):
    response = client_as(coordinator).get("/static/js/coop.js")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_error_pages_carry_the_security_headers(client, client_as, resident):
    responses = [client.get("/bestaat-niet"), client.get("/uitloggen"),  # 404, 405
                 client_as(resident).get("/mensen")]  # 403
    assert [r.status_code for r in responses] == [404, 405, 403]
    for response in responses:
        for header in SECURITY_HEADERS:
            assert header in response.headers, (response.status_code, header)
    assert responses[2].headers["Cache-Control"] == "no-store"


def test_a_500_raised_deep_in_a_view_carries_the_security_headers(app):
    from coop import create_app
    from coop.core.guard import public

    def service_that_breaks():
        return {}["a key that is not there"]

    @public
    def broken():
        return service_that_breaks()
    other = create_app({**app.config, "PROPAGATE_EXCEPTIONS": False})
    other.add_url_rule("/kapot", "kapot", broken)
    response = other.test_client().get("/kapot", base_url="https://localhost")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.text
    for header in SECURITY_HEADERS:
        assert header in response.headers, header
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_hsts_behind_a_proxy_comes_from_x_forwarded_proto_only_with_proxy_hops(app):
    from coop import create_app
    direct = create_app(dict(app.config)).test_client()
    assert "Strict-Transport-Security" not in direct.get("/inloggen", headers={"X-Forwarded-Proto": "https"}).headers
    behind = create_app({**app.config, "PROXY_HOPS": 1}).test_client()
    assert "Strict-Transport-Security" not in behind.get("/inloggen").headers
    response = behind.get("/inloggen", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
