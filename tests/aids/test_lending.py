"""Lending, returning and extending; what is refused (in Dutch, writing nothing); who sees what."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from coop.aids import queries, service
from coop.aids.models import LENT, RESERVED, RETURNED, AidLoan
from coop.core import roles as R
from coop.core.errors import DomainError
from coop.core.forms import new_form_token
from tests.aids.conftest import TODAY


def _dates(prefix: str, day: date) -> dict:
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def _lend_form(resident, start: date = TODAY, due: date = TODAY + timedelta(weeks=6), **extra) -> dict:
    return {"form_token": new_form_token(), "resident": str(resident.id), **_dates("starts_on", start),
            **_dates("due_on", due), **extra}


def _loans(session) -> int:
    return session.scalar(select(func.count(AidLoan.id)))


def test_lend_return_and_extend_through_the_pages(session, client_as, coordinator, resident, rollator):
    client = client_as(coordinator)
    answer = client.post(f"/hulpmiddelen/{rollator.id}/uitlenen", data=_lend_form(resident, notes="Met mandje"))
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/hulpmiddelen/{rollator.id}")
    loan = session.scalar(select(AidLoan))
    assert (loan.status, loan.resident_id, loan.starts_on, loan.due_on) == (LENT, resident.id, TODAY,
                                                                           date(2026, 4, 27))
    assert loan.lent_month == 202603 and loan.notes == "Met mandje"
    page = client.get(f"/hulpmiddelen/{rollator.id}").text
    assert "Bep Jansen" in page and "27 april 2026" in page and "uitgeleend" in page

    extended = client.post(f"/hulpmiddelen/uitleningen/{loan.id}/verlengen", data=_dates("due_on", date(2026, 5, 25)))
    assert extended.status_code == 302
    session.refresh(loan)
    assert loan.due_on == date(2026, 5, 25) and loan.first_due_on == date(2026, 4, 27) and loan.extended
    assert "verlengd; eerst 27 april 2026" in client.get(f"/hulpmiddelen/{rollator.id}").text

    back = client.post(f"/hulpmiddelen/uitleningen/{loan.id}/terug",
                       data={**_dates("returned_on", TODAY), "condition": "repair", "notes": "Rem los"})
    assert back.status_code == 302
    session.refresh(loan)
    session.refresh(rollator)
    assert (loan.status, loan.returned_on, loan.return_condition, loan.open_item_id) == (RETURNED, TODAY, "repair",
                                                                                        None)
    assert rollator.condition == "repair"  # the item's state is what came back
    history = client.get(f"/hulpmiddelen/{rollator.id}").text
    assert "teruggebracht" in history and "moet nagekeken of gerepareerd" in history and "Rem los" in history


def test_a_reservation_for_the_same_resident_becomes_the_loan(session, coordinator, resident, rollator):
    reservation = service.reserve(rollator, resident, starts_on=TODAY + timedelta(days=2),
                                  due_on=TODAY + timedelta(weeks=4), by=coordinator)
    loan = service.lend(rollator, resident, starts_on=TODAY, due_on=TODAY + timedelta(weeks=5), by=coordinator)
    assert loan is reservation and loan.status == LENT and loan.due_on == TODAY + timedelta(weeks=5)
    assert _loans(session) == 1


@pytest.mark.parametrize("data, field, message", [
    ({"due": TODAY - timedelta(days=1)}, "due_on", "De einddatum ligt voor de begindatum"),
    ({"due": TODAY + timedelta(days=800)}, "due_on", "Kies een datum binnen twee jaar vanaf vandaag."),
    ({"start": TODAY - timedelta(days=400)}, "starts_on", "Kies een datum in het afgelopen jaar."),
    ({"resident": None}, "resident", "Kies aan wie u het hulpmiddel uitleent."),
])
def test_bad_input_gets_a_dutch_message_and_writes_nothing(session, client_as, coordinator, resident, rollator, data,
                                                          field, message):
    form = _lend_form(resident, start=data.get("start", TODAY), due=data.get("due", TODAY + timedelta(weeks=6)))
    if "resident" in data:
        form["resident"] = ""
    before = _loans(session)
    answer = client_as(coordinator).post(f"/hulpmiddelen/{rollator.id}/uitlenen", data=form)
    assert answer.status_code == 422
    assert message in answer.text and f'id="{field}' in answer.text
    assert _loans(session) == before


def test_an_item_is_not_lent_twice_nor_while_reserved_for_someone_else(session, client_as, coordinator, resident,
                                                                       make, village, rollator, chair):
    other = make.user(village, first_name="Riek", last_name="Mulder")
    service.lend(rollator, resident, starts_on=TODAY, due_on=TODAY + timedelta(weeks=2), by=coordinator)
    service.reserve(chair, resident, starts_on=TODAY, due_on=TODAY + timedelta(weeks=2), by=coordinator)
    session.commit()
    before = _loans(session)
    client = client_as(coordinator)
    twice = client.post(f"/hulpmiddelen/{rollator.id}/uitlenen", data=_lend_form(other))
    assert twice.status_code == 422
    assert "Rollator R-01 is al uitgeleend aan Bep Jansen, tot 30 maart 2026." in twice.text
    reserved = client.post(f"/hulpmiddelen/{chair.id}/uitlenen", data=_lend_form(other))
    assert reserved.status_code == 422 and "Douchestoel D-01 is gereserveerd voor Bep Jansen" in reserved.text
    assert _loans(session) == before
    with pytest.raises(DomainError, match="is gereserveerd voor Bep Jansen"):
        service.reserve(chair, other, starts_on=TODAY, due_on=TODAY, by=coordinator)
    with pytest.raises(DomainError, match="is al gereserveerd voor Bep Jansen"):
        service.reserve(chair, resident, starts_on=TODAY, due_on=TODAY, by=coordinator)


def test_the_unique_key_stops_a_second_open_loan_even_past_the_checks(session, coordinator, resident, rollator):
    """What two requests at the same moment could do if both passed the check: the key refuses."""
    service.lend(rollator, resident, starts_on=TODAY, due_on=TODAY, by=coordinator)
    with pytest.raises(DomainError, match="net door iemand anders"):
        service._insert(AidLoan(village_id=rollator.village_id, item=rollator, open_item_id=rollator.id,
                                resident=resident, status=LENT, starts_on=TODAY, due_on=TODAY, first_due_on=TODAY),
                        rollator)


def test_an_item_to_repair_is_not_lent_and_a_return_and_extension_check_their_dates(session, coordinator, resident,
                                                                                   rollator, chair):
    chair.condition = "repair"
    with pytest.raises(DomainError, match="moet eerst worden nagekeken"):
        service.lend(chair, resident, starts_on=TODAY, due_on=TODAY, by=coordinator)
    loan = service.lend(rollator, resident, starts_on=TODAY, due_on=TODAY + timedelta(weeks=2), by=coordinator)
    with pytest.raises(DomainError, match="Kies een datum na de huidige einddatum"):
        service.extend(loan, due_on=TODAY + timedelta(weeks=1), by=coordinator)
    with pytest.raises(DomainError, match="in de toekomst"):
        service.record_return(loan, returned_on=TODAY + timedelta(days=1), condition="good", by=coordinator)
    with pytest.raises(DomainError, match="ging pas op"):
        service.record_return(loan, returned_on=TODAY - timedelta(days=1), condition="good", by=coordinator)
    assert loan.status == LENT and loan.due_on == TODAY + timedelta(weeks=2)


def test_the_same_label_twice_in_a_village_is_refused(session, client_as, coordinator, rollator):
    answer = client_as(coordinator).post("/hulpmiddelen/nieuw", data={
        "form_token": new_form_token(), "kind": "rolstoel", "label": "R-01", "condition": "good"})
    assert answer.status_code == 422 and "Er is al een hulpmiddel met nummer R-01." in answer.text


def test_stock_filters_by_kind_and_status_and_who_has_what_lists_overdue_first(session, client_as, coordinator,
                                                                               resident, make, village, rollator,
                                                                               chair):
    late = service.add_item(village.id, kind="rolstoel", label="RS-01", condition="good", by=coordinator)
    piet = make.user(village, first_name="Piet", last_name="Visser")
    service.lend(rollator, resident, starts_on=TODAY, due_on=TODAY + timedelta(weeks=2), by=coordinator)
    service.lend(late, piet, starts_on=TODAY - timedelta(days=30), due_on=TODAY - timedelta(days=2), by=coordinator)
    client = client_as(coordinator)
    free = client.get("/hulpmiddelen/?status=free").text
    assert "Douchestoel D-01" in free and "Rollator R-01" not in free
    overdue = client.get("/hulpmiddelen/?status=overdue").text
    assert "Rolstoel RS-01" in overdue and "Rollator R-01" not in overdue and "te laat terug" in overdue
    rollators = client.get("/hulpmiddelen/?soort=rollator").text
    assert "Rollator R-01" in rollators and "Douchestoel" not in rollators.split("<table")[1]
    listed = client.get("/hulpmiddelen/uitgeleend").text
    assert listed.index("Piet Visser") < listed.index("Bep Jansen")  # the overdue first
    home = client.get("/").text
    assert "Te laat terug" in home and "Rolstoel RS-01" in home and "Piet Visser" in home


def test_another_villages_item_and_loan_are_out_of_reach(session, client_as, make, other_village, coordinator,
                                                         resident, rollator):
    loan = service.lend(rollator, resident, starts_on=TODAY, due_on=TODAY, by=coordinator)
    stranger = make.user(other_village, R.COORDINATOR)
    client = client_as(stranger)
    for url in (f"/hulpmiddelen/{rollator.id}", f"/hulpmiddelen/{rollator.id}/uitlenen",
                f"/hulpmiddelen/uitleningen/{loan.id}/verlengen", f"/hulpmiddelen/uitleningen/{loan.id}/terug"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/hulpmiddelen/uitleningen/{loan.id}/terug",
                       data={**_dates("returned_on", TODAY), "condition": "good"}).status_code == 404
    assert "R-01" not in client.get("/hulpmiddelen/").text
    # Nor can a coordinator lend to another village's resident by typing their id.
    outsider = make.user(other_village, first_name="Els", last_name="Elders")
    chair = service.add_item(rollator.village_id, kind="douchestoel", label="D-09", condition="good", by=coordinator)
    answer = client_as(coordinator).post(f"/hulpmiddelen/{chair.id}/uitlenen", data=_lend_form(outsider))
    assert answer.status_code == 422 and service.open_loan(chair) is None


def test_a_resident_sees_their_own_loans_on_their_home_and_no_one_elses(session, client_as, coordinator, resident,
                                                                       make, village, rollator, chair):
    neighbour = make.user(village, first_name="Riek", last_name="Mulder")
    service.lend(rollator, resident, starts_on=TODAY, due_on=date(2026, 4, 27), by=coordinator)
    service.lend(chair, neighbour, starts_on=TODAY, due_on=date(2026, 5, 4), by=coordinator)
    page = client_as(resident).get("/").text
    assert "Geleend van de coöperatie" in page and "Rollator (R-01)" in page and "27 april 2026" in page
    assert "D-01" not in page and "4 mei 2026" not in page
    assert queries.of_resident(resident.id)[0].item_id == rollator.id
    assert client_as(resident).get(f"/hulpmiddelen/{rollator.id}").status_code == 403
    assert client_as(resident).get("/hulpmiddelen/").status_code == 403


def test_a_cancelled_reservation_frees_the_item(session, client_as, coordinator, resident, rollator):
    reservation = service.reserve(rollator, resident, starts_on=TODAY, due_on=TODAY, by=coordinator)
    client = client_as(coordinator)
    page = client.get(f"/hulpmiddelen/uitleningen/{reservation.id}/afzeggen").text
    assert "Reservering afzeggen?" in page and "Bep Jansen" in page
    assert client.post(f"/hulpmiddelen/uitleningen/{reservation.id}/afzeggen").status_code == 302
    session.refresh(reservation)
    assert reservation.status == "cancelled" and reservation.open_item_id is None
    assert [i.id for i in queries.free_items(rollator.village_id)] == [rollator.id]
    assert RESERVED not in {line.state for line in queries.stock(rollator.village_id)}


def test_a_residents_home_shows_their_loans_and_asks_for_none_when_there_are_none(session, app, client_as,
                                                                                   coordinator, resident, rollator):
    """Most residents have nothing on loan: the count is read with the login, and the home page
    asks for the loans themselves only when there are some."""
    from coop.extensions import db
    from tests.support.queries import RequestQueries
    client = client_as(resident)
    recorded = RequestQueries(app, db.engine)
    try:
        home = client.get("/").text
        assert "Geleend van de coöperatie" not in home
        assert not [s for s in recorded.last if "FROM aid_loans" in s and "count(" not in s]
        service.lend(rollator, resident, starts_on=TODAY, due_on=TODAY + timedelta(weeks=2), by=coordinator)
        home = client.get("/").text
        assert "Geleend van de coöperatie" in home and "Rollator (R-01)" in home
        assert [s for s in recorded.last if "FROM aid_loans" in s and "count(" not in s]
    finally:
        recorded.close()
