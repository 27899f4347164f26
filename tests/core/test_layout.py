"""The layout's small things: the phone menu, icons and manifest, the footer, the error page's
phone numbers, mail on a phone, and what a volunteer's home page says."""
from __future__ import annotations

import json
import re
import struct
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from coop.core.clock import local_now
from coop.followups.dispatcher import dispatch_due
from coop.people.models import HoursEntry

STATIC = Path(__file__).resolve().parents[2] / "static"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


def test_the_menu_is_a_disclosure_that_needs_no_script(client_as, coordinator):
    page = client_as(coordinator).get("/").text
    nav = page[page.index('<nav class="coop-header__nav" aria-label="Hoofdmenu">'):page.index("</nav>")]
    assert '<details class="coop-menu coop-wide-open" data-coop-menu data-coop-wide-open>' in nav
    assert re.search(r'<summary class="coop-menu__button">Menu\b', nav)
    assert ">Hulpvragen</a>" in nav and ">Uitloggen</button>" in nav
    # The CSP forbids inline script: every script of the layout is a file.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)


def test_icons_and_the_manifest_are_linked_and_are_ours(client):
    page = client.get("/inloggen").text
    for href in re.findall(r'<link rel="(?:icon|apple-touch-icon|manifest)" href="([^"]+)"', page):
        assert client.get(href).status_code == 200, href
    assert 'rel="manifest"' in page and 'rel="apple-touch-icon"' in page
    assert png_size(STATIC / "icons" / "apple-touch-icon.png") == (180, 180)
    assert png_size(STATIC / "icons" / "favicon-32.png") == (32, 32)
    manifest = json.loads((STATIC / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["lang"] == "nl" and manifest["start_url"] == "/" and manifest["display"] == "standalone"
    sizes = set()
    for icon in manifest["icons"]:
        path = STATIC / icon["src"]
        assert path.is_file() and not icon["src"].startswith(("http:", "https:", "//"))
        if icon["type"] == "image/png":
            width, height = png_size(path)
            assert icon["sizes"] == f"{width}x{height}"
            sizes.add(width)
    assert {192, 512} <= sizes
    assert any(i.get("purpose") == "maskable" for i in manifest["icons"])


def test_the_coordinator_is_not_told_to_call_herself(client_as, coordinator, resident):
    own = client_as(coordinator).get("/").text
    footer = own[own.index("<footer"):]
    assert "Bel de dorpsondersteuner" not in footer and "Ingelogd als Marieke van Dam" in footer
    theirs = client_as(resident).get("/").text
    assert "Bel de dorpsondersteuner" in theirs[theirs.index("<footer"):]


def test_the_error_page_gives_the_village_phone_when_logged_out(client, village):
    page = client.get("/bestaat-niet")
    assert page.status_code == 404
    assert 'href="tel:+31343123456">0343 123 456</a>' in page.text


def test_with_several_villages_the_error_page_lists_each(client, session, village, make):
    make.village(name="Bosch en Duin").coordinator_phone = "+31302345678"
    page = client.get("/bestaat-niet").text
    assert "van uw dorp" in page
    assert re.search(r"Austerlitz: <a [^>]*>0343 123 456</a>", page)
    assert re.search(r"Bosch en Duin: <a [^>]*>030 234 5678</a>", page)


def test_a_logged_in_error_page_names_only_the_own_village(client_as, resident, make):
    make.village(name="Bosch en Duin").coordinator_phone = "+31302345678"
    page = client_as(resident).get("/bestaat-niet").text
    assert "0343 123 456" in page and "030 234 5678" not in page


def test_mail_is_laid_out_for_a_phone(client, session, smtp, resident):
    client.post("/wachtwoord-vergeten", data={"email": resident.email})
    assert dispatch_due() == 1
    [mail] = smtp.to(resident.email)
    html = next(p for p in mail.walk() if p.get_content_type() == "text/html").get_content()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert '<html lang="nl">' in html


def test_a_volunteer_with_an_expired_vog_is_told_why_no_proposal_comes(client_as, make, village):
    expired = make.volunteer(village, vog_days_ago=4 * 365)
    page = client_as(expired).get("/").text
    assert "U krijgt nu geen voorstellen" in page
    assert "Uw VOG (Verklaring Omtrent het Gedrag) is verlopen op" in page


def test_a_paused_or_unapproved_volunteer_is_told_so(client_as, make, village):
    paused = make.volunteer(village)
    paused.volunteer_profile.paused = True
    waiting = make.volunteer(village, approved=False, vog_days_ago=None)
    page = client_as(paused).get("/").text
    assert "U krijgt nu geen voorstellen" in page and "U staat op pauze" in page
    page = client_as(waiting).get("/").text
    assert "nog niet goedgekeurd" in page and "nog geen VOG" in page


def test_an_eligible_volunteer_gets_no_warning(client_as, volunteer):
    page = client_as(volunteer).get("/").text
    assert "U krijgt nu geen voorstellen" not in page and "U helpt met: Boodschappen, Gezelschap" in page


def test_hours_waiting_for_the_volunteer_are_on_the_home_page(session, client_as, volunteer, village):
    day = local_now().date() - timedelta(days=2)
    for status in (HoursEntry.DRAFT, HoursEntry.CONFIRMED):
        session.add(HoursEntry(village_id=village.id, helper_id=volunteer.id, worked_on=day, hours=Decimal("2.5"),
                               description=f"Boodschappen ({status})", status=status))
    session.flush()
    draft = session.query(HoursEntry).filter_by(helper_id=volunteer.id, status=HoursEntry.DRAFT).one()
    page = client_as(volunteer).get("/").text
    assert "Uren bevestigen (1)" in page
    assert f'href="/mijn-uren/{draft.id}"' in page and "Boodschappen (draft), 2,5 uur" in page
    assert "Boodschappen (confirmed)" not in page
