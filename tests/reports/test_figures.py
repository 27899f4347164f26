"""Report figures against the hand-counted fixture in conftest.py (threshold 5 unless set)."""
import csv
import io
from datetime import UTC

import pytest

from coop.core import roles as R
from coop.reports import queries, report
from coop.reports.models import ReportSettings


def test_request_counts_per_local_month_and_category(session, village, figures):
    counts = {(m, c): (n, mt, r) for m, c, n, mt, r in queries.request_counts(village.id, 2025)}
    b, g, med, w = (figures[c].id for c in ("boodschappen", "gezelschap", "medicatie", "woningaanpassing"))
    assert counts == {(3, b): (6, 5, 0), (3, g): (6, 6, 0), (4, b): (7, 6, 0), (4, w): (5, 0, 5),
                      (4, med): (3, 0, 3), (5, g): (2, 1, 0)}


def test_medians_are_taken_in_sql(session, village, figures):
    medians = queries.median_days_to_match(village.id, 2025)
    assert medians["month"] == pytest.approx({3: 3.0, 4: 2.0, 5: 1.0})
    b, g = figures["boodschappen"].id, figures["gezelschap"].id
    assert medians["category"] == pytest.approx({b: 2.0, g: 2.0})
    assert medians["all"] == pytest.approx({0: 2.0})


def test_hours_and_active_volunteers(session, village, figures):
    per_month = queries.hours_by_month(village.id, 2025)
    assert per_month[3] == {"help_hours": 10.0, "respite_hours": 0.0, "help_helpers": 5, "respite_helpers": 0,
                            "active_helpers": 5}
    assert per_month[4]["respite_hours"] == 6.0 and per_month[4]["active_helpers"] == 2
    assert per_month[5]["respite_hours"] == 9.0 and per_month[5]["respite_helpers"] == 6
    assert queries.hours_for_year(village.id, 2025) == {
        "help_hours": 10.0, "respite_hours": 15.0, "help_helpers": 5, "respite_helpers": 6, "active_helpers": 6}


def test_carers_supported_per_local_month(session, village, figures):
    assert queries.carers_supported(village.id, 2025) == {3: 6, 4: 2, 5: 1, 0: 6}


def test_carerqol_vas_average_per_local_month(session, village, figures):
    vas = queries.carerqol_vas_average(village.id, 2025)
    assert set(vas) == {3, 4, 5, 6, 0}
    assert vas[3] == (pytest.approx(7.0), 6, 6)
    assert vas[4] == (pytest.approx(4.0), 5, 1)
    assert vas[5] == (pytest.approx(7.0), 2, 2)
    assert vas[6] == (pytest.approx(6.0), 5, 5)
    assert vas[0] == (pytest.approx(106 / 18), 18, 6)


def test_carer_table_hides_small_counts_and_thin_averages(session, village, figures):
    table = report.build(village, 2025).table("mantelzorg")
    assert table.rows[2] == ["maart", "6", "6", "7,0"]
    # Five check-ins in April, but all by one carer: that average is one person's score.
    assert table.rows[3] == ["april", "< 5", "5", "afgeschermd"]
    assert table.rows[4] == ["mei", "< 5", "< 5", "afgeschermd"]
    assert table.rows[5] == ["juni", "< 5", "5", "6,0"]
    assert table.rows[0] == ["januari", "< 5", "< 5", "afgeschermd"]
    assert table.total == ["Totaal", "6", "18", "5,9"]


def test_a_lone_thin_average_takes_a_second_one_with_it(session, make, village, figures):
    """Fill every month with five carers' check-ins but April's lone carer: with the year's
    average shown, April's would follow from the others, so one more month is hidden."""
    from coop.reports.queries import months_of
    from coop.respite.models import CarerQolCheckin
    from tests.reports.conftest import local
    extra = [make.user(village) for _ in range(5)]
    session.flush()
    for m in months_of(2025):
        if m.number in (3, 4, 6):
            continue
        for person in extra:
            session.add(CarerQolCheckin(village_id=village.id, carer_id=person.id,
                                        taken_at=local(2025, m.number, 10, 10),
                                        vas=7 if m.number != 12 else 9, fulfilment=0, support=0, relational=0,
                                        mental_health=0, daily_activities=0, financial=0, physical_health=0))
    session.commit()
    rows = {row[0]: row[3] for row in report.build(village, 2025).table("mantelzorg").rows}
    hidden = [month for month, average in rows.items() if average == "afgeschermd"]
    assert "april" in hidden and len(hidden) == 2
    assert rows["december"] == "9,0"


