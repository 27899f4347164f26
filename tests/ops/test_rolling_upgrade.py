"""Zero-downtime migrations: the code of the release before the newest migration (version N)
still runs against the schema that migration makes (N+1).

During a rolling deploy the new migration runs first while the old workers still serve, so
every migration must be additive (docs/migrations.md). The test takes version N from git —
the parent of the commit that added the newest migration —, migrates a database with the code
of now, then lets version N build its demo village in that database (writing to every table
it knows) and open every page its coordinator reaches from the home page: no error.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

OLD_CODE_RUN = r'''
import json, re, sys
import coop
from coop import create_app
from coop.extensions import db
app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "SQLALCHEMY_DATABASE_URI": sys.argv[1],
                  "SECRET_KEY": "rolling-upgrade-" + "x" * 32, "MAIL_BACKEND": "console",
                  "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024})
with app.app_context():
    from coop import demo
    demo.build(echo=lambda *a, **k: None)
    db.session.remove()
client = app.test_client()
login = client.post("/inloggen", data={"email": "coordinator@austerlitz.demo", "password": "demo-wachtwoord"})
home = client.get("/")
links = sorted(set(re.findall(r'href="(/[^"#?]*)"', home.get_data(as_text=True))))
statuses = {"/inloggen (POST)": login.status_code, "/": home.status_code}
for link in links:
    if not link.startswith("/static/"):
        statuses[link] = client.get(link).status_code
print(json.dumps({"code": coop.__file__, "statuses": statuses}))
'''


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture(scope="module")
def previous_release():
    """The code as it was just before the newest migration, unpacked from git."""
    newest = sorted((ROOT / "migrations" / "versions").glob("[0-9]*.py"))[-1]
    # The mainline commit that brought the migration in (a merge, or a commit of its own; a file
    # renamed on the way counts as brought in there); its first parent is the release before.
    added_in = git("log", "--first-parent", "-m", "--diff-filter=AR", "--format=%H", "-1", "--",
                   str(newest.relative_to(ROOT)))
    assert added_in, f"git history must hold the commit that added {newest.name} (a shallow clone does not)"
    parent = git("rev-parse", f"{added_in}^1")
    with tempfile.TemporaryDirectory(prefix="coop-previous-") as tmp:
        archive = Path(tmp) / "previous.tar"
        subprocess.run(["git", "archive", "--format=tar", "-o", str(archive), parent, "coop", "templates",
                        "static", "migrations"], cwd=ROOT, check=True)
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="data")
        (Path(tmp) / "instance").mkdir()
        assert not (Path(tmp) / "migrations" / "versions" / newest.name).exists()
        yield Path(tmp)


def test_the_previous_release_runs_against_the_newest_schema(backend, database_factory, previous_release):
    url = database_factory(backend, f"rolling_{backend}")  # migrated to head by the code of now
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COOP_", "DATABASE_URL"))}
    env["PYTHONPATH"] = str(previous_release)
    result = subprocess.run([sys.executable, "-c", OLD_CODE_RUN, url], cwd=previous_release, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["code"].startswith(str(previous_release))  # the old code ran, not the code of now
    statuses = report["statuses"]
    assert statuses["/inloggen (POST)"] == 302 and statuses["/"] == 200
    assert len(statuses) > 8  # the coordinator's menu and home page were really walked
    failures = {page: code for page, code in statuses.items() if code >= 500}
    assert failures == {}
