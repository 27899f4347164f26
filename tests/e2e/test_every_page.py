"""Every page a demo login reaches, on a phone (375 × 667) and on a desktop (1280 × 800).

The demo (README, "Demo logins") is built once, in a database of this module's own, and
served for real. For each login the crawl starts at the home page and follows same-site GET
links two deep (the menu's links are on every page), skipping logging out, downloads
(.csv, .ics, `download` links) and links that act; of the pages one view draws with the same
query, one is visited per login, which keeps the run short. Each page is checked at both
sizes without a second load (the window is resized):

* nothing scrolls sideways: `document.documentElement.scrollWidth` ≤ the window's width;
* axe-core finds no serious or critical violation, and no landmark shares its name;
* body text is 18 px or more; a chart's text is 14 px or more and lies inside the chart;
* on the phone the page's content starts in the top third of the screen.

Then the Nu Html Checker (vnu.jar, installed by scripts/provision-test.sh) reads every page's
HTML as the server sent it, all files in one run, and must report no error. A new page that
breaks any of this fails here without anyone adding it to a list.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.exceptions import HTTPException
from werkzeug.serving import make_server

from coop import create_app
from coop.extensions import db
from tests.conftest import BACKENDS, TEST_CONFIG
from tests.e2e.helpers import AXE, login

PASSWORD = "demo-wachtwoord"
# The README's demo logins, one per kind of user.
LOGINS = {
    "dorpsondersteuner": "coordinator@austerlitz.demo",
    "gemeente": "gemeente@zeist.demo",
    "beheerder": "beheer@austerlitz.demo",
    "zorgprofessional": "professional1@austerlitz.demo",
    "vrijwilliger": "vrijwilliger3@austerlitz.demo",
    "vrijwilliger met verlopen VOG": "vrijwilliger1@austerlitz.demo",
    "inwoner en mantelzorger": "inwoner1@austerlitz.demo",
    "dorpsondersteuner Bosch en Duin": "coordinator@boschenduin.demo",
    "platformbeheer": "platform@coop.demo",
    "bezoeker (niet ingelogd)": None,
}
# Where the crawl starts besides the home page: the error page a mistyped address gives.
MISSING = "/pagina-die-niet-bestaat"
PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}
DEPTH = 2
# Two logins at a time, one per core, on PostgreSQL. SQLite takes one writer at a time and
# refuses a second at once (a page view writes the audit log), so there the crawl is serial.
WORKERS = {"postgresql": 2, "sqlite": 1}
MIN_CHART_PX = 14
MIN_TEXT_PX = 18  # body text; charts have their own floor; a map and its pins' letters are not text
SKIP_SUFFIXES = (".csv", ".ics")
SKIP_PATHS = ("/uitloggen", "/static/")
VNU = Path(__file__).resolve().parents[1] / "vendor" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The landmark rule is only "moderate" in axe, but two regions or navigations of one name
# leave a screen reader's user guessing which is which.
ALSO_FAIL = {"landmark-unique"}

PAGE_FACTS = """([minPx, minText]) => {
  const main = document.querySelector("main");
  const charts = [];
  const small = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    const aside = "svg, .leaflet-container, .coop-pin, .govuk-visually-hidden";  // charts, maps, pin glyphs
    if (!walker.currentNode.textContent.trim() || el.closest(aside)) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < minText && el.getClientRects().length) {
      small.add(`${size}px: ${JSON.stringify(walker.currentNode.textContent.trim().slice(0, 40))}`);
    }
  }
  for (const svg of document.querySelectorAll("main svg[role=img]")) {
    const box = svg.viewBox.baseVal;
    const shown = svg.getBoundingClientRect();
    if (!box || !box.width || !shown.width) continue;
    const scale = shown.width / box.width;
    for (const t of svg.querySelectorAll("text")) {
      const b = t.getBBox();
      const px = parseFloat(getComputedStyle(t).fontSize) * scale;
      const inside = b.x >= -0.5 && b.y >= -0.5 && b.x + b.width <= box.width + 0.5
        && b.y + b.height <= box.height + 0.5;
      if (px < minPx || !inside) {
        charts.push(`${JSON.stringify(t.textContent)}: ${px.toFixed(1)}px${inside ? "" : ", clipped"}`);
      }
    }
  }
  return {
    width: document.documentElement.scrollWidth,
    mainTop: main ? main.getBoundingClientRect().top + window.scrollY : null,
    charts,
    small: [...small],
    links: [...document.querySelectorAll("a[href]")]
      .filter(a => !a.hasAttribute("download"))
      .map(a => a.href),
  };
}"""


@dataclass
class Visit:
    login: str
    url: str
    status: int
    html_file: Path
    problems: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


@dataclass
class Crawl:
    visits: list[Visit]
    html_dir: Path


@pytest.fixture(scope="module")
def pages_server(database_factory, smtp_server):
    """The demo in a database of this module's own, served on a loopback port.

    One backend is enough for pages: PostgreSQL when the run has it (as in production).
    """
    backend = "postgresql" if "postgresql" in BACKENDS else BACKENDS[0]
    url = database_factory(backend, "coop_e2e_pages")
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": True,
                      "MAIL_PORT": smtp_server.port, "TILE_URL": "/static/tiles/{z}/{x}/{y}.png"})
    with app.app_context():
        from coop import demo
        demo.build(echo=lambda *_: None)
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = base
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, base, backend
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


def _page_key(app, base: str, url: str) -> tuple | None:
    """(view, query names) of a link worth visiting; None for one to leave alone."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != base:
        return None
    if parts.path.endswith(SKIP_SUFFIXES) or parts.path.startswith(SKIP_PATHS):
        return None
    try:
        rule, _ = app.url_map.bind("127.0.0.1").match(parts.path, method="GET", return_rule=True)
    except HTTPException:
        return ("unknown", parts.path)  # a link to no page: visited, and its 404 is reported
    return (rule.endpoint, tuple(sorted({k for k, _ in parse_qsl(parts.query)})))


