"""Hostile text typed into every free-text field comes back escaped everywhere it is shown.

Each create form of forms_world.py (and the forms that edit free text) is posted through the
app with one field at a time set to markup, a script, a `javascript:` URL and a template
expression. Then every role walks the pages it can reach from its home, the print views, the
map, the CSV downloads and the messages in the outbox, and none of them carries the markup as
markup, a `javascript:` link, an evaluated template or a cell a spreadsheet would run.
"""
from __future__ import annotations

import csv
import io
import re
from urllib.parse import urldefrag, urlsplit

import pytest
from markupsafe import escape
from sqlalchemy import select

from coop.core import outbox as O
from coop.extensions import db
from tests.conftest import Factory, login_client
from tests.core.attack_world import shared_session
from tests.core.forms_world import build_world, create_cases, token

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{7*7}}"
LINK = "javascript:alert(1)"
ALL = f"{LINK}//{SCRIPT}{IMG}{TEMPLATE}"
FORMULA = '=HYPERLINK("https://evil.example","klik")'
# Tried in this order until the field takes one (a short field may refuse the long one).
PAYLOADS = (ALL, f"{SCRIPT}{TEMPLATE}", IMG, SCRIPT, LINK, TEMPLATE)
RAW = ("<script>alert", "<img src=x", "onerror=alert(1)>")
JS_URL = re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I)
LINKS = re.compile(r'href="(/[^"]*)"')
FREE_TEXT = {"first_name", "last_name", "street", "house_number", "description", "text", "title", "domain", "name",
             "note", "cooperative_name", "new_municipality", "coordinator_first_name", "coordinator_last_name"}

# Forms that change free text of a row that is there already: persona, url, data.
EDITS = [
    ("carer", lambda w: "/mijn-respijt/wat-te-weten", {"routines": "", "what_calms": "", "who_to_call": ""}),
    ("volunteer", lambda w: "/mijn-vrijwilligerswerk",
     {"radius_km": "5", "max_hours_month": "10", "preferences": "", "categories": ""}),
    ("coordinator", lambda w: f"/afspraken/{w.agreement.id}/gegevens",
     {"title": "Wie doet wat", "starts_on": "2026-01-01", "ends_on": "2026-12-31", "review_on": "2026-07-01",
      "cooperative_contact": "", "municipality_contact": ""}),
    ("coordinator", lambda w: f"/hulpvragen/{w.referable.id}/doorverwijzen",
     {"referred_to": "", "referral_reason": ""}),
    ("volunteer", lambda w: f"/voorstellen/{w.proposal.id}/afwijzen", {"reason": ""}),
]


def _free_text_keys(data: dict) -> list[str]:
    return [k for k in data if k.rsplit("-", 1)[-1] in FREE_TEXT]


def _enter(app, world) -> list[str]:
    """Post the payloads; the fields that took one, as "case: field"."""
    taken = []
    for case in create_cases():
        user = world.role(case.role)
        for key in _free_text_keys(case.data(world)):
            for payload in PAYLOADS:
                client = app.test_client() if user is None else login_client(app, user)
                data = {**case.data(world), key: payload, case.token_field: token()}
                if case.name == "sign-up":
                    data["email"] = f"{token()[:8].lower()}@example.nl"
                if case.name == "village":
                    data["slug"] = f"dorp-{token()[:6].lower()}"
                    data["coordinator_email"] = f"{token()[:8].lower()}@example.nl"
                before = db.session.scalar(case.counts())
                client.post(case.url(world), data=data)
                if db.session.scalar(case.counts()) > before:
                    taken.append(f"{case.name}: {key}")
                    break
    for persona, url, base in EDITS:
        user = world.role(persona)
        for key in [k for k, v in base.items() if v == "" and k not in ("referred_to", "categories")]:
            for payload in PAYLOADS:
                data = dict(base)
                if "referred_to" in data:
                    data["referred_to"] = str(world.destination.id)
                data[key] = payload
                response = login_client(app, user).post(url(world), data=data)
                if response.status_code == 302:
                    taken.append(f"{url(world)}: {key}")
                    break
    return taken


@pytest.fixture(scope="module")
def hostile(app):
    with shared_session(app):
        world = build_world(db.session, Factory(db.session))
        taken = _enter(app, world)
        db.session.commit()
        yield world, taken


def _crawl(client, start: list[str], limit: int = 150) -> dict[str, object]:
    seen: dict[str, object] = {}
    queue = list(start)
    per_path: dict[str, int] = {}
    while queue and len(seen) < limit:
        url = urldefrag(queue.pop(0))[0]
        path = urlsplit(url).path
        if url in seen or path.startswith("/static") or per_path.get(path, 0) >= 2:
            continue
        per_path[path] = per_path.get(path, 0) + 1
        response = client.get(url)
        seen[url] = response
        if response.mimetype == "text/html":
            queue += [link.replace("&amp;", "&") for link in LINKS.findall(response.get_data(as_text=True))]
    return seen


