"""The volunteer allowance's limits per calendar year: statements use the limits of the year
the hours fall in, a village may only choose lower maxima, the hourly amount stays within the
year's hourly maximum (lower under 21), and the admin enters a new year's figures."""
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from coop.core import clock
from coop.core import roles as R
from coop.core.errors import DomainError
from coop.people import service as people
from coop.people.models import HoursEntry
from coop.respite import allowance, hours
from coop.respite.models import AllowanceLimits, ExpenseSettings

NOTICE_2027 = ("De grenzen voor 2027 zijn nog niet ingevoerd; we rekenen met die van 2026. "
               "Controleer de bedragen van de Belastingdienst.")


def entry(session, volunteer, on, costs="0", hrs="2", km="0"):
    row = HoursEntry(village_id=volunteer.village_id, helper_id=volunteer.id, worked_on=on, hours=Decimal(hrs),
                     km=Decimal(km), costs=Decimal(costs), status=HoursEntry.APPROVED, source_type="manual")
    session.add(row)
    session.flush()
    return row


def save(village, by, **kw):
    values = {"km_rate": Decimal("0.23"), "month_max": None, "year_max": None} | kw
    hours.save_settings(village.id, by=by, **values)


def test_the_migration_ships_2024_2025_and_2026(session):
    figures = {y: (lim.month_max, lim.year_max, lim.hourly_max, lim.hourly_max_young, lim.missing)
               for y in (2024, 2025, 2026) for lim in [allowance.limits_for(y)]}
    assert figures == {
        2024: (Decimal("210.00"), Decimal("2100.00"), Decimal("5.50"), Decimal("3.25"), False),
        2025: (Decimal("210.00"), Decimal("2100.00"), Decimal("5.60"), Decimal("3.30"), False),
        2026: (Decimal("220.00"), Decimal("2200.00"), Decimal("5.75"), Decimal("3.40"), False)}


def test_statements_across_the_turn_of_2025_to_2026_use_each_years_limits(rvolunteer, rcoordinator, client_as,
                                                                           session):
    entry(session, rvolunteer, date(2025, 12, 8), costs="250")
    entry(session, rvolunteer, date(2026, 1, 12), costs="250")
    december, january = hours.statement(rvolunteer, 2025, 12), hours.statement(rvolunteer, 2026, 1)
    assert (december.month_max, december.year_max, december.payable) == (Decimal("210.00"), Decimal("2100.00"),
                                                                          Decimal("210.00"))
    assert (january.month_max, january.year_max, january.payable) == (Decimal("220.00"), Decimal("2200.00"),
                                                                       Decimal("220.00"))
    assert "maximum van €\xa0210,00 per maand" in december.warnings[0]
    assert "maximum van €\xa0220,00 per maand" in january.warnings[0]
    assert january.paid_before_this_year == 0  # a new year starts its own yearly total

    coordinator = client_as(rcoordinator)
    dec_csv = coordinator.get("/respijt/uren/overzicht.csv?maand=2025-12").text
    jan_csv = coordinator.get("/respijt/uren/overzicht.csv?maand=2026-01").text
    assert "2025-12;Kees Bakker;2,00;0,00;0,00;250,00;250,00;210,00;40,00;0,00;210,00;2100,00;210,00" in dec_csv
    assert "2026-01;Kees Bakker;2,00;0,00;0,00;250,00;250,00;220,00;30,00;0,00;220,00;2200,00;220,00" in jan_csv
    dec_page = coordinator.get("/respijt/uren/overzicht?maand=2025-12").text
    jan_page = coordinator.get("/respijt/uren/overzicht?maand=2026-01").text
    assert "hoogstens €\xa0210,00 per maand en €\xa02.100,00 per jaar" in dec_page
    assert "hoogstens €\xa0220,00 per maand en €\xa02.200,00 per jaar" in jan_page
    assert "nog niet ingevoerd" not in dec_page + jan_page