def test_the_report_tables_show_counts_and_hide_small_ones(session, village, figures):
    built = report.build(village, 2025)
    month = built.table("maand")
    march, april, may = month.rows[2], month.rows[3], month.rows[4]
    assert march == ["maart", "12", "11", "92 %", "3,0", "< 5"]
    # April's 8 referrals beside the year's 8 would make every other month's "< 5" exactly 0.
    assert april == ["april", "15", "6", "40 %", "2,0", "afgeschermd"]
    assert may == ["mei", "< 5", "< 5", "afgeschermd", "afgeschermd", "< 5"]
    assert month.total == ["Totaal", "29", "18", "62 %", "2,0", "8"]
    cats = {row[0]: row for row in built.table("categorie").rows}
    assert cats["Boodschappen"][1:5] == ["13", "11", "85 %", "2,0"]
    assert cats["Hulp bij medicijnen"][1] == "< 5"
    # Referrals: 5 to the Wmo desk, 3 to home care. A destination below the threshold goes into
    # one row with the others (a row of its own would say "at least one"); with the total shown,
    # the 5 is hidden too, or the 3 would follow from 8 − 5.
    to = {row[0]: row[1] for row in built.table("verwijzingen").rows}
    assert to == {"Wmo-loket Zeist": "afgeschermd", "Overige bestemmingen": "< 5"}
    assert built.table("verwijzingen").total == ["Totaal", "8"]
    inzet = built.table("inzet")
    # March's 10 help hours beside the year's 10 would make every hidden month exactly 0 hours.
    assert inzet.rows[2][1:] == ["afgeschermd", "afgeschermd", "5"]
    assert inzet.rows[3][1:] == ["afgeschermd", "afgeschermd", "< 5"]
    assert inzet.rows[4][1:] == ["afgeschermd", "9", "6"]
    assert inzet.total == ["Totaal", "10", "15", "6"]
    split = {row[0]: row for row in built.table("schijf_van_vijf").rows}
    # Question 1's 17 and the party totals would pin the empty questions' "< 5" at 0: hidden.
    assert split["de inwoner zelf"][1] == "afgeschermd" and split["de inwoner zelf"][6:8] == ["17", "50 %"]
    assert split["vrijwilligers van de coöperatie"][4] == "afgeschermd"
    assert split["vrijwilligers van de coöperatie"][6:8] == ["6", "18 %"]
    assert split["de gemeente"][5:8] == ["5", "afgeschermd", "afgeschermd"]
    assert built.table("schijf_van_vijf").total[6] == "34"


def test_no_hidden_figure_follows_from_a_total(session, village, figures):
    """In every table, each line that adds up has no hidden figure or at least two."""
    built = report.build(village, 2025)
    grid = built.table("maand_categorie")
    lines = [row[1:] for row in grid.rows + [grid.total]]
    lines += [list(col) for col in zip(*[row[1:] for row in grid.rows + [grid.total]], strict=True)]
    for table_key, col in (("maand", 1), ("maand", 2), ("maand", 5), ("categorie", 1), ("categorie", 5)):
        t = built.table(table_key)
        lines.append([row[col] for row in t.rows] + [t.total[col]])
    t = built.table("verwijzingen")
    lines.append([row[1] for row in t.rows] + [t.total[1]])
    for line in lines:
        hidden = [v for v in line if v in ("< 5", "afgeschermd")]
        assert len(hidden) != 1, line


def test_the_threshold_is_per_village(session, village, figures):
    session.add(ReportSettings(village_id=village.id, small_count_threshold=3))
    session.flush()
    built = report.build(village, 2025)
    assert built.threshold == 3
    # Home care's 3 has a row of its own now; the empty "overige" row keeps the 5 hidden beside it.
    assert built.table("verwijzingen").rows == [["Wmo-loket Zeist", "afgeschermd"], ["Thuiszorg Heuvelrug", "3"],
                                                ["Overige bestemmingen", "< 3"]]
    assert built.table("maand").rows[4][1] == "< 3"


def test_csv_export_parses_and_matches_the_page(session, village, figures, client_as, coordinator):
    for key in ("maand", "categorie", "maand_categorie", "verwijzingen", "inzet", "mantelzorg", "schijf_van_vijf"):
        response = client_as(coordinator).get(f"/cijfers/dorp/{village.id}/{key}.csv?jaar=2025")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
        table = report.build(village, 2025).table(key)
        assert rows[0] == table.columns and rows[1:] == table.rows + [table.total]


def test_csv_and_page_of_another_village_are_refused(session, make, village, other_village, figures, client_as,
                                                     coordinator, municipality_user):
    stranger = make.user(other_village, R.MUNICIPALITY)
    session.commit()
    for user, target in ((coordinator, other_village), (municipality_user, other_village), (stranger, village)):
        for url in (f"/cijfers/dorp/{target.id}/maand.csv", f"/cijfers/dorp/{target.id}"):
            response = client_as(user).get(url)
            assert response.status_code == 403
            assert "alleen de cijfers van uw eigen dorp" in response.get_data(as_text=True)


