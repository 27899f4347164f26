"""The gemeente sees agreements and reports, never a person: walk every page it can reach.

Builds the demo village, logs in as its gemeente user, follows every same-site GET link from
the home page, and checks that no resident, carer, volunteer or professional of the demo
appears by name, street address, phone or e-mail. The coordinator signs and is the named
contact of the agreement, so her name may appear; her phone, address and e-mail may not.
Then every rule of the URL map that the gemeente is not admitted to must refuse it.
"""
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from coop import demo
from coop.core import roles as R
from coop.core.validation import display_phone


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def personal_strings(ctx):
    people = ctx.residents + ctx.carers + ctx.volunteers + ctx.professionals
    needles = set()
    for person in people:
        needles.add(person.full_name)
        needles.add(f"{person.street} {person.house_number}")
    for person in people + [ctx.coordinator, ctx.admin]:
        needles.update(p for p in (person.phone, display_phone(person.phone) if person.phone else None,
                                   person.email) if p)
        needles.add(f"{person.street} {person.house_number}")
    return {n for n in needles if n}


def walk(client, start="/"):
    seen, queue, pages = set(), deque([start]), {}
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302, 303) and "/login" not in response.headers["Location"]:
            location = urlsplit(response.headers["Location"])
            queue.append(location.path + (f"?{location.query}" if location.query else ""))
        if response.status_code != 200 or response.mimetype not in ("text/html", "text/csv"):
            pages[url] = (response.status_code, "")
            continue
        text = response.get_data(as_text=True)
        pages[url] = (200, text)
        if response.mimetype != "text/html":
            continue
        parser = Links()
        parser.feed(text)
        for href in parser.links:
            target = urldefrag(urljoin(url, href))[0]
            parts = urlsplit(target)
            if parts.scheme in ("", "http") and parts.netloc in ("", "localhost") and parts.path.startswith("/") \
                    and not parts.path.startswith("/static/"):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return pages


def test_no_personal_data_on_any_page_the_gemeente_reaches(app, session, client_as):
    ctx = demo.build(echo=lambda *_: None)
    gemeente = ctx.municipality_user
    pages = walk(client_as(gemeente))
    reached = {url for url, (code, _) in pages.items() if code == 200}
    assert "/afspraken/" in reached and any(u.startswith("/cijfers/dorp/") for u in reached)
    assert any("/vergelijken" in u for u in reached) and any(u.endswith(".csv") or ".csv?" in u for u in reached)
    needles = personal_strings(ctx)
    assert len(needles) > 200
    for url, (_code, text) in pages.items():
        found = [n for n in needles if n in text]
        assert not found, f"{url} shows {found[:3]}"


def test_every_other_rule_refuses_the_gemeente(app, session, client_as, municipality_user, resident):
    """Rules the gemeente is not admitted to answer 403, 404 or a redirect to the login page."""
    client = client_as(municipality_user)
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        allowed = getattr(view, "allowed_roles", frozenset())
        if "public" in allowed or "*" in allowed or R.MUNICIPALITY in allowed:
            continue
        url = rule.rule
        for arg in rule.arguments:
            url = url.replace(f"<int:{arg}>", str(resident.id)).replace(f"<{arg}>", "1")
        response = client.get(url)
        assert response.status_code in (403, 404) or (
            response.status_code == 302 and "/login" in response.headers["Location"]), (url, response.status_code)