def test_the_yearly_total_uses_the_years_maximum(rvolunteer, session):
    for month in range(1, 11):  # €215 a month: within 2026's €220, above 2025's €210
        entry(session, rvolunteer, date(2025, month, 3), costs="215")
        entry(session, rvolunteer, date(2026, month, 3), costs="215")
    entry(session, rvolunteer, date(2025, 11, 3), costs="215")
    entry(session, rvolunteer, date(2026, 11, 3), costs="215")
    nov_2025, nov_2026 = hours.statement(rvolunteer, 2025, 11), hours.statement(rvolunteer, 2026, 11)
    assert (nov_2025.paid_before_this_year, nov_2025.payable) == (Decimal("2100.00"), Decimal("0"))
    assert (nov_2026.paid_before_this_year, nov_2026.payable) == (Decimal("2150"), Decimal("50"))
    assert nov_2026.paid_this_year == Decimal("2200")
    assert any("jaarmaximum van €\xa02.200,00 is nog €\xa050,00 over" in w for w in nov_2026.warnings)


def test_hourly_amount_above_the_years_hourly_maximum_is_refused(rvillage, rcoordinator, session):
    with pytest.raises(DomainError, match="Het uurbedrag mag in 2026 niet hoger zijn dan €\xa05,75.") as err:
        save(rvillage, rcoordinator, hourly_rate=Decimal("5.76"))
    assert err.value.field == "hourly_rate"
    with pytest.raises(DomainError, match="Het uurbedrag onder 21 jaar mag in 2026 niet hoger zijn dan €\xa03,40."):
        save(rvillage, rcoordinator, hourly_rate=Decimal("5.75"), hourly_rate_young=Decimal("3.41"))
    assert session.get(ExpenseSettings, rvillage.id) is None
    save(rvillage, rcoordinator, hourly_rate=Decimal("5.75"), hourly_rate_young=Decimal("3.40"))
    cfg = hours.settings_for(rvillage.id)
    assert (cfg.hourly_rate, cfg.hourly_rate_young) == (Decimal("5.75"), Decimal("3.40"))
    # No own maxima: the legal ones; the single maxima the previous release reads get this year's.
    assert (cfg.own_month_max, cfg.allowance_month_max, cfg.allowance_year_max) == (
        None, Decimal("220.00"), Decimal("2200.00"))


def test_under_21_volunteer_is_paid_within_the_under_21_maximum(rvillage, rvolunteer, rcoordinator, make,
                                                                 client_as, session):
    save(rvillage, rcoordinator, hourly_rate=Decimal("5.75"), hourly_rate_young=Decimal("3.40"))
    young = make.volunteer(rvillage, categories=("respijt",), first_name="Sanne", last_name="de Boer")
    people.record_papers(young, vog_date=None, contract_date=None, by=rcoordinator, under_21=True)
    for person in (rvolunteer, young):
        entry(session, person, date(2026, 3, 4), hrs="10", km="10")
        entry(session, person, date(2025, 3, 4), hrs="10")
    adult, under_21 = hours.statement(rvolunteer, 2026, 3), hours.statement(young, 2026, 3)
    assert (adult.hourly_rate, adult.hours_amount, adult.claim) == (Decimal("5.75"), Decimal("57.50"),
                                                                    Decimal("59.80"))
    assert (under_21.hourly_rate, under_21.hours_amount, under_21.claim) == (Decimal("3.40"), Decimal("34.00"),
                                                                             Decimal("36.30"))
    assert adult.warnings == [] and under_21.warnings == []
    page = client_as(rcoordinator).get("/respijt/uren/overzicht?maand=2026-03").text
    assert "Uurvergoeding" in page and "€\xa057,50" in page and "€\xa034,00" in page
    # Hours of 2025 are paid by 2025's hourly maxima, with a word about it.
    adult_2025, under_21_2025 = hours.statement(rvolunteer, 2025, 3), hours.statement(young, 2025, 3)
    assert (adult_2025.hourly_rate, under_21_2025.hourly_rate) == (Decimal("5.60"), Decimal("3.30"))
    assert adult_2025.hours_amount == Decimal("56.00")
    assert "hoger dan het maximum van €\xa05,60 in 2025" in adult_2025.warnings[0]
    assert "€\xa03,30 in 2025 onder 21 jaar" in under_21_2025.warnings[0]


