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
# Recycle workers now and then so that a slow leak never grows into an outage; not often, as a
# new worker takes about a second to import the app (at 2,000 a worker under load was recycled
# every few seconds). Only when other workers serve meanwhile: a lone worker recycled is an
# outage of that second, and every request queued waits it out (the load test's 1-worker runs
# had 8 connections time out each time).
max_requests = int(os.environ.get("MAX_REQUESTS", "10000" if workers > 1 else "0"))
max_requests_jitter = max_requests // 10
# Not preload_app: each worker imports the app itself, so that a reload (HUP, `systemctl reload
# coop-web`) starts workers with the new release while the old ones finish (docs/migrations.md).
# A preloaded app would fork every new worker from the master's copy of the old code.
# coop logs each request itself (coop.ops.logs); gunicorn logs only its own events.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
# The app applies PROXY_HOPS itself (werkzeug's ProxyFix); gunicorn trusts no forwarded header.
forwarded_allow_ips = ""
