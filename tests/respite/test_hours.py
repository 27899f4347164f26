from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from coop.core import clock
from coop.core.errors import DomainError
from coop.people.models import HoursEntry
from coop.respite import hours, service


def entry(session, volunteer, on, km="0", costs="0", status=HoursEntry.APPROVED, hrs="2"):
    row = HoursEntry(village_id=volunteer.village_id, helper_id=volunteer.id, worked_on=on, hours=Decimal(hrs),
                     km=Decimal(km), costs=Decimal(costs), status=status, source_type="manual")
    session.add(row)
    session.flush()
    return row


def test_finished_shift_becomes_draft_hours_once(weekly, rvolunteer, rcoordinator, frozen, session):
    service.book_volunteer(weekly, rvolunteer, by=rcoordinator)
    clock.freeze(frozen + timedelta(days=2))
    assert hours.record_shift_hours(rvolunteer.village_id) == 1
    assert hours.record_shift_hours(rvolunteer.village_id) == 0
    (row,) = session.scalars(select(HoursEntry).where(HoursEntry.source_type == "shift")).all()
    assert (row.hours, row.worked_on, row.status) == (Decimal("3.00"), date(2026, 3, 17), HoursEntry.DRAFT)


def test_volunteer_confirms_then_coordinator_approves(weekly, rvolunteer, rcoordinator, frozen, session):
    row = entry(session, rvolunteer, date(2026, 3, 2), status=HoursEntry.DRAFT)
    warnings = hours.confirm_entry(row, by=rvolunteer, hours=Decimal("2.5"), km=Decimal("12"), costs=Decimal("3.50"))
    assert warnings == [] and row.status == HoursEntry.CONFIRMED
    hours.review_entry(row, by=rcoordinator, approve=True)
    assert row.status == HoursEntry.APPROVED and row.approved_by_id == rcoordinator.id
    with pytest.raises(DomainError, match="al goedgekeurd"):
        hours.confirm_entry(row, by=rvolunteer, hours=Decimal("3"), km=Decimal("0"), costs=Decimal("0"))


def test_someone_else_cannot_confirm(rvolunteer, make, rvillage, session):
    row = entry(session, rvolunteer, date(2026, 3, 2), status=HoursEntry.DRAFT)
    other = make.volunteer(rvillage, categories=("respijt",))
    with pytest.raises(DomainError, match="niet uw uren"):
        hours.confirm_entry(row, by=other, hours=Decimal("1"), km=Decimal("0"), costs=Decimal("0"))


def test_statement_applies_km_rate_and_monthly_maximum(rvolunteer, session):
    # March 2025: that year's monthly maximum was €210 (2026's is €220, see test_allowance.py).
    entry(session, rvolunteer, date(2025, 3, 3), km="100", costs="10")  # 23.00 + 10
    entry(session, rvolunteer, date(2025, 3, 9), costs="200")
    st = hours.statement(rvolunteer, 2025, 3)
    assert (st.km_amount, st.costs, st.claim, st.payable) == (Decimal("23.00"), Decimal("210.00"),
                                                              Decimal("233.00"), Decimal("210.00"))
    assert "hoger dan het maximum van €\xa0210,00 per maand" in st.warnings[0]


def test_yearly_maximum_limits_later_months(rvolunteer, rcoordinator, session):
    hours.save_settings(rvolunteer.village_id, by=rcoordinator, km_rate=Decimal("0.23"),
                        month_max=Decimal("210"), year_max=Decimal("300"))
    entry(session, rvolunteer, date(2026, 1, 5), costs="200")
    entry(session, rvolunteer, date(2026, 2, 5), costs="150")
    st = hours.statement(rvolunteer, 2026, 2)
    assert st.paid_before_this_year == Decimal("200") and st.payable == Decimal("100")
    assert any("jaarmaximum" in w for w in st.warnings)


def test_settings_are_validated(rvillage, rcoordinator):
    with pytest.raises(DomainError, match="maandmaximum"):
        hours.save_settings(rvillage.id, by=rcoordinator, km_rate=Decimal("0.2"), month_max=Decimal("500"),
                            year_max=Decimal("100"))
    assert hours.settings_for(rvillage.id).km_rate == Decimal("0.23")


def test_manual_entry_future_date_refused_and_nothing_written(rvolunteer, session):
    before = session.scalar(select(func.count()).select_from(HoursEntry))
    with pytest.raises(DomainError, match="toekomst"):
        hours.add_manual_entry(rvolunteer, worked_on=date(2026, 4, 1), hours=Decimal("1"), km=Decimal("0"),
                               costs=Decimal("0"), description="Koffie")
    assert session.scalar(select(func.count()).select_from(HoursEntry)) == before


def test_hours_pages_and_csv(client_as, rvolunteer, rcoordinator, session):
    row = entry(session, rvolunteer, date(2026, 3, 2), status=HoursEntry.DRAFT)
    volunteer = client_as(rvolunteer)
    assert "Bevestigen" in volunteer.get("/mijn-uren").text
    bad = volunteer.post(f"/mijn-uren/{row.id}", data={"hours": "abc", "km": "0", "costs": "0"})
    assert bad.status_code == 422 and "Vul een getal in" in bad.text
    ok = volunteer.post(f"/mijn-uren/{row.id}", data={"hours": "2,5", "km": "20", "costs": "0"})
    assert ok.status_code == 302 and row.status == HoursEntry.CONFIRMED and row.hours == Decimal("2.5")
    coordinator = client_as(rcoordinator)
    assert coordinator.post(f"/respijt/uren/{row.id}/goedkeuren").status_code == 302
    assert row.status == HoursEntry.APPROVED
    csv = coordinator.get("/respijt/uren/overzicht.csv?maand=2026-03")
    assert csv.mimetype == "text/csv"
    assert "Kees Bakker;2,50;20,00;4,60;0,00;4,60;4,60;0,00" in csv.text
    assert "Kees Bakker" in coordinator.get("/respijt/uren/overzicht?maand=2026-03").text


def test_hours_of_another_volunteer_are_404(client_as, rvolunteer, make, rvillage, session):
    row = entry(session, rvolunteer, date(2026, 3, 2), status=HoursEntry.DRAFT)
    other = make.volunteer(rvillage, categories=("respijt",))
    assert client_as(other).get(f"/mijn-uren/{row.id}").status_code == 404
