"""The pages per role: own versus others', village scoping, the inbox, the Schijf van Vijf."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from coop.core.clock import now
from coop.core.models import AuditLog

PAGES = ["/hulpvragen/{id}", "/hulpvragen/{id}/afspraken", "/hulpvragen/{id}/verstuurd"]
STAFF_PAGES = ["/hulpvragen", "/hulpvragen/namens", "/hulpvragen/{id}/schijf-van-vijf",
               "/hulpvragen/{id}/doorverwijzen"]


@pytest.mark.parametrize("url", PAGES)
def test_resident_sees_own_request_not_anothers(url, client_as, resident, make, village, new_request):
    own, other = new_request(resident), new_request(make.user(village))
    client = client_as(resident)
    assert client.get(url.format(id=own.id)).status_code == 200
    assert client.get(url.format(id=other.id)).status_code == 404


@pytest.mark.parametrize("role", ["volunteer", "professional", "municipality_user"])
@pytest.mark.parametrize("url", PAGES + STAFF_PAGES)
def test_helpers_and_gemeente_see_nothing_of_a_request(role, url, request, client_as, resident, new_request):
    req = new_request(resident, description="Geheime boodschappenlijst")
    response = client_as(request.getfixturevalue(role)).get(url.format(id=req.id))
    assert response.status_code == 403
    assert "Geheime" not in response.text and "Jansen" not in response.text


@pytest.mark.parametrize("url", PAGES + STAFF_PAGES[2:])
def test_coordinator_of_another_village_gets_404(url, client_as, make, other_village, new_request):
    stranger = make.user(other_village)
    req = new_request(stranger)
    from coop.core import roles as R
    coordinator = make.user(make.village(name="Huis ter Heide"), R.COORDINATOR)
    assert client_as(coordinator).get(url.format(id=req.id)).status_code == 404


def test_resident_pages_reject_staff_only_routes(client_as, resident, new_request):
    req = new_request(resident)
    client = client_as(resident)
    for url in STAFF_PAGES:
        assert client.get(url.format(id=req.id)).status_code == 403
    assert client.post(f"/hulpvragen/{req.id}/stap/start_intake").status_code == 403


def test_unknown_request_id_is_a_dutch_404(client_as, coordinator):
    response = client_as(coordinator).get("/hulpvragen/987654")
    assert response.status_code == 404 and "Pagina niet gevonden" in response.text
    assert client_as(coordinator).get("/hulpvragen/abc").status_code == 404


def test_my_requests_lists_only_mine_with_their_states(client_as, resident, make, village, new_request):
    new_request(resident, status="searching", description="mijn vraag")
    new_request(make.user(village), description="vraag van de buurman")
    page = client_as(resident).get("/mijn-hulpvragen").text
    assert "zoekt helper" in page and "Boodschappen" in page
    assert page.count('href="/hulpvragen/') == 1


def test_inbox_sorts_by_urgency_then_waiting_time(client_as, coordinator, resident, new_request, session):
    old_week = new_request(resident, urgency="week", created_at=now() - timedelta(days=5))
    new_today = new_request(resident, urgency="today", created_at=now() - timedelta(hours=1))
    old_today = new_request(resident, urgency="today", created_at=now() - timedelta(days=2))
    no_rush = new_request(resident, urgency="no_rush", created_at=now() - timedelta(days=20))
    new_request(resident, status="done")
    page = client_as(coordinator).get("/hulpvragen").text
    order = [page.index(f'data-request-id="{r.id}"') for r in (old_today, new_today, old_week, no_rush)]
    assert order == sorted(order)
    assert "2 dagen" in page and "20 dagen" in page  # the waiting clock
    assert "4 hulpvragen" in page  # done is not open


def test_inbox_filters(client_as, coordinator, resident, make, village, new_request):
    kerk = make.user(village, street="Kerkweg")
    a = new_request(resident, urgency="today", created_at=now() - timedelta(days=10))
    b = new_request(kerk, code="gezelschap", urgency="week")
    c = new_request(resident, status="done")
    client = client_as(coordinator)

    def ids(query):
        text = client.get("/hulpvragen?" + query).text
        return {r.id for r in (a, b, c) if f'data-request-id="{r.id}"' in text}
    assert ids("") == {a.id, b.id}
    assert ids("status=done") == {c.id}
    assert ids("status=all") == {a.id, b.id, c.id}
    assert ids(f"soort={make.category(village, 'gezelschap').id}") == {b.id}
    assert ids("urgentie=today") == {a.id}
    assert ids("straat=kerk") == {b.id}
    assert ids("wacht=7") == {a.id}
    assert ids("status=nonsense&urgentie=x&wacht=5&soort=abc") == {a.id, b.id}  # ignored, not an error


def test_inbox_counts_per_status_and_village_scoping(client_as, coordinator, resident, make, other_village,
                                                     new_request):
    new_request(resident, status="searching")
    new_request(resident, status="searching")
    new_request(make.user(other_village), status="searching", description="ander dorp")
    page = client_as(coordinator).get("/hulpvragen").text
    assert "zoekt helper: <strong>2</strong>" in page
    assert "ander dorp" not in page


def test_coordinator_home_panel_shows_counts_and_most_urgent(client_as, coordinator, resident, new_request):
    for i in range(7):
        new_request(resident, urgency="today" if i == 6 else "no_rush")
    page = client_as(coordinator).get("/").text
    assert "Eerst aan de beurt" in page and "nieuw: <strong>7</strong>" in page
    assert page.count("voor Bep Jansen</a>") == 5
    assert 'href="/hulpvragen"' in page


def test_resident_nav_and_panel(client_as, resident):
    page = client_as(resident).get("/").text
    assert 'href="/hulp-vragen"' in page and 'href="/mijn-hulpvragen"' in page
    assert 'href="/hulpvragen">' not in page


def test_detail_page_shows_actions_of_its_state_and_logs_the_access(client_as, coordinator, resident, new_request,
                                                                    session):
    req = new_request(resident, status="intake")
    page = client_as(coordinator).get(f"/hulpvragen/{req.id}").text
    assert "Helper zoeken" in page and "Doorverwijzen" in page and "Hulpvraag stoppen" in page
    assert "Annuleren" not in page
    assert "Gesprek starten" not in page and "Afronden" not in page
    assert session.scalar(select(AuditLog).where(AuditLog.action == "request.viewed")).subject_user_id == resident.id


def test_step_moves_the_request_with_a_note(client_as, coordinator, resident, new_request, session):
    req = new_request(resident)
    response = client_as(coordinator).post(f"/hulpvragen/{req.id}/stap/start_intake", data={"note": "gebeld"})
    assert response.status_code == 302
    assert req.status == "intake" and req.events[-1].note == "gebeld" and req.events[-1].actor_id == coordinator.id


def test_step_from_the_wrong_state_is_refused_with_a_message(client_as, coordinator, resident, new_request, session,
                                                             counts):
    req = new_request(resident, status="done")
    session.commit()
    before = counts()
    client = client_as(coordinator)
    response = client.post(f"/hulpvragen/{req.id}/stap/start_intake", follow_redirects=True)
    assert "Dit kan niet: de hulpvraag is nu &#39;afgerond&#39;" in response.text
    assert counts() == before
    session.refresh(req)
    assert req.status == "done"
    assert client.post(f"/hulpvragen/{req.id}/stap/match").status_code == 404  # not a button here


def test_municipal_request_offers_refer_not_search(client_as, coordinator, resident, new_request):
    req = new_request(resident, code="woningaanpassing")
    page = client_as(coordinator).get(f"/hulpvragen/{req.id}").text
    assert "Dit hoort bij de gemeente" in page and "Helper zoeken" not in page and "Doorverwijzen" in page


def test_refer_form(client_as, coordinator, resident, new_request, session, counts, make, village):
    req = new_request(resident, code="woningaanpassing")
    wmo = make.destination(village, "Wmo-loket")
    session.commit()
    client = client_as(coordinator)
    before = counts()
    bad = client.post(f"/hulpvragen/{req.id}/doorverwijzen", data={"referred_to": "", "referral_reason": "traplift"})
    assert bad.status_code == 422 and '<a href="#referred_to">Vul in naar wie u doorverwijst.</a>' in bad.text
    assert counts() == before
    ok = client.post(f"/hulpvragen/{req.id}/doorverwijzen",
                     data={"referred_to": str(wmo.id), "referral_reason": "traplift"})
    assert ok.status_code == 302 and req.status == "referred"
    assert "Wmo-loket: traplift" in client.get(f"/hulpvragen/{req.id}").text


def _split(**kw):
    data = {f"note_{q}": "" for q in range(1, 6)} | {f"party_{q}": "" for q in range(1, 6)}
    data.update(kw)
    return data


def test_schijf_van_vijf_is_stored_per_line_shown_and_printable(client_as, coordinator, resident, new_request):
    req = new_request(resident)
    client = client_as(coordinator)
    response = client.post(f"/hulpvragen/{req.id}/schijf-van-vijf", data=_split(
        note_1="Wil zelf koken", party_1="resident", note_3="Dochter doet de was", party_3="family"))
    assert response.status_code == 302
    assert [(line.question, line.party, line.note) for line in req.five_questions] == [
        (1, "resident", "Wil zelf koken"), (3, "family", "Dochter doet de was")]
    assert req.events[-1].action == "role_split"
    assert "familie en netwerk" in client.get(f"/hulpvragen/{req.id}").text
    printable = client.get(f"/hulpvragen/{req.id}/afspraken").text
    assert "Afspraken: wie doet wat" in printable and "Wil zelf koken" in printable and "Handtekening" in printable
    # Updating replaces: question 3 emptied, question 5 added.
    client.post(f"/hulpvragen/{req.id}/schijf-van-vijf", data=_split(
        note_1="Wil zelf koken", party_1="resident", note_5="Wijkverpleging wondzorg", party_5="professional"))
    assert [line.question for line in req.five_questions] == [1, 5]
    # the request page joins its lines (requests/views.py): each once, in the questions' order
    page = client.get(f"/hulpvragen/{req.id}").text
    assert page.count("Wil zelf koken") == 1 and page.count("Wijkverpleging wondzorg") == 1
    assert page.index("Wil zelf koken") < page.index("Wijkverpleging wondzorg")
    # under the page's own "Schijf van Vijf" heading the table's caption is for screen readers
    assert 'govuk-visually-hidden">Wie doet wat (Schijf van Vijf)</caption>' in page
    assert 'govuk-table__caption--m">Wie doet wat (Schijf van Vijf)</caption>' in \
        client_as(resident).get(f"/hulpvragen/{req.id}").text
    assert client_as(resident).get(f"/hulpvragen/{req.id}/afspraken").status_code == 200


@pytest.mark.parametrize("data,field,message", [
    (_split(note_1="Zelf koken"), "party_1", "Kies wie dit op zich neemt."),
    (_split(party_2="family"), "note_2", "Schrijf kort op wat er gebeurt."),
    (_split(note_1="x" * 501, party_1="resident"), "note_1", "hoogstens 500 tekens"),
    (_split(note_1="Zelf", party_1="buurkat"), "party_1", "Kies een partij uit de lijst."),
    (_split(), None, "Vul minstens één van de vijf vragen in."),
])
def test_schijf_van_vijf_bad_input(data, field, message, client_as, coordinator, resident, new_request, counts,
                                   session):
    req = new_request(resident)
    session.commit()
    before = counts()
    response = client_as(coordinator).post(f"/hulpvragen/{req.id}/schijf-van-vijf", data=data)
    assert response.status_code == 422 and message in response.text
    if field:
        assert f'<a href="#{field}">' in response.text
    assert counts() == before


def test_resident_adds_information_and_withdraws(client_as, resident, new_request):
    req = new_request(resident, status="searching")
    client = client_as(resident)
    client.post(f"/hulpvragen/{req.id}/aanvullen", data={"text": "Liever 's middags"})
    assert req.events[-1].note == "Liever 's middags"
    client.post(f"/hulpvragen/{req.id}/intrekken", data={"note": ""})
    assert req.status == "cancelled"
    page = client.get(f"/hulpvragen/{req.id}").text
    assert "Hulpvraag intrekken" not in page and "Liever &#39;s middags" in page


def test_resident_cannot_withdraw_matched_or_touch_anothers(client_as, resident, make, village, new_request, session,
                                                            counts):
    matched = new_request(resident, status="matched")
    other = new_request(make.user(village))
    session.commit()
    client = client_as(resident)
    before = counts()
    page = client.post(f"/hulpvragen/{matched.id}/intrekken", follow_redirects=True).text
    assert "niet meer zelf intrekken" in page
    assert client.post(f"/hulpvragen/{other.id}/intrekken").status_code == 404
    assert client.post(f"/hulpvragen/{other.id}/aanvullen", data={"text": "hoi"}).status_code == 404
    assert counts() == before
    session.refresh(matched)
    assert matched.status == "matched"


def test_empty_information_shows_a_message(client_as, resident, new_request, session, counts):
    req = new_request(resident)
    session.commit()
    before = counts()
    page = client_as(resident).post(f"/hulpvragen/{req.id}/aanvullen", data={"text": " "}, follow_redirects=True).text
    assert "Schrijf op wat u wilt toevoegen." in page
    assert counts() == before


def test_resident_does_not_see_the_coordinators_notes(client_as, resident, coordinator, new_request):
    from coop.requests import service
    req = new_request(resident)
    service.start_intake(req, by=coordinator, note="interne notitie over de familie")
    page = client_as(resident).get(f"/hulpvragen/{req.id}").text
    assert "gesprek gestart" in page and "interne notitie" not in page



def test_niet_nodig_is_a_clear_answer_stored_shown_and_printed(client_as, coordinator, resident, new_request):
    req = new_request(resident)
    client = client_as(coordinator)
    form = client.get(f"/hulpvragen/{req.id}/schijf-van-vijf").text
    assert 'name="not_needed_2" type="checkbox"' in form and "Niet nodig (vraag 2)" in form
    response = client.post(f"/hulpvragen/{req.id}/schijf-van-vijf", data=_split(
        note_1="Wil zelf koken", party_1="resident", not_needed_2="y",
        not_needed_4="y", note_4="Buren helpen al genoeg"))
    assert response.status_code == 302
    assert [(line.question, line.party, line.not_needed, line.note) for line in req.five_questions] == [
        (1, "resident", False, "Wil zelf koken"), (2, None, True, ""), (4, None, True, "Buren helpen al genoeg")]
    page = client.get(f"/hulpvragen/{req.id}").text
    assert page.count("<strong>niet nodig</strong>") == 2 and "Buren helpen al genoeg" in page
    printable = client.get(f"/hulpvragen/{req.id}/afspraken").text
    assert printable.count("<strong>niet nodig</strong>") == 2
    assert client_as(resident).get(f"/hulpvragen/{req.id}/afspraken").text.count("<strong>niet nodig</strong>") == 2
    # The form shows what was stored; changing "niet nodig" into a party clears it.
    again = client.get(f"/hulpvragen/{req.id}/schijf-van-vijf").text
    assert 'name="not_needed_2" type="checkbox" value="y" checked' in again
    client.post(f"/hulpvragen/{req.id}/schijf-van-vijf", data=_split(
        note_1="Wil zelf koken", party_1="resident", note_2="Een rollator", party_2="organisation"))
    assert [(line.question, line.party, line.not_needed) for line in req.five_questions] == [
        (1, "resident", False), (2, "organisation", False)]


def test_niet_nodig_alone_is_an_answer(client_as, coordinator, resident, new_request):
    req = new_request(resident)
    response = client_as(coordinator).post(f"/hulpvragen/{req.id}/schijf-van-vijf", data=_split(not_needed_5="y"))
    assert response.status_code == 302
    assert [(line.question, line.party, line.not_needed) for line in req.five_questions] == [(5, None, True)]


def test_niet_nodig_and_a_party_together_are_refused(client_as, coordinator, resident, new_request, counts, session):
    req = new_request(resident)
    session.commit()
    before = counts()
    response = client_as(coordinator).post(f"/hulpvragen/{req.id}/schijf-van-vijf", data=_split(
        note_3="Dochter doet de was", party_3="family", not_needed_3="y"))
    assert response.status_code == 422 and '<a href="#party_3">' in response.text
    assert "Kies wie dit op zich neemt, of vink &#39;niet nodig&#39; aan; niet allebei." in response.text
    assert counts() == before


def test_the_database_refuses_a_niet_nodig_line_with_a_party(session, resident, new_request):
    import sqlalchemy.exc

    from coop.requests.models import FiveQuestionsAnswer
    req = new_request(resident)
    with pytest.raises(sqlalchemy.exc.IntegrityError), session.begin_nested():
        req.five_questions.append(FiveQuestionsAnswer(question=2, note="", party="family", not_needed=True))
        session.flush()
