"""`flask --app coop scheduler` as its own process: it sends, and stops cleanly on SIGTERM."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from coop.core import outbox as O
from coop.core import roles as R
from coop.extensions import db
from coop.respite import rules as respite_rules

ROOT = Path(__file__).resolve().parents[2]


def env_for(live, smtp_server):
    return {**os.environ, "DATABASE_URL": live.config["TEST_DATABASE_URL"], "SECRET_KEY": "cli-test",
            "MAIL_BACKEND": "smtp", "MAIL_HOST": "127.0.0.1", "MAIL_PORT": str(smtp_server.port),
            "SCHEDULER_TICK_SECONDS": "1"}


def test_scheduler_process_sends_and_stops_on_sigterm(live, live_make, smtp_server):
    village = live_make.village()
    carer = live_make.user(village, R.CARER)
    O.queue(respite_rules.CARER_CHECKIN, carer, payload={"round": 1})
    db.session.commit()

    proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "coop", "scheduler", "--tick", "1"],
                            cwd=ROOT, env=env_for(live, smtp_server),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while not smtp_server.to(carer.email) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(smtp_server.to(carer.email)) == 1
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, output
    assert "scheduler stopped" in output


def test_scheduler_once_runs_rules_and_dispatch(live, live_make, smtp_server):
    village = live_make.village()
    carer = live_make.user(village, R.CARER)
    O.queue(respite_rules.CARER_CHECKIN, carer, payload={"round": 1})
    db.session.commit()
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "coop", "scheduler", "--once"],
                            cwd=ROOT, env=env_for(live, smtp_server), capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert "'escalate_unmatched': 0" in result.stdout  # the rules ran
    [mail] = smtp_server.to(carer.email)
    assert mail["Subject"] == "Hoe gaat het met u als mantelzorger?"
