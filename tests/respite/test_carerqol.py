from datetime import timedelta

import pytest
from sqlalchemy import func, select

from coop.core import clock
from coop.core.errors import DomainError
from coop.respite import carerqol
from coop.respite.models import CarerQolCheckin

CALM = {"fulfilment": 2, "support": 2, "relational": 0, "mental_health": 1, "daily_activities": 1,
        "financial": 0, "physical_health": 0}


@pytest.mark.parametrize("answers, vas, previous, expected", [
    (CALM, 8, None, []),
    ({**CALM, "mental_health": 2}, 8, None, ["veel problemen: geestelijke gezondheid"]),
    ({**CALM, "fulfilment": 2, "support": 0}, 8, None, []),  # positive dimensions never flag
    (CALM, 5, None, ["voelt zich niet gelukkig (cijfer 5)"]),
    (CALM, 6, 8, ["cijfer gedaald van 8 naar 6"]),
    (CALM, 7, 8, []),
])
def test_flag_rules(answers, vas, previous, expected):
    assert carerqol.flag_reasons(answers, vas, previous) == expected


def test_submit_keeps_history_and_flags_a_drop(rcarer, rcoordinator, frozen):
    carerqol.submit(rcarer, by=rcarer, answers=CALM, vas=8)
    clock.freeze(frozen + timedelta(days=30))
    second = carerqol.submit(rcarer, by=rcoordinator, answers=CALM, vas=6)
    assert second.flag_reasons == ["cijfer gedaald van 8 naar 6"]
    assert [c.vas for c in carerqol.history(rcarer)] == [8, 6]
    flagged = carerqol.flagged_carers(rcarer.village_id)
    assert [f.carer.id for f in flagged] == [rcarer.id] and flagged[0].next_booked is None


def test_missing_answer_is_refused_and_writes_nothing(rcarer, session):
    with pytest.raises(DomainError, match="Kies een antwoord"):
        carerqol.submit(rcarer, by=rcarer, answers={**CALM, "financial": None}, vas=7)
    with pytest.raises(DomainError, match="cijfer van 0"):
        carerqol.submit(rcarer, by=rcarer, answers=CALM, vas=11)
    assert session.scalar(select(func.count()).select_from(CarerQolCheckin)) == 0


def test_carer_fills_in_and_coordinator_sees_the_flag(client_as, rcarer, rcoordinator, session):
    form = {name: "0" for name in CALM} | {"fulfilment": "1", "support": "1", "physical_health": "2", "vas": "4"}
    response = client_as(rcarer).post("/hoe-gaat-het", data=form)
    assert response.status_code == 302
    home = client_as(rcoordinator).get("/")
    assert "zwaar belast" in home.text and "Truus Visser" in home.text and "plan respijt" in home.text
    page = client_as(rcoordinator).get(f"/respijt/mantelzorgers/{rcarer.id}")
    assert "<svg" in page.text and "<table" in page.text and "lichamelijke gezondheid" in page.text


def test_incomplete_form_is_422_with_dutch_message(client_as, rcarer, session):
    response = client_as(rcarer).post("/hoe-gaat-het", data={"vas": "7"})
    assert response.status_code == 422 and "Kies een antwoord" in response.text
    assert session.scalar(select(func.count()).select_from(CarerQolCheckin)) == 0