def test_coordinator_records_the_age_band_on_the_volunteer_papers(client_as, rvolunteer, rcoordinator, session):
    coordinator = client_as(rcoordinator)
    form = coordinator.get(f"/mensen/{rvolunteer.id}/vrijwilliger").text
    assert "Jonger dan 21 jaar" in form
    response = coordinator.post(f"/mensen/{rvolunteer.id}/vrijwilliger",
                                data={"papieren-submit": "1", "papieren-under_21": "y"})
    assert response.status_code == 302 and rvolunteer.volunteer_profile.under_21 is True
    assert "jonger dan 21" in coordinator.get(f"/mensen/{rvolunteer.id}").text
    coordinator.post(f"/mensen/{rvolunteer.id}/vrijwilliger", data={"papieren-submit": "1"})
    assert rvolunteer.volunteer_profile.under_21 is False


def test_a_year_missing_from_the_table_keeps_the_latest_known_limits_with_a_notice(
        rvolunteer, rcoordinator, client_as, session):
    limits = allowance.limits_for(2027)
    assert (limits.year, limits.source_year, limits.month_max, limits.hourly_max) == (
        2027, 2026, Decimal("220.00"), Decimal("5.75"))
    assert limits.notice == NOTICE_2027
    assert allowance.limits_for(2023).source_year == 2024  # before the first known year: the first one
    entry(session, rvolunteer, date(2027, 1, 5), costs="300")
    assert hours.statement(rvolunteer, 2027, 1).payable == Decimal("220.00")
    coordinator = client_as(rcoordinator)
    assert NOTICE_2027 in coordinator.get("/respijt/uren/overzicht?maand=2027-01").text
    assert "nog niet ingevoerd" not in coordinator.get("/respijt/uren/overzicht?maand=2026-12").text
    assert "nog niet ingevoerd" not in coordinator.get("/respijt/instellingen").text
    clock.freeze(datetime(2027, 1, 4, 9, 0, tzinfo=UTC))
    assert NOTICE_2027 in coordinator.get("/respijt/instellingen").text


def test_village_maxima_only_lower_than_the_legal_limits(rvillage, rvolunteer, rcoordinator, client_as, session):
    with pytest.raises(DomainError, match="Het maximum per maand mag in 2026 niet hoger zijn dan €\xa0220,00."):
        save(rvillage, rcoordinator, month_max=Decimal("220.01"))
    with pytest.raises(DomainError, match="Het maximum per jaar mag in 2026 niet hoger zijn dan €\xa02.200,00."):
        save(rvillage, rcoordinator, year_max=Decimal("2500"))
    session.commit()  # web.run rolls back the session on a refusal; keep the fixtures
    coordinator = client_as(rcoordinator)
    refused = coordinator.post("/respijt/instellingen", data={"km_rate": "0,23", "allowance_month_max": "230"})
    assert refused.status_code == 422
    assert "Er is iets niet goed ingevuld" in refused.text
    assert "Het maximum per maand mag in 2026 niet hoger zijn dan €\xa0220,00." in refused.text
    assert session.get(ExpenseSettings, rvillage.id) is None
    # Equal to the legal limit or lower is fine; a lower own maximum is what the statement pays.
    assert coordinator.post("/respijt/instellingen", data={"km_rate": "0,23", "allowance_month_max": "215",
                                                           "allowance_year_max": "2200"}).status_code == 302
    row = session.get(ExpenseSettings, rvillage.id)
    assert (row.own_month_max, row.own_year_max) == (Decimal("215.00"), Decimal("2200.00"))
    assert (row.allowance_month_max, row.allowance_year_max) == (Decimal("215.00"), Decimal("2200.00"))
    entry(session, rvolunteer, date(2026, 3, 2), costs="300")
    entry(session, rvolunteer, date(2025, 3, 2), costs="300")
    assert hours.statement(rvolunteer, 2026, 3).payable == Decimal("215.00")
    assert hours.statement(rvolunteer, 2025, 3).payable == Decimal("210.00")  # never above that year's limit


