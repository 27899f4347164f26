"""Many people at once against the app in real server processes (two, like two gunicorn
workers, each a multi-threaded WSGI server) on a SQLite file and on PostgreSQL.

Every response is below 500, every success is stored exactly once, and the volunteer who
loses a race for one request reads why, in Dutch.
"""
from __future__ import annotations

import itertools
import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select

from coop.core import roles as R
from coop.core.models import AuditLog
from coop.extensions import db
from coop.matching.models import ACCEPTED, WITHDRAWN, Proposal
from coop.requests.models import MATCHED, SEARCHING, HelpRequest
from tests.conftest import PASSWORD, Factory
from tests.followups.conftest import new_request
from tests.support.live_server import servers_and_app

THREADS = 8
_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def live(backend, database_factory):
    yield from servers_and_app(database_factory, backend, "txn_live")


@pytest.fixture
def servers(live):
    return live[0]


@pytest.fixture
def setup(live):
    """An app context on the live database and a Factory numbering on from earlier tests."""
    with live[1].app_context():
        factory = Factory(db.session)
        factory._n = next(_numbers) * 1000
        yield factory
        db.session.rollback()


def committed(fn):
    """Make things and commit them, so the servers see them; returns what fn returned."""
    result = fn()
    db.session.commit()
    return result


class Browser:
    """One person's browser: a cookie jar, on one of the server processes."""

    def __init__(self, base: str):
        self.base = base
        self.http = requests.Session()

    def get(self, path: str) -> requests.Response:
        return self.http.get(self.base + path, allow_redirects=False, timeout=60)

    def post(self, path: str, data: dict | None = None) -> requests.Response:
        return self.http.post(self.base + path, data=data or {}, allow_redirects=False, timeout=60)

    def login(self, email: str) -> requests.Response:
        return self.post("/inloggen", {"email": email, "password": PASSWORD})


def browsers(servers, users) -> list[Browser]:
    """A browser per user, spread over the server processes, each logged in (one by one)."""
    out = []
    for n, user in enumerate(users):
        browser = Browser(servers.urls[n % len(servers.urls)])
        assert browser.login(user.email).status_code == 302
        out.append(browser)
    return out


def at_once(jobs, threads: int = THREADS) -> list:
    """Run the callables in a pool of `threads`; the first ones wait for each other at a
    barrier, so they start together, and the rest follow as threads come free."""
    parties = min(threads, len(jobs))
    barrier = threading.Barrier(parties)

    def go(numbered):
        n, job = numbered
        if n < parties:
            barrier.wait(timeout=30)
        return job()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(go, enumerate(jobs)))


def no_server_errors(responses, servers) -> None:
    """No response of 500 or more; then the checks read what is committed now."""
    codes = Counter(r.status_code for r in responses)
    failed = [r for r in responses if r.status_code >= 500]
    assert not failed, f"{codes}; first failure:\n{failed[0].text[:600]}\n{servers.log()[-4000:]}"
    db.session.rollback()  # a SQLite read transaction keeps the snapshot it started with


def request_form(village, token: str, description: str) -> dict:
    from coop.core.models import TaskCategory
    category = db.session.scalar(select(TaskCategory.id).where(TaskCategory.village_id == village.id,
                                                               TaskCategory.code == "boodschappen"))
    return {"form_token": token, "category_id": str(category), "description": description, "when": "flexible",
            "recurrence": "once", "urgency": "no_rush", "own_address": "yes"}


def test_eight_residents_posting_ten_requests_each_store_every_one_once(servers, setup):
    village = committed(setup.village)
    residents = committed(lambda: [setup.user(village, R.RESIDENT) for _ in range(THREADS)])
    forms = {r.id: [request_form(village, f"token-{village.id}-{r.id}-{i:02d}-padding", f"Boodschappen {r.id}/{i}")
                    for i in range(10)] for r in residents}
    people = browsers(servers, residents)

    def post_all(browser, batch):
        return lambda: [browser.post("/hulp-vragen", form) for form in batch]
    responses = [r for batch in at_once([post_all(b, forms[u.id]) for b, u in zip(people, residents, strict=True)])
                 for r in batch]

    no_server_errors(responses, servers)
    assert all(r.status_code == 302 and "/verstuurd" in r.headers["Location"] for r in responses)
    stored = Counter(db.session.scalars(select(HelpRequest.description).where(HelpRequest.village_id == village.id)))
    assert stored == Counter(f["description"] for batch in forms.values() for f in batch)  # each exactly once


def test_twenty_logins_at_once_all_succeed_and_are_recorded(servers, setup):
    village = committed(setup.village)
    people = committed(lambda: [setup.user(village, R.RESIDENT) for _ in range(20)])
    emails = [p.email for p in people]
    clients = [Browser(servers.urls[n % 2]) for n in range(20)]
    responses = at_once([lambda c=c, e=e: c.login(e) for c, e in zip(clients, emails, strict=True)], threads=20)

    no_server_errors(responses, servers)
    assert [r.status_code for r in responses] == [302] * 20
    assert all(c.get("/").status_code == 200 and "Uitloggen" in c.get("/").text for c in clients)
    assert db.session.scalar(select(func.count()).select_from(AuditLog).where(
        AuditLog.action == "login", AuditLog.village_id == village.id)) == 20