EXTRA = {
    "coordinator": lambda w: [
        "/kaart", "/kaart/punten", f"/hulpvragen/{w.searching.id}/koppelen", "/respijt/rooster-afdrukken",
        f"/afspraken/{w.agreement.id}/versie/1/afdrukken", "/respijt/uren/overzicht?maand=2026-03",
        "/respijt/uren/overzicht.csv?maand=2026-03", f"/cijfers/dorp/{w.village.id}/verwijzingen.csv",
        f"/cijfers/dorp/{w.village.id}/categorie.csv", f"/mensen/{w.resident.id}", f"/respijt/keren/{w.shift.id}",
        f"/respijt/mantelzorgers/{w.carer.id}"],
    "admin": lambda w: ["/beheer/logboek", "/beheer/logboek.csv", "/mensen"],
    "gemeente": lambda w: ["/cijfers/gemeente", "/cijfers/gemeente/gemeente_maand.csv",
                           f"/afspraken/{w.agreement.id}"],
}
PERSONAS = ("coordinator", "admin", "resident", "carer", "volunteer", "professional", "gemeente", "platform")


def _problems_in(url: str, response) -> list[str]:
    body = response.get_data(as_text=True)
    problems = []
    if response.mimetype == "text/csv":
        for row in csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"):
            problems += [f"{url}: formula cell {c[:40]!r}" for c in row
                         if c.startswith(("=", "+", "@", "\t", "\r")) or (c.startswith("-") and not
                                                                          re.fullmatch(r"-[\d.,]+( ?%)?", c))]
        return problems
    problems += [f"{url}: raw {raw!r}" for raw in RAW if raw in body]
    problems += [f"{url}: {m.group(0)!r}" for m in JS_URL.finditer(body)]
    if "7*7" not in body and ">49<" in body:
        problems.append(f"{url}: a template expression may have been run")
    return problems


@pytest.fixture(scope="module")
def pages(app, hostile):
    world, _ = hostile
    found = {}
    for persona in PERSONAS:
        client = login_client(app, world.role(persona))
        extra = EXTRA.get(persona, lambda w: [])(world)
        for url, response in _crawl(client, ["/", *extra]).items():
            found[f"{persona} {url}"] = response
    for url, response in _crawl(app.test_client(), ["/", "/inloggen", "/aanmelden"], limit=20).items():
        found[f"anonymous {url}"] = response
    return found


def test_the_payloads_were_taken_by_many_fields(hostile):
    _, taken = hostile
    assert len(taken) >= 25, taken


def test_every_page_shows_the_hostile_text_escaped(pages):
    problems = [p for key, response in pages.items() for p in _problems_in(key, response)]
    assert problems == []
    assert not [k for k, r in pages.items() if r.status_code >= 500]


def test_the_escaped_text_is_actually_on_the_pages(pages):
    shown = [k for k, r in pages.items() if str(escape(SCRIPT)) in r.get_data(as_text=True)]
    assert len(shown) >= 10
    literal = [k for k, r in pages.items() if TEMPLATE in r.get_data(as_text=True)]
    assert literal, "the template expression is shown as typed"
    for persona in ("coordinator", "volunteer", "carer", "resident"):
        assert any(k.startswith(persona) for k in shown), persona


def test_the_map_and_the_print_views_carry_it_escaped(pages):
    for key in ("coordinator /kaart", "coordinator /respijt/rooster-afdrukken"):
        assert key in pages and pages[key].status_code == 200, key
        assert _problems_in(key, pages[key]) == []
    # The map's points come as GeoJSON (the page fetches them): the text in it, as \u escapes.
    points = pages["coordinator /kaart/punten"]
    assert points.mimetype == "application/geo+json" and _problems_in("points", points) == []
    assert "\\u003cscript\\u003e" in points.get_data(as_text=True)


def test_csv_downloads_carry_no_formula(app, hostile, pages):
    world, _ = hostile
    person = next(c for c in create_cases() if c.name == "person")
    client = login_client(app, world.coordinator)
    client.post(person.url(world), data={**person.data(world), "last_name": FORMULA, "form_token": token()})
    csvs = {k: r for k, r in pages.items() if r.mimetype == "text/csv"}
    assert len(csvs) >= 4, sorted(csvs)
    audit = login_client(app, world.admin).get("/beheer/logboek.csv")
    problems = [p for key, response in {**csvs, "admin audit csv": audit}.items() for p in _problems_in(key, response)]
    assert problems == []


def test_the_mails_in_the_outbox_escape_it(app, hostile):
    rows = db.session.scalars(select(O.FollowUp)).all()
    assert rows
    problems, with_payload = [], 0
    with app.test_request_context():
        for row in rows:
            try:
                message = O.build_message(row)
            except LookupError:
                continue
            assert "\n" not in message.subject and "\r" not in message.subject, message.subject
            if "alert(1)" in message.text:
                with_payload += 1
            if message.html:
                problems += [f"{row.kind}: raw {raw!r}" for raw in RAW if raw in message.html]
                problems += [f"{row.kind}: {m.group(0)!r}" for m in JS_URL.finditer(message.html)]
    assert problems == []
    assert with_payload >= 1, "no message carries the typed text: the walk proves nothing about mails"

