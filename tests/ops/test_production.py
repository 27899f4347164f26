"""Production mode: a wrong configuration stops the start; static files go out compressed,
under content-hashed names, cached for a year; each request is one JSON log line."""
from __future__ import annotations

import gzip
import json
import logging

import pytest

from coop import create_app
from coop.config import ConfigError, from_env
from coop.ops import static
from tests.conftest import TEST_CONFIG

GOOD = {"SECRET_KEY": "k" * 40, "DATABASE_URL": "postgresql://coop@db/coop", "BASE_URL": "https://zorg.example.nl"}


@pytest.mark.parametrize("missing", sorted(GOOD))
def test_production_refuses_to_start_without_each_required_setting(monkeypatch, tmp_path, missing):
    monkeypatch.setenv("COOP_ENV", "production")
    for name, value in GOOD.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv(missing)
    with pytest.raises(ConfigError, match=missing):
        from_env(tmp_path)
    assert not (tmp_path / "secret_key").exists()  # no key was generated behind the operator's back


def test_production_refuses_a_short_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("COOP_ENV", "production")
    for name, value in GOOD.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SECRET_KEY", "kort")
    with pytest.raises(ConfigError, match="32 characters"):
        from_env(tmp_path)


def test_production_with_every_setting_starts(monkeypatch, tmp_path):
    monkeypatch.setenv("COOP_ENV", "production")
    for name, value in GOOD.items():
        monkeypatch.setenv(name, value)
    config = from_env(tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://coop@db/coop"
    assert config["STATIC_COLLECTED"] and config["LOG_JSON"]


def test_a_number_setting_that_is_no_number_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("FOLLOWUP_BATCH", "veel")
    with pytest.raises(ConfigError, match="FOLLOWUP_BATCH"):
        from_env(tmp_path)


def test_dispatcher_settings_and_mail_domain_come_from_config(monkeypatch, tmp_path):
    monkeypatch.setenv("FOLLOWUP_MARK_EVERY", "1")
    monkeypatch.setenv("MAIL_DOMAIN", "zorg.example.nl")
    config = from_env(tmp_path)
    assert config["FOLLOWUP_MARK_EVERY"] == 1 and config["MAIL_DOMAIN"] == "zorg.example.nl"


def test_static_files_are_hashed_compressed_and_cached_for_a_year(app, tmp_path, monkeypatch):
    manifest = static.collect(static.Path(app.static_folder), tmp_path / "static")
    hashed = manifest["css/coop.css"]
    assert hashed.startswith("css/coop.") and hashed.endswith(".css") and hashed != "css/coop.css"
    monkeypatch.setattr(static, "collected_dir", lambda _app: tmp_path / "static")
    production = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                             "STATIC_COLLECTED": True})
    with production.test_request_context():
        from flask import url_for
        assert url_for("static", filename="css/coop.css") == f"/static/{hashed}"
    client = production.test_client()
    response = client.get(f"/static/{hashed}", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    max_age = int(response.headers["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert max_age >= 365 * 24 * 3600
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    original = (static.Path(app.static_folder) / "css/coop.css").read_bytes()
    assert gzip.decompress(response.data) == original
    assert len(response.data) < len(original) / 3
    # the page links the hashed name
    page = client.get("/")
    assert f"/static/{hashed}".encode() in page.data
    # an unhashed name still works, with a short cache, for files a stylesheet links itself
    plain = client.get("/static/css/coop.css")
    assert plain.status_code == 200 and "immutable" not in plain.headers.get("Cache-Control", "")


def test_collected_mode_without_collected_files_refuses_to_start(app, tmp_path, monkeypatch):
    monkeypatch.setattr(static, "collected_dir", lambda _app: tmp_path / "nothing")
    with pytest.raises(RuntimeError, match="collect-static"):
        create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                    "STATIC_COLLECTED": True})


def test_each_request_is_one_json_line_without_personal_data(client_as, make, village, caplog):
    from coop.core import roles as R
    from coop.ops.logs import JSONFormatter
    coordinator = make.user(village, R.COORDINATOR, first_name="Marieke", last_name="Jansen")
    browser = client_as(coordinator)
    with caplog.at_level(logging.INFO, logger="coop.requests"):
        response = browser.get("/", headers={"X-Request-ID": "proxy-req-12345"})
    assert response.headers["X-Request-ID"] == "proxy-req-12345"
    [record] = [r for r in caplog.records if r.name == "coop.requests"]
    line = json.loads(JSONFormatter().format(record))
    assert line["request_id"] == "proxy-req-12345"
    assert line["user_id"] == coordinator.id
    assert line["route"] == "/" and line["status"] == 200 and line["method"] == "GET"
    assert line["queries"] >= 1 and line["duration_ms"] >= 0
    text = json.dumps(line)
    for personal in ("Marieke", "Jansen", coordinator.email, coordinator.phone):
        assert personal not in text


def test_a_malformed_request_id_is_replaced(client):
    response = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert response.headers["X-Request-ID"] != "<script>"
    assert len(response.headers["X-Request-ID"]) == 32


def test_the_error_page_shows_the_request_id(client):
    response = client.get("/bestaat-niet", headers={"X-Request-ID": "quote-me-123456"})
    assert response.status_code == 404
    assert b"quote-me-123456" in response.data


def test_scheduler_jobs_log_json_lines(backend, database_factory):
    import subprocess
    import sys
    from pathlib import Path
    url = database_factory(backend, f"ops_joblog_{backend}")
    env = {"DATABASE_URL": url, "SECRET_KEY": "x" * 40, "LOG_JSON": "1", "PATH": "/usr/bin:/bin",
           "MAIL_BACKEND": "console"}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "coop", "scheduler", "--once"],
                            cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    jobs = {line["job"]: line for line in lines if line.get("message") == "job"}
    assert set(jobs) == {"rules", "dispatch"}
    assert jobs["dispatch"]["status"] == "ok" and jobs["dispatch"]["duration_ms"] >= 0
