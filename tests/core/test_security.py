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
