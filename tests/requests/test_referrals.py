"""Referring a request: to a place on the village's list, kept by the coordinator; only the
list's names reach the gemeente, never what someone typed."""
from __future__ import annotations

import csv
import io
from datetime import datetime

import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy import func, select

from coop import create_app
from coop.core import roles as R
from coop.core.clock import LOCAL
from coop.core.models import DEFAULT_REFERRAL_DESTINATIONS, ReferralDestination, Village
from coop.extensions import db
from coop.reports import report
from coop.requests import service
from coop.requests.models import HelpRequest
from tests.conftest import TEST_CONFIG


def _names(session, village, active=None):
    query = select(ReferralDestination.name).where(ReferralDestination.village_id == village.id)
    if active is not None:
        query = query.where(ReferralDestination.active == active)
    return set(session.scalars(query))


def test_the_refer_page_offers_the_villages_own_active_list(client_as, coordinator, resident, new_request, make,
                                                            village, other_village, session):
    req = new_request(resident, code="woningaanpassing")
    wmo, gp = make.destination(village, "Wmo-loket"), make.destination(village, "Huisarts")
    make.destination(village, "Oud adres", active=False)
    foreign = make.destination(other_village, "Wijkteam Den Dolder")
    session.commit()
    client = client_as(coordinator)
    page = client.get(f"/hulpvragen/{req.id}/doorverwijzen").get_data(as_text=True)
    assert f'<option value="{wmo.id}">Wmo-loket</option>' in page and "Huisarts" in page
    assert "Oud adres" not in page and "Wijkteam Den Dolder" not in page
    for refused in (foreign.id, make.destination(village, "Oud adres").id, 10**30):
        answer = client.post(f"/hulpvragen/{req.id}/doorverwijzen",
                             data={"referred_to": str(refused), "referral_reason": "traplift"})
        assert answer.status_code == 422 and "Kies uit de lijst naar wie u doorverwijst." in answer.get_data(True)
        session.refresh(req)
        assert req.status == "new" and req.referral_destination_id is None
    ok = client.post(f"/hulpvragen/{req.id}/doorverwijzen", data={"referred_to": str(gp.id),
                                                                  "referral_reason": "Pijn in de knie"})
    assert ok.status_code == 302
    session.refresh(req)
    assert (req.status, req.referral_destination_id, req.referred_to) == ("referred", gp.id, "Huisarts")
    assert req.events[-1].note == "naar Huisarts: Pijn in de knie"


def test_the_coordinator_keeps_the_list_under_categories(client_as, coordinator, village, session, make,
                                                        resident, new_request):
    wmo = make.destination(village, "Wmo-loket")
    session.commit()
    client = client_as(coordinator)
    page = client.get("/beheer/categorieen").get_data(as_text=True)
    assert "Doorverwijzen naar" in page and "Wmo-loket" in page
    added = client.post("/beheer/doorverwijzen", data={"bestemming-name": "  Fysiotherapeut   Zeist "})
    assert added.status_code == 302 and added.headers["Location"].endswith("/beheer/categorieen#doorverwijzen")
    assert "Fysiotherapeut Zeist" in _names(session, village)
    again = client.post("/beheer/doorverwijzen", data={"bestemming-name": "fysiotherapeut zeist"})
    assert again.status_code == 422 and "Deze naam staat al in de lijst." in again.get_data(as_text=True)
    empty = client.post("/beheer/doorverwijzen", data={"bestemming-name": "\x00"})
    assert empty.status_code == 422
    assert len(_names(session, village)) == 2

    req = new_request(resident, code="woningaanpassing")
    service.refer(req, by=coordinator, to=wmo, reason="traplift")
    session.commit()
    assert client.post(f"/beheer/doorverwijzen/{wmo.id}/verbergen").status_code == 302
    assert _names(session, village, active=False) == {"Wmo-loket"}
    later = new_request(resident, code="woningaanpassing")
    session.commit()
    assert f'<option value="{wmo.id}">' not in client.get(f"/hulpvragen/{later.id}/doorverwijzen").get_data(True)
    assert "Wmo-loket: traplift" in client.get(f"/hulpvragen/{req.id}").get_data(as_text=True)  # kept
    assert client.post(f"/beheer/doorverwijzen/{wmo.id}/tonen").status_code == 302
    assert _names(session, village, active=True) >= {"Wmo-loket"}
    assert client.post(f"/beheer/doorverwijzen/{wmo.id}/weg").status_code == 404


def test_another_villages_list_cannot_be_touched(client_as, make, village, other_village, session):
    foreign = make.destination(other_village, "Wijkteam Den Dolder")
    coordinator = make.user(village, R.COORDINATOR)
    session.commit()
    assert client_as(coordinator).post(f"/beheer/doorverwijzen/{foreign.id}/verbergen").status_code == 404
    session.refresh(foreign)
    assert foreign.active