def _clean(url: str) -> str:
    parts = urlsplit(url)
    query = urlencode(sorted(parse_qsl(parts.query)))
    return parts._replace(query=query, fragment="").geturl()


def _check(page, visit: Visit, size: dict, axe_loaded: bool) -> dict:
    facts = page.evaluate(PAGE_FACTS, [MIN_CHART_PX, MIN_TEXT_PX])
    where = f"{size['width']} px"
    if facts["width"] > size["width"]:
        visit.problems["sideways"].append(f"{where}: {facts['width']} px wide")
    for text in facts["charts"]:
        visit.problems["charts"].append(f"{where}: {text}")
    for text in facts["small"]:
        visit.problems["small text"].append(f"{where}: {text}")
    if not axe_loaded:
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    for v in result["violations"]:
        if v["impact"] in ("serious", "critical") or v["id"] in ALSO_FAIL:
            targets = [" ".join(n["target"]) for n in v["nodes"]][:3]
            visit.problems["axe"].append(f"{where}: {v['id']} ({v['impact']}): {v['help']} {targets}")
    return facts


def _crawl_login(app, base: str, who: str, email: str | None, html_dir: Path, launch: dict) -> list[Visit]:
    """One login's pages, in a browser of its own (Playwright's sync API: one per thread)."""
    visits: list[Visit] = []
    prefix = re.sub(r"\W+", "-", who)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(**launch)
        context = browser.new_context(viewport=PHONE)
        # The map tiles come from the internet, which a test never reaches.
        context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda route: route.abort())
        page = context.new_page()
        page.set_default_timeout(30_000)
        if email:
            login(page, SimpleNamespace(url=base), email, PASSWORD)
        seen_keys: set[tuple] = set()
        seen_urls: set[str] = set()
        frontier = [f"{base}/", f"{base}{MISSING}"]
        for depth in range(DEPTH + 1):
            found: list[str] = []
            for url in frontier:
                url = _clean(url)
                key = _page_key(app, base, url)
                if url in seen_urls or key is None or key in seen_keys:
                    continue
                seen_urls.add(url)
                seen_keys.add(key)
                response = page.goto(url, wait_until="load")
                assert response is not None, url
                html_file = html_dir / f"{prefix}-{len(visits):03d}.html"
                html_file.write_bytes(response.body())
                visit = Visit(who, url.removeprefix(base), response.status, html_file)
                visits.append(visit)
                facts = _check(page, visit, PHONE, axe_loaded=False)
                if facts["mainTop"] is not None and facts["mainTop"] > PHONE["height"] / 3:
                    visit.problems["menu"].append(f"the content starts at {facts['mainTop']:.0f} px")
                page.set_viewport_size(DESKTOP)
                _check(page, visit, DESKTOP, axe_loaded=True)
                page.set_viewport_size(PHONE)
                if depth < DEPTH:
                    found += [urljoin(url, link) for link in facts["links"]]
            frontier = found
        browser.close()
    return visits


