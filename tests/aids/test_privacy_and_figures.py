"""Loans are personal data: in the copy, kept from erasure while lent, emptied of notes after;
the figures count items lent per month, hiding small counts."""
from __future__ import annotations

from datetime import date, timedelta

from coop.aids import service
from coop.core import roles as R
from coop.privacy import erasure, export, register
from coop.reports import report
from tests.aids.conftest import TODAY


def test_the_copy_holds_the_loans_and_erasure_waits_for_the_return(session, coordinator, resident, rollator):
    loan = service.lend(rollator, resident, starts_on=TODAY, due_on=date(2026, 4, 27), by=coordinator,
                        notes="Sleutel bij de buren")
    (copied,) = export.gather(resident)["aid_loans"]
    assert copied["aid"] == "Rollator R-01" and copied["due_on"] == date(2026, 4, 27)
    assert copied["status"] == "uitgeleend" and copied["notes"] == "Sleutel bij de buren"
    assert "aid_loans" in export.SECTIONS
    assert any("leent nog 1 hulpmiddel" in b.text for b in erasure.blockers(resident, coordinator))
    service.record_return(loan, returned_on=TODAY, condition="good", by=coordinator)
    erasure.erase(resident, by=coordinator)
    session.refresh(loan)
    assert loan.notes == "" and loan.lent_month == 202603  # still counted, no longer about anyone
    assert any(e.what == "Geleende hulpmiddelen" for e in register.entries(resident.village_id))


def test_items_lent_per_month_hide_small_counts(session, make, village, coordinator):
    people = [make.user(village, R.RESIDENT) for _ in range(7)]
    for n, person in enumerate(people):
        item = service.add_item(village.id, kind="krukken", label=f"K-{n}", condition="good", by=coordinator)
        start = date(2025, 5, 1) if n < 6 else date(2025, 9, 1)
        service.lend(item, person, starts_on=start, due_on=start + timedelta(weeks=4), by=coordinator)
    table = report.build(village, 2025).table("hulpmiddelen")
    assert table.rows[4] == ["mei", "6"]
    # September's one loan is hidden, like the empty months: the year's 7 does not say which month.
    assert table.rows[8][1] == "< 5" and table.rows[0][1] == "< 5" and table.total[1] == "7"
    assert "1" not in [row[1] for row in table.rows] and all(person.last_name not in str(table.rows)
                                                             for person in people)
