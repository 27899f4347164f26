"""Every form that creates something makes one row, however often the same form is sent."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coop.core import clock
from coop.core.models import FormSubmission, User
from coop.requests.models import HelpRequest
from tests.conftest import login_client
from tests.core.forms_world import MONDAY, build_world, create_cases, token


@pytest.fixture
def world(session, make):
    clock.freeze(MONDAY)
    yield build_world(session, make)
    clock.freeze(None)


def _client(app, world, role):
    user = world.role(role)
    return login_client(app, user) if user else app.test_client()


def test_the_table_covers_every_create_form(app):
    """A form class that carries a token is driven by a case in create_cases()."""
    from coop.core.forms import CreateForm

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)
    names = {c.__name__ for c in subclasses(CreateForm)}
    assert names >= {"PersonForm", "NewResidentForm", "RequestForm", "OnBehalfForm", "InfoForm",
                     "RespiteRequestForm", "CarerQolForm", "NewAgreementForm", "NewRowForm", "CommentForm",
                     "ManualHoursForm", "ProposeForm", "PickVolunteerForm", "SlotForm", "AbsenceForm",
                     "CompetenceForm", "CategoryForm", "DestinationForm", "VillageForm", "RegisterForm"}
    assert len(create_cases()) >= len(names) + 1  # the booking form books a series and one time


@pytest.mark.parametrize("case", create_cases(), ids=lambda c: c.name)
def test_five_identical_submits_make_one_result(app, session, world, case):
    data = {**case.data(world), case.token_field: token()}
    url = case.url(world)
    counts = [session.scalar(case.counts())]
    answers = []
    for _ in range(5):
        # A fresh client each time: a double click arrives before the first answer's cookie.
        answers.append(_client(app, world, case.role).post(url, data=data))
        counts.append(session.scalar(case.counts()))
    first, repeats = answers[0], answers[1:]
    assert first.status_code in (200, 302), first.get_data(as_text=True)[:2000]
    made = counts[1] - counts[0]
    assert made == 1 or (case.name == "booking" and made >= 1)
    assert counts[1:] == [counts[1]] * 5  # the repeats made nothing
    target = first.headers.get("Location") if first.status_code == 302 else None
    for answer in repeats:
        assert answer.status_code == 302
        assert target is None or answer.headers["Location"] == target
    if target is None:  # the booking answers with its page first, then points at the request
        assert repeats[0].headers["Location"].endswith(f"/respijt/aanvragen/{world.respite.id}")
    page = _client(app, world, case.role).get(repeats[-1].headers["Location"], follow_redirects=True)
    assert page.status_code == 200


def test_a_repeat_says_so_in_dutch(app, session, world):
    case = next(c for c in create_cases() if c.name == "hours")
    data = {**case.data(world), "form_token": token()}
    client = _client(app, world, "volunteer")
    client.post("/mijn-uren/nieuw", data=data)
    page = client.post("/mijn-uren/nieuw", data=data, follow_redirects=True).get_data(as_text=True)
    assert "Dit formulier was al verstuurd" in page


def test_a_refused_submit_leaves_the_token_free_for_the_corrected_form(app, session, world):
    case = next(c for c in create_cases() if c.name == "person")
    data = {**case.data(world), "form_token": token()}
    client = _client(app, world, "coordinator")
    before = session.scalar(select(func.count(User.id)))
    bad = client.post("/mensen/nieuw", data={**data, "email": world.resident.email})  # already in use
    assert bad.status_code == 422 and "al in gebruik" in bad.get_data(as_text=True)
    assert session.scalar(select(func.count(FormSubmission.token))) == 0
    assert client.post("/mensen/nieuw", data=data).status_code == 302
    assert session.scalar(select(func.count(User.id))) == before + 1


def test_someone_elses_or_a_malformed_token_is_refused_and_writes_nothing(app, session, world, make):
    data = {**create_cases()[0].data(world), "form_token": token()}
    assert _client(app, world, "coordinator").post("/mensen/nieuw", data=data).status_code == 302
    other = make.user(world.village, "coordinator")
    session.commit()
    before = session.scalar(select(func.count(User.id)))
    for client, sent in ((login_client(app, other), data), (_client(app, world, "coordinator"),
                                                           {**data, "form_token": "kort"}),
                         (_client(app, world, "coordinator"), {**data, "form_token": "\x00" * 30})):
        answer = client.post("/mensen/nieuw", data=sent)
        assert answer.status_code == 422
        assert "Het formulier is verlopen" in answer.get_data(as_text=True)
    assert session.scalar(select(func.count(User.id))) == before


def test_a_token_from_another_form_is_refused(app, session, world):
    sent = token()
    person = create_cases()[0]
    assert _client(app, world, "coordinator").post("/mensen/nieuw", data={**person.data(world),
                                                                          "form_token": sent}).status_code == 302
    case = next(c for c in create_cases() if c.name == "help request by phone")
    answer = _client(app, world, "coordinator").post(case.url(world), data={**case.data(world), "form_token": sent})
    assert answer.status_code == 422 and "Het formulier is verlopen" in answer.get_data(as_text=True)


def test_a_form_from_before_the_tokens_still_works(app, session, world):
    """A page rendered by the release before (no token field) is taken as a new submit."""
    case = next(c for c in create_cases() if c.name == "person")
    before = session.scalar(select(func.count(User.id)))
    assert _client(app, world, "coordinator").post("/mensen/nieuw", data=case.data(world)).status_code == 302
    assert session.scalar(select(func.count(User.id))) == before + 1


def test_every_rendered_create_form_carries_its_token(app, session, world):
    pages = {"coordinator": ["/mensen/nieuw", "/hulpvragen/namens", f"/hulpvragen/namens/{world.resident.id}",
                             f"/respijt/mantelzorgers/{world.carer.id}/aanvragen",
                             f"/respijt/mantelzorgers/{world.carer.id}/carerqol", "/afspraken/nieuw",
                             f"/afspraken/{world.agreement.id}", f"/hulpvragen/{world.searching.id}/koppelen",
                             f"/respijt/aanvragen/{world.respite.id}", f"/respijt/keren/{world.shift.id}",
                             f"/mensen/{world.volunteer.id}/vrijwilliger", "/beheer/categorieen",
                             f"/hulpvragen/{world.searching.id}"],
             "resident": ["/hulp-vragen", f"/hulpvragen/{world.searching.id}"],
             "carer": ["/mijn-respijt/aanvragen", "/hoe-gaat-het"],
             "volunteer": ["/mijn-uren/nieuw", "/beschikbaarheid"],
             "platform": ["/platform/dorpen/nieuw"], "anonymous": ["/aanmelden"]}
    for role, urls in pages.items():
        for url in urls:
            page = _client(app, world, role).get(url)
            assert page.status_code == 200, url
            assert 'form_token" type="hidden" value="' in page.get_data(as_text=True), url
    assert session.scalar(select(func.count(HelpRequest.id))) == 3  # looking wrote nothing


def test_tokens_are_kept_a_month(app, session, world):
    from datetime import timedelta

    from coop.core import registry
    from coop.core.once import forget_old_tokens
    case = create_cases()[0]
    data = {**case.data(world), "form_token": token()}
    assert _client(app, world, "coordinator").post("/mensen/nieuw", data=data).status_code == 302
    assert forget_old_tokens in registry.daily_jobs()
    assert forget_old_tokens(MONDAY + timedelta(days=29)) == 0
    assert forget_old_tokens(MONDAY + timedelta(days=31)) == 1
    assert session.scalar(select(func.count(FormSubmission.token))) == 0
