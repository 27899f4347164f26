"""The message to a group: any feature's group (here "Alle leden" and a group this test
registers, as circles and activities do), a preview with the count per channel before
sending, one set of outbox rows per recipient sent once, and a print list for those without
e-mail."""
from __future__ import annotations

import secrets

import pytest
from sqlalchemy import func, select

from coop.core import outbox as O
from coop.core import registry
from coop.core import roles as R
from coop.core.calls import CallTask
from coop.followups import dispatcher
from coop.members.models import Broadcast
from coop.members.service import BROADCAST


@pytest.fixture
def circle(village, make, piet, bep):
    """A second group, registered the way another feature registers its own."""
    kees = make.user(village, R.RESIDENT, first_name="Kees", last_name="Bakker")
    kees.password_hash = None  # an address, but no login: mail only, no bell
    people = [bep, piet, kees]

    @registry.recipient_groups
    def source(v):
        return [registry.RecipientGroup("kring-1", "Telefooncirkel De Linde", lambda: list(people))] \
            if v.id == village.id else []
    yield people
    registry._group_sources.remove(source)


def _form(token: str, **extra) -> dict:
    return {"form_token": token, "group": "kring-1", "subject": "Koffieochtend vrijdag",
            "text": "Beste allemaal,\n\nVrijdag is er koffie in het dorpshuis.", **extra}


def _rows(session) -> tuple[int, int, int]:
    return (session.scalar(select(func.count(O.FollowUp.id)).where(O.FollowUp.kind == BROADCAST)),
            session.scalar(select(func.count(Broadcast.id))), session.scalar(select(func.count(CallTask.id))))


def test_the_coordinator_sees_the_count_per_channel_before_sending(app, session, village, coordinator, client_as,
                                                                   circle, join, bep, piet, smtp):
    client = client_as(coordinator)
    page = client.get("/leden/bericht").text
    assert "Alle leden" in page and "Telefooncirkel De Linde" in page
    token = secrets.token_urlsafe(24)
    preview = client.post("/leden/bericht", data=_form(token, voorbeeld="1"))
    assert preview.status_code == 200
    assert "Vrijdag is er koffie in het dorpshuis." in preview.text and "Beste Kees," in preview.text
    for line in ("3 mensen in totaal", "per e-mail: 2", "in de app (bij Meldingen): 1", "op papier, zonder e-mail: 1"):
        assert line in preview.text, line
    assert _rows(session) == (0, 0, 0)

    unconfirmed = client.post("/leden/bericht", data=_form(token, versturen="1"))
    assert unconfirmed.status_code == 422 and "Vink aan dat u het voorbeeld hebt gelezen." in unconfirmed.text
    assert _rows(session) == (0, 0, 0)

    sent = client.post("/leden/bericht", data=_form(token, versturen="1", confirmed="y"))
    assert sent.status_code == 302
    # Bep: mail and bell; Kees: mail; Piet: the in-app record, and the print list (no bellijst).
    assert _rows(session) == (4, 1, 0)
    again = client.post("/leden/bericht", data=_form(token, versturen="1", confirmed="y"))
    assert again.status_code == 302 and _rows(session) == (4, 1, 0)

    printed = client.get(sent.headers["Location"]).text
    assert "Piet Visser" in printed and piet.address_line in printed and "Bep Jansen" not in printed
    session.commit()
    dispatcher.run_until_idle()
    assert sorted(m["To"] for m in smtp.messages) == sorted([bep.email, circle[2].email])
    assert {m["Subject"] for m in smtp.messages} == {"Koffieochtend vrijdag"}
    assert "Vrijdag is er koffie" in smtp.messages[0].get_body(("plain",)).get_content()
    bell = client_as(bep).get("/meldingen").text
    assert "Koffieochtend vrijdag" in bell


def test_all_members_is_a_group_of_everyone_in_a_member_household(session, village, coordinator, join, bep, piet,
                                                                   make):
    from coop.members import broadcast
    stranger = make.user(village, R.RESIDENT)
    join(bep)
    join(piet, debit=False)
    group = broadcast.group(village, "leden")
    assert group.label == "Alle leden"
    assert {p.id for p in broadcast.reach(group, village).people} == {bep.id, piet.id}
    assert stranger.id not in {p.id for p in group.people()}


def test_a_message_needs_a_group_a_subject_and_a_text(session, village, coordinator, client_as, circle):
    response = client_as(coordinator).post("/leden/bericht", data=_form(secrets.token_urlsafe(24), group="niets",
                                                                        subject="", voorbeeld="1"))
    assert response.status_code == 422
    assert "Kies een groep uit de lijst." in response.text and "Vul het onderwerp in." in response.text
    assert _rows(session) == (0, 0, 0)


def test_the_phone_circles_and_the_coming_activities_are_groups_to_write_to(session, village, coordinator, bep,
                                                                             piet, client_as):
    """The real groups of the other features, as the coordinator sees them on the message page."""
    from datetime import time, timedelta
    from decimal import Decimal

    from coop.activities import service as activities
    from coop.circles import service as circles
    from coop.core.clock import local_now
    circle = circles.create_circle(village, name="Austerlitz Belt", start_time=time(9), confirm_by=time(10),
                                   members=[bep, piet], by=coordinator)
    meal = activities.create(village.id, activities.ActivityInput(
        kind="meal", title="Austerlitz Eet", on_date=local_now().date() + timedelta(days=5), start_time=time(17, 30),
        end_time=time(19, 0), venue="De Kapel", capacity=10, cost=Decimal("0")), by=coordinator)
    activities.sign_up(meal, bep, by=coordinator)
    session.flush()
    groups = {g.key: g for g in registry.groups_for(village)}
    assert {f"cirkel-{circle.id}", f"activiteit-{meal.id}"} <= set(groups)
    assert {p.id for p in groups[f"cirkel-{circle.id}"].people()} == {bep.id, piet.id}
    assert [p.id for p in groups[f"activiteit-{meal.id}"].people()] == [bep.id]
    page = client_as(coordinator).get("/leden/bericht").text
    assert "Telefooncirkel Austerlitz Belt" in page and "Austerlitz Eet" in page
