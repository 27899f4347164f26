"""gunicorn settings (`gunicorn -c python:coop.ops.gunicorn_conf coop.wsgi:app`).

Sync workers: every request is short and holds one database connection; the scheduler runs
as its own process, never inside a worker. Each value can be set from the environment.
"""
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak never grows into an outage.
max_requests = 2000
max_requests_jitter = 200
# The app is built once in the master and each worker is a fork of it: a recycled worker
# answers within milliseconds instead of importing everything again (about a second in which
# the requests queued behind it wait), and the workers share the app's memory.
preload_app = True
# coop logs each request itself (coop.ops.logs); gunicorn logs only its own events.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
# The app applies PROXY_HOPS itself (werkzeug's ProxyFix); gunicorn trusts no forwarded header.
forwarded_allow_ips = ""


def post_worker_init(worker):
    """A forked worker must not share the master's database connections (there should be none;
    this makes sure): each worker opens its own."""
    from coop.extensions import db
    with worker.wsgi.app_context():  # the app gunicorn loaded in the master (preload_app)
        db.engine.dispose(close=False)
