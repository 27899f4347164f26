"""Two dispatcher processes on one outbox: every row is sent exactly once."""
from __future__ import annotations

import multiprocessing
import time
from collections import Counter

from sqlalchemy import func, select

from coop.core import outbox as O
from coop.core import roles as R
from coop.extensions import db
from coop.respite import rules as respite_rules
from tests.followups.workers import dispatch_worker

ROWS = 400


def test_two_dispatcher_processes_send_every_row_exactly_once(live, live_make, smtp_server):
    village = live_make.village()
    people = [live_make.user(village, R.CARER) for _ in range(20)]
    for n in range(ROWS):
        O.queue(respite_rules.CARER_CHECKIN, people[n % len(people)], payload={"round": n})
    db.session.commit()

    ctx = multiprocessing.get_context("spawn")
    url = live.config["TEST_DATABASE_URL"]
    results = ctx.Queue()
    start = time.time() + 4  # both processes are up and polling before the first round
    workers = [ctx.Process(target=dispatch_worker, args=(url, smtp_server.port, {"FOLLOWUP_BATCH": 15}),
                           kwargs={"results": results, "start_after": start})
               for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
        assert w.exitcode == 0

    handled = [results.get(timeout=5) for _ in workers]
    assert sum(handled) == ROWS and min(handled) > 0  # both took part
    seen = Counter(m["Message-ID"] for m in smtp_server.messages)
    assert len(seen) == ROWS
    assert max(seen.values()) == 1  # no duplicates
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(O.FollowUp)
                             .where(O.FollowUp.status == O.SENT)) == ROWS  # none lost
