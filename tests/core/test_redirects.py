"""Open redirects: every redirect parameter (`next=` of the login and of typing the password
again, both through coop.core.web.safe_next) follows same-site paths only."""
from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest

from coop.core.web import safe_next
from tests.conftest import PASSWORD

# What a browser would take to another site, or run: the last ones because browsers read a
# backslash as a slash and drop tabs and line breaks from a URL.
HOSTILE = ["//evil.example", "https://evil.example", "http://evil.example/mijn-gegevens", "/\\evil.example",
           "\\\\evil.example", "/\\/evil.example", "javascript:alert(1)", "JavaScript:alert(1)",
           "data:text/html,<script>alert(1)</script>", "/\t/evil.example", "/\n/evil.example", "/\r//evil.example",
           " //evil.example", "https:evil.example", "//evil.example/%2F..", "///evil.example"]
# "%09" is not a tab to a browser: that one is a path of this site.
SAFE = ["/%09/evil.example", "/mijn-gegevens/wachtwoord", "/hulpvragen?status=open", "/mensen/3#adres"]


def _lands_here(location: str) -> bool:
    parts = urlsplit(location)
    return not parts.scheme and not parts.netloc and location.startswith("/") and "\\" not in location \
        and not location.startswith("//")


@pytest.mark.parametrize("target", HOSTILE)
def test_safe_next_refuses_what_leaves_the_site(target):
    assert safe_next(target, "/") == "/"


@pytest.mark.parametrize("target", SAFE)
def test_safe_next_follows_a_path_of_the_site(target):
    assert safe_next(target, "/") == target


@pytest.mark.parametrize("target", HOSTILE)
def test_login_never_sends_a_user_to_another_site(client, coordinator, target):
    response = client.post(f"/inloggen?next={quote(target, safe='')}",
                           data={"email": coordinator.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/", target


def test_login_follows_next_within_the_site(client, coordinator):
    response = client.post("/inloggen?next=%2Fmensen", data={"email": coordinator.email, "password": PASSWORD})
    assert response.headers["Location"] == "/mensen"


@pytest.mark.parametrize("target", HOSTILE)
def test_typing_the_password_again_never_leaves_the_site(client_as, resident, target):
    client = client_as(resident)
    response = client.post(f"/mijn-gegevens/bevestigen?next={quote(target, safe='')}",
                           data={"password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/mijn-gegevens", target
    page = client.get(f"/mijn-gegevens/bevestigen?next={quote(target, safe='')}").text
    assert "evil.example" not in page and "javascript:" not in page.lower()


def test_the_login_page_sent_from_a_guarded_page_comes_back_to_it(client, coordinator):
    sent = client.get("/mensen?zoek=bep")
    assert sent.status_code == 302
    location = sent.headers["Location"]
    assert _lands_here(location) and "next=" in location
    back = client.post(location, data={"email": coordinator.email, "password": PASSWORD})
    assert back.headers["Location"] == "/mensen?zoek=bep"