@pytest.fixture(scope="module")
def crawl(pages_server, browser_type_launch_args, tmp_path_factory) -> Crawl:
    app, base, backend = pages_server
    html_dir = tmp_path_factory.mktemp("pages")
    with ThreadPoolExecutor(max_workers=WORKERS[backend]) as pool:
        jobs = [pool.submit(_crawl_login, app, base, who, email, html_dir, browser_type_launch_args)
                for who, email in LOGINS.items()]
        visits = [visit for job in jobs for visit in job.result()]
    return Crawl(visits, html_dir)


def _report(crawl: Crawl, kind: str) -> list[str]:
    return [f"{v.login} {v.url}: {p}" for v in crawl.visits for p in v.problems.get(kind, [])]


def test_the_crawl_reaches_every_login_s_pages(crawl):
    pages = defaultdict(set)
    for v in crawl.visits:
        pages[v.login].add(v.url.split("?")[0])
    assert set(pages) == set(LOGINS)
    # A few pages each login must reach through its menu or home page: if logging in or the
    # menu broke, the crawl would otherwise pass on almost nothing.
    expected = {
        "dorpsondersteuner": {"/hulpvragen", "/mensen", "/respijt/uren", "/afspraken/", "/beheer/categorieen"},
        "gemeente": {"/afspraken/", "/cijfers/", "/afspraken/1"},
        "beheerder": {"/beheer/", "/beheer/logboek", "/mensen"},
        "vrijwilliger": {"/mijn-uren", "/mijn-gegevens"},
        "inwoner en mantelzorger": {"/mijn-respijt", "/hulp-vragen"},
        "platformbeheer": {"/platform/"},
        "bezoeker (niet ingelogd)": {"/", "/inloggen", "/privacy", MISSING},
    }
    for who, urls in expected.items():
        assert urls <= pages[who], (who, sorted(urls - pages[who]))
    assert len(crawl.visits) >= 80


def test_every_page_answers(crawl):
    broken = [f"{v.login} {v.url}: {v.status}" for v in crawl.visits if v.status >= 400 and v.url != MISSING]
    assert {v.status for v in crawl.visits if v.url == MISSING} == {404}
    assert not broken, "links that lead nowhere:\n" + "\n".join(broken)


def test_no_page_scrolls_sideways(crawl):
    wide = _report(crawl, "sideways")
    assert not wide, "pages wider than the screen:\n" + "\n".join(wide)


def test_page_content_starts_in_the_top_third_of_a_phone(crawl):
    low = _report(crawl, "menu")
    assert not low, "\n".join(low)


def test_chart_text_is_readable_and_never_clipped(crawl):
    bad = _report(crawl, "charts")
    assert not bad, f"chart text under {MIN_CHART_PX} px or clipped:\n" + "\n".join(bad)


def test_body_text_is_never_smaller_than_18_px(crawl):
    small = _report(crawl, "small text")
    assert not small, f"text under {MIN_TEXT_PX} px:\n" + "\n".join(small)


def test_no_serious_accessibility_violation(crawl):
    found = _report(crawl, "axe")
    assert not found, "axe-core:\n" + "\n".join(found)


def test_every_page_is_valid_html(crawl):
    java = shutil.which("java")
    assert java and VNU.is_file(), "run scripts/provision-test.sh: it installs Java and vnu.jar"
    files = sorted(str(p) for p in crawl.html_dir.glob("*.html"))
    result = subprocess.run([java, "-Xss4m", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    by_file = {str(v.html_file): v for v in crawl.visits}
    errors = []
    for m in messages:
        visit = by_file.get(m.get("url", "").removeprefix("file:"))
        where = f"{visit.login} {visit.url}" if visit else m.get("url", "")
        errors.append(f"{where} line {m.get('lastLine')}: {m.get('message')} [{m.get('extract', '').strip()[:80]}]")
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors[:80])
