"""Every phone number on every page a person opens is a tel: link, so a tap on a phone dials it."""
from __future__ import annotations

import re

import pytest

from coop.core.templating import PHONE_IN_TEXT, tel_in_text
from tests.core.test_audit_log import PAGES, world  # noqa: F401 (the fixture)

TEL_LINK = re.compile(r'<a [^>]*href="tel:[^"]*"[^>]*>.*?</a>', re.S)
TAG = re.compile(r"<[^>]+>")
OWN_PAGES = [("resident", "/"), ("resident", "/hulp-vragen"), ("resident", "/mijn-hulpvragen"),
             ("resident", "/mijn-gegevens"), ("resident", "/hulpvragen/{req.id}"), ("truus", "/mijn-respijt"),
             ("truus", "/respijt/keren/{shift.id}"), ("kees", "/mijn-rooster"), ("coordinator", "/")]


def bare_numbers(html: str) -> list[str]:
    """Phone numbers in the page's text that are not inside a tel: link."""
    body = html.split("<body", 1)[-1]
    text = TAG.sub(" ", TEL_LINK.sub(" ", body)).replace("&nbsp;", " ")
    return PHONE_IN_TEXT.findall(text)


def test_the_scanner_finds_a_bare_number_and_passes_a_linked_one():
    assert bare_numbers("<body><p>Bel 06-12345678</p>") == ["06-12345678"]
    assert bare_numbers('<body><p>Bel <a href="tel:+31612345678">06 12345678</a></p>') == []
    assert str(tel_in_text("Anja 06-12345678 <b>")) == \
        'Anja <a class="govuk-link" href="tel:+31612345678">06-12345678</a> &lt;b&gt;'


def _url(template: str, w: dict) -> str:
    return template.format(**w)


# The pages of the audit walk that are HTML (not a CSV or JSON download, a calendar feed or map points).
HTML_PAGES = [p[:3] for p in PAGES if p[2] and not any(k in p[1] for k in (".csv", ".ics", ".json", "/punten"))]


@pytest.mark.parametrize(("endpoint", "url", "opener"), HTML_PAGES, ids=[f"{p[0]}-{p[2]}" for p in HTML_PAGES])
def test_staff_and_helper_pages_link_every_number(endpoint, url, opener, world, client_as):  # noqa: F811
    page = client_as(world[opener]).get(_url(url, world)).text
    assert bare_numbers(page) == [], endpoint


@pytest.mark.parametrize(("opener", "url"), OWN_PAGES)
def test_own_pages_link_every_number(opener, url, world, client_as, session):  # noqa: F811
    from coop.respite import service
    service.save_carer_notes(world["truus"], by=world["truus"], routines="Koffie om drie uur.",
                             what_calms="Muziek.", who_to_call="Dochter Anja 06-12345678")
    session.commit()
    who = world["bep"] if opener == "resident" else world[opener]
    page = client_as(who).get(_url(url, world)).text
    assert bare_numbers(page) == [], url