def test_settings_refuse_nan_and_infinity(rvillage, rcoordinator, client_as, session):
    session.commit()
    coordinator = client_as(rcoordinator)
    for field, value in (("km_rate", "NaN"), ("hourly_rate", "Infinity"), ("allowance_month_max", "nan"),
                         ("hourly_rate", "-1")):
        data = {"km_rate": "0,23", field: value}
        response = coordinator.post("/respijt/instellingen", data=data)
        assert response.status_code == 422, (field, value)
        assert "Er is iets niet goed ingevuld" in response.text
    assert session.get(ExpenseSettings, rvillage.id) is None


def test_admin_enters_a_new_year_and_the_notice_goes(make, rvillage, rcoordinator, client_as, session):
    admin = make.user(rvillage, R.ADMIN, first_name="Beheer", last_name="Coop")
    session.commit()
    assert client_as(rcoordinator).get("/beheer/vrijwilligersvergoeding").status_code == 403
    client = client_as(admin)
    page = client.get("/beheer/vrijwilligersvergoeding")
    assert page.status_code == 200 and "€\xa02.200,00" in page.text and 'value="2027"' in page.text
    assert "Grenzen van de vrijwilligersvergoeding per jaar" in client.get("/beheer/").text
    good = {"year": "2027", "month_max": "230,00", "year_max": "2300", "hourly_max": "5,90",
            "hourly_max_young": "3,50"}
    for field, value, message in (
            ("month_max", "NaN", "Vul bij het maximum per maand een bedrag in, zoals 5,75."),
            ("year_max", "Infinity", "Vul bij het maximum per jaar een bedrag in, zoals 5,75."),
            ("hourly_max", "-5,75", "Vul bij het uurbedrag vanaf 21 jaar een bedrag groter dan nul in."),
            ("month_max", "22000", "Vul bij het maximum per maand hoogstens €\xa02.000,00 in"),
            ("hourly_max_young", "6,00", "Het uurbedrag onder 21 jaar kan niet hoger zijn dan dat vanaf 21 jaar."),
            ("year_max", "200", "Het maximum per maand kan niet hoger zijn dan het maximum per jaar."),
            ("hourly_max", "5,905", "hoogstens twee cijfers achter de komma"),
            ("year", "1999", "Kies een jaar tussen 2000 en 2100."),
            ("year", "abc", "Vul een heel getal in.")):
        response = client.post("/beheer/vrijwilligersvergoeding", data=good | {field: value})
        assert response.status_code == 422, (field, value)
        assert "Er is iets niet goed ingevuld" in response.text and message in response.text, (field, value)
    assert session.scalar(select(func.count()).select_from(AllowanceLimits)) == 3
    assert client.post("/beheer/vrijwilligersvergoeding", data=good).status_code == 302
    limits = allowance.limits_for(2027)
    assert (limits.missing, limits.month_max, limits.year_max, limits.hourly_max, limits.hourly_max_young) == (
        False, Decimal("230.00"), Decimal("2300.00"), Decimal("5.90"), Decimal("3.50"))
    assert session.get(AllowanceLimits, 2027).updated_by_id == admin.id
    clock.freeze(datetime(2027, 1, 4, 9, 0, tzinfo=UTC))
    assert "nog niet ingevoerd" not in client.get("/respijt/instellingen").text
    # A known year opens for correction with its own figures.
    assert 'value="5.60"' in client.get("/beheer/vrijwilligersvergoeding?jaar=2025").text


def test_hours_form_refuses_nan(client_as, rvolunteer, session):
    row = entry(session, rvolunteer, date(2026, 3, 2))
    row.status = HoursEntry.DRAFT
    session.commit()
    response = client_as(rvolunteer).post(f"/mijn-uren/{row.id}", data={"hours": "NaN", "km": "0", "costs": "0"})
    assert response.status_code == 422 and "Vul een gewoon bedrag of aantal in" in response.text
    assert row.status == HoursEntry.DRAFT
