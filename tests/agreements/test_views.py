"""The agreement pages: the workflow through the web, and bad input refused with nothing changed."""
from sqlalchemy import func, select

from coop.agreements.models import AGREED, AgreementEvent, RowComment, SignOff
from coop.core import roles as R
from tests.agreements.conftest import agree


def rows(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_coordinator_creates_an_agreement_through_the_form(session, client_as, coordinator):
    client = client_as(coordinator)
    response = client.post("/afspraken/nieuw", data={
        "title": "Afspraken 2027", "starts_on": "01-01-2027", "ends_on": "31-12-2027",
        "review_on": "01-07-2027", "cooperative_contact": "", "municipality_contact": ""})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Afspraken 2027" in page and "Boodschappen" in page and "Woningaanpassing (Wmo)" in page


def test_bad_dates_are_shown_on_the_form_and_nothing_is_made(session, client_as, coordinator):
    from coop.agreements.models import Agreement
    response = client_as(coordinator).post("/afspraken/nieuw", data={
        "title": "X", "starts_on": "01-06-2027", "ends_on": "01-01-2027", "review_on": "gisteren"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Vul een datum in als dd-mm-jjjj" in page
    assert rows(session, Agreement) == 0


def test_the_matrix_row_is_saved_with_roles_and_notes(session, client_as, coordinator, agreement):
    row = agreement.latest.rows[0]
    data = {"domain": "Boodschappen", "funding": "subsidie", "note": "Ook online",
            **{f"role_{p}": "" for p in ("resident", "family", "coordinator", "professional", "municipality")},
            "role_volunteer": "does", "note_volunteer": "samen naar de winkel"}
    response = client_as(coordinator).post(f"/afspraken/{agreement.id}/onderwerp/{row.id}", data=data)
    assert response.status_code == 302
    session.expire_all()
    assert row.cell("volunteer").role == "does" and row.cell("volunteer").note == "samen naar de winkel"
    page = client_as(coordinator).get(f"/afspraken/{agreement.id}").get_data(as_text=True)
    assert "voert uit" in page and "samen naar de winkel" in page


def test_editing_an_agreed_version_in_place_is_refused(session, client_as, coordinator, municipality_user, agreement):
    agree(agreement.latest, coordinator, municipality_user)
    session.commit()
    row = agreement.latest.rows[0]
    events = rows(session, AgreementEvent)
    response = client_as(coordinator).post(f"/afspraken/{agreement.id}/onderwerp/{row.id}", data={
        "domain": "Anders", "role_volunteer": "does"})
    assert response.status_code == 422
    assert "afgesproken en kan niet meer worden gewijzigd" in response.get_data(as_text=True)
    session.expire_all()
    assert row.domain == "Boodschappen" and row.cell("volunteer").role is None
    assert rows(session, AgreementEvent) == events


def test_signing_twice_is_refused_with_a_message(session, client_as, coordinator, agreement):
    client = client_as(coordinator)
    client.post(f"/afspraken/{agreement.id}/stap/voorstellen", data={"note": ""})
    assert client.post(f"/afspraken/{agreement.id}/tekenen", data={"name": "Marieke van Dam"}).status_code == 302
    before = rows(session, SignOff)
    response = client.post(f"/afspraken/{agreement.id}/tekenen", data={"name": "Marieke van Dam"})
    assert response.status_code == 422
    assert "al getekend" in response.get_data(as_text=True)
    assert rows(session, SignOff) == before == 1


def test_comment_on_a_row_that_does_not_exist_is_refused(session, client_as, coordinator, municipality_user, agreement):
    client_as(coordinator).post(f"/afspraken/{agreement.id}/stap/voorstellen", data={})
    before = (rows(session, RowComment), rows(session, AgreementEvent))
    response = client_as(municipality_user).post(f"/afspraken/{agreement.id}/opmerking",
                                                 data={"row_id": "987654", "text": "Hoe zit dit?"})
    assert response.status_code == 422
    assert "Dit onderwerp bestaat niet" in response.get_data(as_text=True)
    assert (rows(session, RowComment), rows(session, AgreementEvent)) == before


def test_the_gemeente_comments_asks_for_changes_and_signs(session, client_as, coordinator, municipality_user,
                                                          agreement):
    version = agreement.latest
    client_as(coordinator).post(f"/afspraken/{agreement.id}/stap/voorstellen", data={"note": "Graag uw reactie"})
    gemeente = client_as(municipality_user)
    meals = version.rows[5]
    assert gemeente.post(f"/afspraken/{agreement.id}/opmerking",
                         data={"row_id": str(meals.id), "text": "Wie betaalt dit?"}).status_code == 302
    assert gemeente.post(f"/afspraken/{agreement.id}/stap/wijzigingen-vragen",
                         data={"note": "Zie maaltijden"}).status_code == 302
    session.expire_all()
    assert version.status == "draft"
    page = gemeente.get(f"/afspraken/{agreement.id}").get_data(as_text=True)
    assert "Wie betaalt dit?" in page and "wijzigingen gevraagd" in page
    client_as(coordinator).post(f"/afspraken/{agreement.id}/stap/voorstellen", data={})
    gemeente.post(f"/afspraken/{agreement.id}/tekenen", data={"name": "A. El Amrani"})
    client_as(coordinator).post(f"/afspraken/{agreement.id}/tekenen", data={"name": "M. van Dam"})
    session.expire_all()
    assert version.status == AGREED


def test_a_gemeente_user_of_another_gemeente_gets_nothing(session, make, client_as, other_village, agreement,
                                                          coordinator):
    client_as(coordinator).post(f"/afspraken/{agreement.id}/stap/voorstellen", data={})
    stranger = make.user(other_village, R.MUNICIPALITY)
    session.commit()
    client = client_as(stranger)
    for url in (f"/afspraken/{agreement.id}", f"/afspraken/{agreement.id}/versie/1/afdrukken",
                f"/afspraken/{agreement.id}/vergelijken"):
        response = client.get(url)
        assert response.status_code == 404
        assert "hoort niet bij uw dorp en gemeente" in response.get_data(as_text=True)
    before = rows(session, SignOff)
    assert client.post(f"/afspraken/{agreement.id}/tekenen", data={"name": "X"}).status_code == 404
    assert rows(session, SignOff) == before
    assert agreement.title not in client.get("/afspraken/").get_data(as_text=True)


def test_other_roles_do_not_reach_agreements(session, client_as, resident, volunteer, agreement):
    for user in (resident, volunteer):
        assert client_as(user).get(f"/afspraken/{agreement.id}").status_code == 403
        assert client_as(user).get("/afspraken/").status_code == 403


def test_compare_marks_what_changed_and_print_view_renders(session, client_as, coordinator, municipality_user,
                                                           agreement):
    agree(agreement.latest, coordinator, municipality_user)
    session.commit()
    client = client_as(coordinator)
    assert client.post(f"/afspraken/{agreement.id}/nieuwe-versie").status_code == 302
    session.expire_all()
    row = agreement.latest.rows[6]
    client.post(f"/afspraken/{agreement.id}/onderwerp/{row.id}", data={
        "domain": row.domain, "funding": "Subsidie mantelzorg 2027", "role_volunteer": "does"})
    page = client.get(f"/afspraken/{agreement.id}/vergelijken?van=1&met=2").get_data(as_text=True)
    assert "Versie 1 en versie 2 naast elkaar" in page
    assert "Subsidie mantelzorg 2027" in page and "gewijzigd" in page and "coop-changed" in page
    assert client.get(f"/afspraken/{agreement.id}/vergelijken?van=1&met=9").status_code == 404
    printed = client.get(f"/afspraken/{agreement.id}/versie/1/afdrukken").get_data(as_text=True)
    assert "coop-print" in printed and "Getekend voor de gemeente" in printed