def test_the_gemeente_sees_only_the_lists_names(client_as, coordinator, resident, new_request, make, village,
                                              session):
    """Five referrals to the list's Wmo-loket, five from before the list with typed text."""
    wmo = make.destination(village, "Wmo-loket")
    march = datetime(2025, 3, 10, 10, tzinfo=LOCAL)
    for i in range(5):
        req = new_request(resident, code="woningaanpassing", created_at=march)
        service.refer(req, by=coordinator, to=wmo, reason=f"traplift {i}")
    for i in range(5):  # as the release before the list wrote them
        new_request(resident, code="woningaanpassing", created_at=march, status="referred",
                    referred_to=f"Buurman Henk, Dorpsstraat {i}", referral_reason="kent iemand")
    session.commit()
    rows = report.build(village, 2025).table("verwijzingen").rows
    # Names below the threshold share the last row, which is always there (0 reads "< 5" too).
    assert rows == [["Wmo-loket", "5"], ["onbekend", "5"], ["Overige bestemmingen", "< 5"]]
    gemeente = client_as(make.user(village, R.MUNICIPALITY))
    page = gemeente.get(f"/cijfers/dorp/{village.id}?jaar=2025").get_data(as_text=True)
    exported = gemeente.get(f"/cijfers/dorp/{village.id}/verwijzingen.csv?jaar=2025").get_data(as_text=True)
    cells = [c for row in csv.reader(io.StringIO(exported.lstrip("\ufeff")), delimiter=";") for c in row]
    assert "Wmo-loket" in page and "Wmo-loket" in cells
    assert "Buurman Henk" not in page and not any("Buurman" in c or "traplift" in c for c in cells)


def test_every_new_village_starts_with_the_default_list(client_as, make, village, session):
    from coop.villages import service as villages
    platform = make.user(village, R.PLATFORM)
    made = villages.create_village(villages.NewVillage(
        name="Bosch en Duin", slug="bosch-en-duin-test", cooperative_name="Zorgcoöperatie Bosch en Duin",
        centre_lat=52.11, centre_lon=5.24, phone="0343 123456", municipality_id=village.municipality_id,
        new_municipality="", category_set="standaard", coordinator_first_name="Ria",
        coordinator_last_name="de Boer", coordinator_email="ria@bosch-en-duin.example.nl",
        coordinator_is_admin=True), by=platform)
    session.flush()
    assert _names(session, made) == set(DEFAULT_REFERRAL_DESTINATIONS)


def test_the_demo_village_refers_to_its_list(app, session):
    from coop import demo
    demo.build(echo=lambda *_: None)
    village = session.scalar(select(Village).where(Village.slug == demo.SLUG))
    assert _names(session, village) == set(DEFAULT_REFERRAL_DESTINATIONS)
    referred = session.scalars(select(HelpRequest).where(HelpRequest.village_id == village.id,
                                                         HelpRequest.status == "referred")).all()
    assert referred and all(r.referral_destination is not None and r.referred_to == r.referral_destination.name
                            for r in referred)


def test_the_migration_gives_existing_villages_the_list_and_links_matching_referrals(backend, request, workdir):
    name = f"referrals_migration_{backend}"
    if backend == "sqlite":
        url = f"sqlite:///{workdir / name}.sqlite"
    else:
        url = request.getfixturevalue("postgres").create_database(name)
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="0017_form_submissions")
        with db.engine.begin() as c:
            c.execute(sa.text("INSERT INTO municipalities (id, name) VALUES (1, 'Gemeente Zeist')"))
            for vid in (1, 2):
                c.execute(sa.text(
                    "INSERT INTO villages (id, name, slug, cooperative_name, municipality_id, centre_lat, centre_lon,"
                    " coordinator_phone, created_at) VALUES (:id, :n, :n, :n, 1, 52.08, 5.31, '+31343123456',"
                    " CURRENT_TIMESTAMP)"), {"id": vid, "n": f"dorp{vid}"})
            c.execute(sa.text("INSERT INTO users (id, village_id, first_name, last_name, active, session_version,"
                              " created_at) VALUES (1, 1, 'Bep', 'Jansen', true, 1, CURRENT_TIMESTAMP)"))
            c.execute(sa.text("INSERT INTO task_categories (id, village_id, code, name, description, rule, active,"
                              " sort_order) VALUES (1, 1, 'wmo', 'Woningaanpassing', '', 'municipal', true, 0)"))
            for rid, to in ((1, " wmo-LOKET "), (2, "Buurman Henk"), (3, None)):
                c.execute(sa.text(
                    "INSERT INTO help_requests (id, village_id, resident_id, category_id, description, status,"
                    " urgency, flexible, recurrence, consent_contact, channel, created_at, status_changed_at,"
                    " referred_to) VALUES (:id, 1, 1, 1, 'x', :st, 'week', true, 'once', false, 'web',"
                    " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, :to)"), {"id": rid, "to": to,
                                                                     "st": "referred" if to else "new"})
        upgrade()
        per_village = dict(db.session.execute(select(ReferralDestination.village_id, func.count())
                                              .group_by(ReferralDestination.village_id)).all())
        assert per_village == {1: len(DEFAULT_REFERRAL_DESTINATIONS), 2: len(DEFAULT_REFERRAL_DESTINATIONS)}
        linked = dict(db.session.execute(select(HelpRequest.id, HelpRequest.referral_destination_id)).all())
        wmo = db.session.scalar(select(ReferralDestination.id).where(ReferralDestination.village_id == 1,
                                                                     ReferralDestination.name == "Wmo-loket"))
        assert linked == {1: wmo, 2: None, 3: None}
        assert db.session.get(HelpRequest, 2).referred_to == "Buurman Henk"  # kept, for the old code
        db.session.remove()
        db.engine.dispose()


def test_the_migration_seeds_the_same_defaults_as_new_villages_get():
    from importlib import import_module
    assert import_module("migrations.versions.0018_referral_destinations").DEFAULTS == DEFAULT_REFERRAL_DESTINATIONS