def test_report_page_shows_charts_with_tables_and_no_names(session, village, figures, client_as, municipality_user,
                                                           resident):
    page = client_as(municipality_user).get(f"/cijfers/dorp/{village.id}?jaar=2025").get_data(as_text=True)
    assert page.count("<svg") == 3 and page.count("<table") == 10  # with the aids, attendance and member tables
    assert "Download deze tabel als CSV" in page and "Gemiddelde CarerQol-VAS" in page
    assert resident.last_name not in page and resident.street not in page
    assert "Zorgvlijt" not in page


def test_only_admin_sets_the_threshold_and_bad_values_change_nothing(session, village, client_as, admin, coordinator):
    assert client_as(coordinator).post(f"/cijfers/dorp/{village.id}/drempel",
                                       data={"threshold": "3"}).status_code == 403
    response = client_as(admin).post(f"/cijfers/dorp/{village.id}/drempel", data={"threshold": "1"})
    assert response.status_code == 422 and "van 3 tot en met 50" in response.get_data(as_text=True)
    assert session.get(ReportSettings, village.id) is None
    assert client_as(admin).post(f"/cijfers/dorp/{village.id}/drempel", data={"threshold": "7"}).status_code == 302
    assert report.threshold_for(village.id) == 7


def test_created_month_is_the_local_month_on_every_way_in(session, village, resident, make):
    from datetime import datetime

    from sqlalchemy import insert, select

    from coop.requests.models import HelpRequest
    cat = make.category(village, "boodschappen")
    # 31 March 22:30 UTC is 1 April 00:30 in Amsterdam.
    late_march_utc = datetime(2025, 3, 31, 22, 30, tzinfo=UTC)
    session.execute(insert(HelpRequest), [{"village_id": village.id, "resident_id": resident.id, "category_id": cat.id,
                                           "description": "bulk", "created_at": late_march_utc}])
    bulk = session.scalar(select(HelpRequest).where(HelpRequest.description == "bulk"))
    assert bulk.created_month == 202504
    bulk.created_at = datetime(2025, 2, 10, 12, tzinfo=UTC)
    session.flush()
    session.refresh(bulk)
    assert bulk.created_month == 202502


def test_niet_nodig_is_counted_apart_and_never_as_a_party(session, village, resident, figures, client_as,
                                                          coordinator):
    from coop.requests.models import FiveQuestionsAnswer, HelpRequest
    from tests.reports.conftest import local
    before = report.build(village, 2025).table("schijf_van_vijf")
    # Six more requests: question 2 "niet nodig" in all, question 5 in one (a small count).
    for i in range(6):
        req = HelpRequest(village_id=village.id, resident_id=resident.id, category_id=figures["boodschappen"].id,
                          description="Vraag", created_at=local(2025, 6, 2 + i, 10), status="new")
        req.five_questions = [FiveQuestionsAnswer(question=2, not_needed=True)]
        if i == 0:
            req.five_questions.append(FiveQuestionsAnswer(question=5, not_needed=True, note="Geen zorg nodig"))
        session.add(req)
    session.commit()
    table = report.build(village, 2025).table("schijf_van_vijf")
    parties = [row for row in table.rows if not row[0].startswith("niet nodig")]
    # The parties' counts, the total and every share are what they were.
    assert parties == before.rows[:-1] and table.total == before.total
    assert table.total[6] == "34"
    (line,) = [row for row in table.rows if row[0].startswith("niet nodig")]
    # 6 for question 2; the single one for question 5 is hidden among the empty questions.
    assert line == ["niet nodig (geen partij, niet in het totaal)", "< 5", "6", "< 5", "< 5", "< 5", "7", "–"]
    assert before.rows[-1][1:7] == ["< 5"] * 6  # none before
    response = client_as(coordinator).get(f"/cijfers/dorp/{village.id}/schijf_van_vijf.csv?jaar=2025")
    assert "niet nodig (geen partij, niet in het totaal);< 5;6;< 5;< 5;< 5;7;–" in response.text
    # The table's earlier name (rolverdeling) in a saved link leads to the same file and year.
    old = client_as(coordinator).get(f"/cijfers/dorp/{village.id}/rolverdeling.csv?jaar=2025")
    assert old.status_code == 301
    assert old.headers["Location"].endswith(f"/cijfers/dorp/{village.id}/schijf_van_vijf.csv?jaar=2025")
    assert client_as(coordinator).get(old.headers["Location"]).text == response.text
