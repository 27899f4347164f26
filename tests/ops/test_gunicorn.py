"""gunicorn with the repository's settings (coop/ops/gunicorn_conf.py) serves the app, and a worker
recycled after max_requests is replaced without an error or a lost request."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.status, answer.headers.get("X-Request-ID", "")


def test_gunicorn_serves_and_replaces_a_recycled_worker(tmp_path):
    port = _free_port()
    env = {**os.environ, "COOP_ENV": "production", "SECRET_KEY": "g" * 40,
           "DATABASE_URL": f"sqlite:///{tmp_path / 'coop.db'}", "BASE_URL": f"http://127.0.0.1:{port}",
           "MAIL_BACKEND": "console", "WEB_CONCURRENCY": "2", "BIND": f"127.0.0.1:{port}"}
    for command in (["db", "upgrade"], ["collect-static"]):  # as `make serve` does first
        subprocess.run([str(BIN / "flask"), "--app", "coop", *command], cwd=ROOT, env=env, check=True,
                       capture_output=True)
    log = tmp_path / "gunicorn.log"
    # A small max_requests, so that workers are recycled while the test runs.
    with open(log, "w") as out:
        server = subprocess.Popen([str(BIN / "gunicorn"), "-c", "python:coop.ops.gunicorn_conf",
                                   "--max-requests", "15", "--max-requests-jitter", "0", "coop.wsgi:app"],
                                  cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            assert server.poll() is None, log.read_text()
            try:
                _get(base + "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda path: _get(base + path)[0], ["/inloggen", "/healthz"] * 40))
        assert answers == [200] * 80
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    text = log.read_text()
    assert "Traceback" not in text and "Worker failed to boot" not in text, text
    assert text.count("Booting worker") >= 4, text  # the two first workers, and recycled ones after them
    assert "max requests" in text.lower() or "Autorestarting worker" in text, text



def test_a_reload_starts_workers_with_the_new_release():
    """A preloaded app would fork every new worker from the master's copy of the old code, and
    `systemctl reload coop-web` would then keep serving the old release."""
    from coop.ops import gunicorn_conf
    assert not getattr(gunicorn_conf, "preload_app", False)


def test_workers_are_recycled_only_when_asked():
    """A recycled worker is a second of queued requests (and with two workers under an even load
    both went at once); their memory stays flat, so by default they are not recycled."""
    import importlib

    from coop.ops import gunicorn_conf
    saved = os.environ.pop("MAX_REQUESTS", None)
    try:
        conf = importlib.reload(gunicorn_conf)
        assert (conf.max_requests, conf.max_requests_jitter) == (0, 0)
        os.environ["MAX_REQUESTS"] = "10000"
        conf = importlib.reload(gunicorn_conf)
        assert (conf.max_requests, conf.max_requests_jitter) == (10000, 5000)
    finally:
        os.environ.pop("MAX_REQUESTS", None)
        if saved is not None:
            os.environ["MAX_REQUESTS"] = saved
        importlib.reload(gunicorn_conf)


def test_a_worker_freezes_what_it_imported_and_collects_the_young_less_often():
    """post_worker_init, in a process of its own (freezing would change this test run's
    collector): the app's objects are frozen, and the young generation's threshold is raised."""
    probe = ("import gc, json; from coop import create_app; create_app({'TESTING': True}); "
             "from coop.ops import gunicorn_conf as conf; before = gc.get_threshold(); "
             "conf.post_worker_init(None); "
             "print(json.dumps([gc.get_freeze_count(), before, gc.get_threshold(), conf.YOUNG_GC]))")
    frozen, before, after, young = json.loads(subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True).stdout)
    assert frozen > 50_000  # the app's modules and objects, no longer walked by each full collection
    assert after == [young, *before[1:]] and young > before[0]
