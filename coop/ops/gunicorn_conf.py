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
# Workers are not recycled unless MAX_REQUESTS asks for it. A new worker takes about a second
# to import the app, and the requests queued meanwhile wait that long: with one worker every
# recycling was an outage, and with two, both reached the limit at about the same moment under
# an even load (the load test's login page had 8 connections time out). A worker's memory stays
# flat (163 MB after 3,400 and after 21,000 requests of every load-test page, BENCHMARKS.md), so
# there is no leak to bound; a worker that dies is replaced by the master anyway. When set, the
# jitter spreads the workers' limits over half of it, so that they seldom go together.
max_requests = int(os.environ.get("MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 2
# Not preload_app: each worker imports the app itself, so that a reload (HUP, `systemctl reload
# coop-web`) starts workers with the new release while the old ones finish (docs/migrations.md).
# A preloaded app would fork every new worker from the master's copy of the old code.
# coop logs each request itself (coop.ops.logs); gunicorn logs only its own events.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
# The app applies PROXY_HOPS itself (werkzeug's ProxyFix); gunicorn trusts no forwarded header.
forwarded_allow_ips = ""


# The young generation is collected every YOUNG_GC allocations, not every 700: a matching page
# makes a few thousand objects, and each collection walked those the request still held.
YOUNG_GC = 10_000


def post_worker_init(worker):
    """Once the worker has imported the app, the objects made so far (modules, the app, the
    mappers, the templates, the locale data: about 226,000) live as long as the worker does:
    they are frozen out of the garbage collector's sight. Without this every full collection
    walked all of them, and together with the young collections the collector took about 1 ms
    of a matching page's 20 (BENCHMARKS.md)."""
    import gc
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_GC, *gc.get_threshold()[1:])
