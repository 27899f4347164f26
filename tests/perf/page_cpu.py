"""The CPU time and the statements of each load-test page in one process (no gunicorn, no wrk):
the figure that stays put when the machine is shared, where req/s do not.

Run: python -m tests.perf.page_cpu [--views 50] [--villages 2] [--db URL]
Seeds the load test's data at the load test's density per village (500 helpers, 5,000
requests) on a throwaway PostgreSQL unless --db names a seeded one (then pass --ids JSON).
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import time

from tests.perf.load import PASSWORD, TWO_STEP_SECRET, pages, seed


def _second_step(client, email: str) -> None:
    """The authenticator code; a code counts once, so a second login in the same 30 s waits
    for the next one."""
    import pyotp
    for _ in range(2):
        page = client.get("/inloggen/code").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        answer = client.post("/inloggen/code", data={"csrf_token": token, "code": pyotp.TOTP(TWO_STEP_SECRET).now()})
        if answer.status_code in (302, 303) and not answer.headers["Location"].endswith("/inloggen/code"):
            return
        time.sleep(31 - time.time() % 30)
    raise AssertionError(f"the code for {email} was refused")


def measure(url: str, ids: dict, views: int) -> dict[str, dict]:
    os.environ.update(COOP_ENV="production", SECRET_KEY="load-" + "x" * 40, DATABASE_URL=url,
                      BASE_URL="http://127.0.0.1", MAIL_BACKEND="console", LOGIN_FREE_FAILURES="1000",
                      LOGIN_FREE_FAILURES_PER_ADDRESS="1000", STATIC_COLLECTED="0")
    import logging

    from sqlalchemy import event

    from coop import create_app
    from coop.extensions import db
    app = create_app({})
    logging.getLogger("coop.requests").disabled = True  # the request log line is not the page's cost

    def client_for(email: str | None):
        client = app.test_client()
        if email:
            page = client.get("/inloggen").get_data(as_text=True)
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
            data = {"email": email, "password": PASSWORD, **({"csrf_token": token.group(1)} if token else {})}
            answer = client.post("/inloggen", data=data)
            assert answer.status_code in (302, 303), f"login as {email} failed"
            if answer.headers["Location"].endswith("/inloggen/code"):  # staff: the code from the app
                _second_step(client, email)
        return client
    clients = {who: client_for(ids.get(who)) for who in (None, "coordinator", "resident")}
    statements = [0]
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.__setitem__(0, statements[0] + 1))
    out = {}
    for name, (path, who) in pages(ids).items():
        client = clients[who]
        for _ in range(5):  # warm: templates compiled, caches filled, as in a running worker
            assert client.get(path).status_code == 200, (name, path)
        statements[0] = 0
        client.get(path)
        count = statements[0]
        started = time.process_time()
        for _ in range(views):
            client.get(path)
        out[name] = {"cpu_ms": round((time.process_time() - started) / views * 1000, 2), "statements": count}
        print(name, json.dumps(out[name]), flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--views", type=int, default=50)
    parser.add_argument("--villages", type=int, default=2)
    parser.add_argument("--db", default=None, help="a seeded PostgreSQL URL (with --ids)")
    parser.add_argument("--ids", default=None, help='JSON of the seed: {"coordinator", "resident", "request_id"}')
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        if args.db:
            url, ids = args.db, json.loads(args.ids)
        else:
            from tests.support.postgres import TemporaryPostgres
            url = stack.enter_context(TemporaryPostgres()).create_database("coop_page_cpu")
            ids = seed(url, args.villages, 500 * args.villages, 5000 * args.villages)
        measure(url, ids, args.views)


if __name__ == "__main__":
    main()
