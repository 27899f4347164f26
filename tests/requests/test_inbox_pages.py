"""The inbox in pages of 50: a plain "Vorige"/"Volgende" pager that keeps the filters."""
from __future__ import annotations

import re
from datetime import timedelta

from coop.core.clock import now
from coop.requests.queries import PAGE_SIZE
from tests.support.factories import HelpRequestFactory


def _shown(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-request-id="(\d+)"', page)]


def _link(page: str, rel: str) -> str | None:
    found = re.search(rf'href="([^"]+)" rel="{rel}"', page)
    return found.group(1).replace("&amp;", "&") if found else None


def test_inbox_pages_through_every_open_request_in_order(client_as, coordinator, village):
    made = [HelpRequestFactory(village=village, status="new", urgency="week",
                               created_at=now() - timedelta(hours=i)) for i in range(PAGE_SIZE * 2 + 7)]
    HelpRequestFactory.create_batch(3, village=village, status="done")
    client = client_as(coordinator)
    first = client.get("/hulpvragen").text
    assert len(_shown(first)) == PAGE_SIZE
    assert "107 hulpvragen" in first and "u ziet 1 tot en met 50" in first
    assert "Pagina 1 van 3" in first and _link(first, "prev") is None
    seen, page, url = [], first, "/hulpvragen"
    while url:
        page = client.get(url).text
        seen += _shown(page)
        url = _link(page, "next")
    assert "Pagina 3 van 3" in page and "u ziet 101 tot en met 107" in page
    assert _link(page, "prev") == "/hulpvragen?pagina=2"
    # Oldest first within one urgency, each request once, none left out.
    assert seen == [r.id for r in reversed(made)]


def test_pager_keeps_the_filters(client_as, coordinator, village):
    HelpRequestFactory.create_batch(PAGE_SIZE + 1, village=village, status="searching", urgency="today")
    HelpRequestFactory.create_batch(4, village=village, status="searching", urgency="no_rush")
    page = client_as(coordinator).get("/hulpvragen?status=searching&urgentie=today").text
    link = _link(page, "next")
    assert link is not None
    assert "status=searching" in link and "urgentie=today" in link and "pagina=2" in link
    second = client_as(coordinator).get(link).text
    assert len(_shown(second)) == 1 and "51 hulpvragen" in second
    assert "status=searching" in _link(second, "prev") and "pagina" not in _link(second, "prev")


def test_one_page_has_no_pager_and_a_page_past_the_end_shows_the_last(client_as, coordinator, village):
    HelpRequestFactory.create_batch(3, village=village, status="new")
    client = client_as(coordinator)
    assert 'rel="next"' not in client.get("/hulpvragen").text
    assert len(_shown(client.get("/hulpvragen?pagina=99").text)) == 3
    assert len(_shown(client.get("/hulpvragen?pagina=nul").text)) == 3


def test_pager_is_usable_on_a_phone(client_as, coordinator, village):
    """The pager is govuk's block pagination: full-width links, readable at 375 px."""
    HelpRequestFactory.create_batch(PAGE_SIZE + 1, village=village, status="new")
    page = client_as(coordinator).get("/hulpvragen").text
    nav = re.search(r'<nav class="govuk-pagination govuk-pagination--block"[^>]*>(.*?)</nav>', page, re.S)
    assert nav and 'aria-label="Meer hulpvragen"' in page
    assert "Volgende" in nav.group(1) and "Vorige" not in nav.group(1)


def test_the_inbox_head_has_every_status_and_the_active_categories_in_their_order(
        client_as, coordinator, village, make, session):
    """Counts and category choices come from one statement (queries.inbox_head)."""
    from sqlalchemy import select

    from coop.core.models import TaskCategory
    from coop.requests.queries import inbox_head
    categories = list(session.scalars(select(TaskCategory).where(TaskCategory.village_id == village.id)))
    for position, category in enumerate(reversed(categories)):  # the opposite of their ids
        category.sort_order = position
    categories[0].active = False
    HelpRequestFactory.create_batch(2, village=village, status="new")
    HelpRequestFactory(village=village, status="done")
    session.flush()
    head = inbox_head(village.id)
    shown = [c for c in reversed(categories) if c.active]
    assert head.categories == [(c.id, c.name) for c in shown]
    assert head.counts["new"] == 2 and head.counts["done"] == 1 and head.counts["searching"] == 0
    page = client_as(coordinator).get("/hulpvragen").text
    choices = re.search(r'<select[^>]*id="soort".*?</select>', page, re.S).group(0)
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', choices)
    assert [int(cid) for cid, _ in options] == [c.id for c in shown]