def test_two_volunteers_accepting_one_request_one_wins_the_other_reads_why(servers, setup):
    village = committed(setup.village)
    coordinator = committed(lambda: setup.user(village, R.COORDINATOR))
    rounds = []
    for _ in range(4):  # a few races, so the timing varies
        resident = setup.user(village, R.RESIDENT)
        req = new_request(db.session, village, resident, status=SEARCHING)
        pair = [setup.volunteer(village) for _ in range(2)]
        proposals = [Proposal(village_id=village.id, help_request=req, helper=v, resident_id=resident.id,
                              proposed_by_id=coordinator.id) for v in pair]
        db.session.add_all(proposals)
        rounds.append((req, pair, proposals))
    db.session.commit()

    for req, pair, proposals in rounds:
        helpers = browsers(servers, pair)
        paths = [f"/voorstellen/{p.id}/accepteren" for p in proposals]
        responses = at_once([lambda b=b, path=path: b.post(path) for b, path in zip(helpers, paths, strict=True)],
                            threads=2)
        no_server_errors(responses, servers)
        assert sorted(r.status_code for r in responses) == [302, 422]
        loser = next(r for r in responses if r.status_code == 422)
        assert "Deze hulpvraag heeft al een helper gevonden" in loser.text
        assert db.session.get(HelpRequest, req.id).status == MATCHED
        assert Counter(db.session.get(Proposal, p.id).status for p in proposals) == {ACCEPTED: 1, WITHDRAWN: 1}


def test_two_hundred_looks_at_a_request_page_are_each_logged(servers, setup):
    village = committed(setup.village)
    coordinators = committed(lambda: [setup.user(village, R.COORDINATOR) for _ in range(4)])
    resident = setup.user(village, R.RESIDENT)
    req = committed(lambda: new_request(db.session, village, resident))
    people = browsers(servers, coordinators)
    path = f"/hulpvragen/{req.id}"
    responses = at_once([lambda b=people[n % 4]: b.get(path) for n in range(200)])

    no_server_errors(responses, servers)
    assert [r.status_code for r in responses] == [200] * 200
    assert db.session.scalar(select(func.count()).select_from(AuditLog).where(
        AuditLog.action == "request.viewed", AuditLog.detail == f"hulpvraag {req.id}")) == 200


def test_everything_at_once(servers, setup):
    """Posts, logins, an accept race and looks at a request page, all in one storm."""
    village = committed(setup.village)
    coordinator = setup.user(village, R.COORDINATOR)
    residents = [setup.user(village, R.RESIDENT) for _ in range(4)]
    newcomers = [setup.user(village, R.RESIDENT) for _ in range(6)]
    req = new_request(db.session, village, residents[0], status=SEARCHING)
    pair = [setup.volunteer(village) for _ in range(2)]
    proposals = [Proposal(village_id=village.id, help_request=req, helper=v, resident_id=residents[0].id,
                          proposed_by_id=coordinator.id) for v in pair]
    db.session.add_all(proposals)
    db.session.commit()
    posters = browsers(servers, residents)
    staff = browsers(servers, [coordinator])[0]
    helpers = browsers(servers, pair)
    forms = [request_form(village, f"storm-{village.id}-{n:03d}-padding", f"Storm {village.id}/{n}")
             for n in range(20)]
    page, accepts = f"/hulpvragen/{req.id}", [f"/voorstellen/{p.id}/accepteren" for p in proposals]
    jobs = [lambda n=n: posters[n % 4].post("/hulp-vragen", forms[n]) for n in range(20)]
    jobs += [lambda n=n, e=p.email: Browser(servers.urls[n % 2]).login(e) for n, p in enumerate(newcomers)]
    jobs += [lambda b=b, path=path: b.post(path) for b, path in zip(helpers, accepts, strict=True)]
    jobs += [lambda: staff.get(page) for _ in range(30)]
    jobs = [jobs[i] for i in sorted(range(len(jobs)), key=lambda i: (i * 7919) % len(jobs))]  # mixed up

    responses = at_once(jobs)
    no_server_errors(responses, servers)
    assert db.session.scalar(select(func.count()).select_from(HelpRequest).where(
        HelpRequest.description.like(f"Storm {village.id}/%"))) == 20
    assert db.session.scalar(select(func.count()).select_from(Proposal).where(
        Proposal.request_id == req.id, Proposal.status == ACCEPTED)) == 1
    assert db.session.scalar(select(func.count()).select_from(AuditLog).where(
        AuditLog.action == "request.viewed", AuditLog.detail == f"hulpvraag {req.id}")) == 30
    assert sum("Deze hulpvraag heeft al een helper gevonden" in r.text for r in responses) == 1


def test_five_identical_create_posts_at_once_give_no_server_error(servers, setup):
    village = committed(setup.village)
    resident = committed(lambda: setup.user(village, R.RESIDENT))
    (browser,) = browsers(servers, [resident])
    page = browser.get("/hulp-vragen").text
    token = re.search(r'name="form_token" type="hidden" value="([^"]+)"', page).group(1)
    form = request_form(village, token, "Wie haalt mijn medicijnen op?")
    twins = [Browser(servers.urls[n % 2]) for n in range(5)]
    for twin in twins:
        twin.http.cookies.update(browser.http.cookies)  # the same browser, five clicks

    responses = at_once([lambda t=t: t.post("/hulp-vragen", form) for t in twins], threads=5)
    no_server_errors(responses, servers)
    assert all(r.status_code == 302 for r in responses)
    assert db.session.scalar(select(func.count()).select_from(HelpRequest).where(
        HelpRequest.form_token == token)) == 1
