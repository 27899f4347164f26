"""Every page, print view and export that shows a named person writes one audit row: who, in
which role, whom (and the others it showed), on whose behalf. The log reads as sentences for
the person and can be searched and downloaded by the village's administrator."""
from __future__ import annotations

import csv
import io
import re
from datetime import date, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from coop.core import audit, audit_text
from coop.core import roles as R
from coop.core.calls import CallTask
from coop.core.clock import local_now
from coop.core.models import AuditLog, TaskCategory
from coop.people.models import HoursEntry, WeeklySlot
from coop.requests.models import FiveQuestionsAnswer, HelpRequest


@pytest.fixture
def world(session, make, village, coordinator, admin):
    """A resident with a request in search, a carer with a booked weekly respite series, a
    volunteer's approved hours this month, a call to make and a helper with a proposal."""
    from coop.matching import service as matching
    from coop.respite import calendar
    from coop.respite import service as respite

    session.add_all([TaskCategory(village_id=village.id, code="respijt", name="Respijt: gezelschap",
                                  rule=TaskCategory.OPEN),
                     TaskCategory(village_id=village.id, code="respijt_zorg", name="Respijt met verzorging",
                                  rule=TaskCategory.TRAINED)])
    session.flush()
    bep = make.user(village, R.RESIDENT, first_name="Bep", last_name="Jansen")
    req = HelpRequest(village_id=village.id, resident=bep, category=make.category(village, "boodschappen"),
                      description="Boodschappen bij de Plus", status="searching", urgency="week", flexible=True,
                      street=bep.street, house_number=bep.house_number, place=bep.place, lat=bep.lat, lon=bep.lon,
                      entered_by_id=bep.id)
    req.five_questions = [FiveQuestionsAnswer(question=1, party="resident", note="doet zelf de lijst")]
    session.add(req)
    session.flush()
    helper = make.volunteer(village, first_name="Jan", last_name="Smit")
    proposal = matching.propose(req, helper, by=coordinator)
    piet = make.user(village, R.RESIDENT, email=None, first_name="Piet", last_name="Visser")
    truus = make.user(village, R.RESIDENT, R.CARER, first_name="Truus", last_name="Visser")
    respite.save_carer_profile(truus, by=truus, care_recipient=piet, relationship_label="partner",
                               care_hours_week=40, routines="Koffie om drie uur.", what_calms="Muziek.",
                               who_to_call="Anja", sofa_roles=["O"])
    kees = make.volunteer(village, categories=("respijt",), first_name="Kees", last_name="Bakker")
    for day in range(7):
        session.add(WeeklySlot(user_id=kees.id, weekday=day, start=time(8), end=time(20)))
    first = local_now().date() + timedelta(days=7)
    series = respite.request_respite(truus, by=truus, first_date=first, start_time=time(14), end_time=time(17),
                                     freq="weekly", until=first + timedelta(days=14)).respite_request
    respite.assign_shift(series.shifts[0], kees, by=coordinator)
    today = local_now().date()
    session.add(HoursEntry(village_id=village.id, helper_id=kees.id, worked_on=today.replace(day=1),
                           hours=Decimal("2"), status=HoursEntry.APPROVED, source_type="manual"))
    session.add(CallTask(village_id=village.id, person_id=bep.id, kind="request.helped", due_on=today))
    token = calendar.create_feed(kees)
    from coop.circles import service as circles
    circle = circles.create_circle(village, name="Belt", start_time=time(9), confirm_by=time(10),
                                   members=[bep, piet, truus], by=coordinator)
    circles.set_key_holder(circle.members[0], key_holder=helper, relation="buurman", by=coordinator)
    from coop.aids import service as aids
    rollator = aids.add_item(village.id, kind="rollator", label="R-01", condition="good", by=coordinator)
    loan = aids.lend(rollator, bep, starts_on=today, due_on=today + timedelta(days=30), by=coordinator)
    chair = aids.add_item(village.id, kind="douchestoel", label="D-01", condition="good", by=coordinator)
    reservation = aids.reserve(chair, bep, starts_on=today, due_on=today + timedelta(days=30), by=coordinator)
    meal = _meal(village, coordinator, bep, kees)
    members = _members(session, village, coordinator, bep, piet, today)
    session.commit()
    monday = series.shifts[0].local_start.date() - timedelta(days=series.shifts[0].local_start.weekday())
    return {"bep": bep, "req": req, "helper": helper, "proposal": proposal, "piet": piet, "truus": truus,
            "kees": kees, "series": series, "shift": series.shifts[0], "token": token, "week": monday.isoformat(),
            "month": f"{today:%Y-%m}", "coordinator": coordinator, "admin": admin, "circle": circle,
            "circle_member": circle.members[0], "rollator": rollator, "loan": loan,
            "reservation": reservation,
            "meal": meal, "meal_signup": meal.signups[0], **members}


def _meal(village, coordinator, bep, kees):
    """Austerlitz Eet in three days, Bep signed up and Kees helping."""
    from decimal import Decimal

    from coop.activities import service as activities
    activity = activities.create(village.id, activities.ActivityInput(
        kind="meal", title="Austerlitz Eet", on_date=local_now().date() + timedelta(days=3), start_time=time(17, 30),
        end_time=time(19, 30), venue="De Kapel", capacity=10, cost=Decimal("7.50")), by=coordinator)
    activities.sign_up(activity, bep, by=coordinator)
    activities.add_helper(activity, kees, by=coordinator)
    return activity


def _members(session, village, coordinator, bep, piet, today) -> dict:
    """Bep pays by direct debit, Piet (no e-mail) by transfer; the contribution is asked; a
    message went to all members (Piet's on paper)."""
    from coop.members import broadcast
    from coop.members import service as members
    from coop.members.models import MemberSettings
    session.add(MemberSettings(village_id=village.id, creditor_id="NL69ZZZ123456780000", account_name="Coop",
                               iban="NL91ABNA0417164300", bic="ABNANL2A"))
    household = members.join(village, members.JoinInput(
        people=[bep], method="direct_debit", starts_on=today, iban="NL20INGB0001234567", account_holder="Bep",
        signed_on=today), by=coordinator)
    members.join(village, members.JoinInput(people=[piet], method="transfer", starts_on=today), by=coordinator)
    collected = today + timedelta(days=20)
    run = members.run_year(village, collected.year, collected, by=coordinator)
    message = broadcast.send(village, "leden", "Koffieochtend", "Vrijdag is er koffie.", by=coordinator)
    return {"household": household, "run": run, "broadcast": message}


# (endpoint, url, who opens it, action, subject, others it must name, on whose behalf)
PAGES = [
    ("people.show", "/mensen/{bep.id}", "coordinator", "person.viewed", "bep", (), None),
    ("people.index", "/mensen?zoek=Jansen", "coordinator", "people.searched", None, ("bep",), None),
    ("people.volunteer_papers", "/mensen/{kees.id}/vrijwilliger", "coordinator", "volunteer.papers_viewed", "kees",
     (), None),
    ("requests.show", "/hulpvragen/{req.id}", "coordinator", "request.viewed", "bep", (), None),
    ("requests.confirmation", "/hulpvragen/{req.id}/verstuurd", "coordinator", "request.viewed", "bep", (), None),
    ("requests.stop", "/hulpvragen/{req.id}/stoppen", "coordinator", "request.viewed", "bep", (), None),
    ("matching.withdraw", "/voorstellen/{proposal.id}/intrekken", "coordinator", "matching.viewed", "bep",
     ("helper",), None),
    ("respite.cancel", "/respijt/keren/{shift.id}/afzeggen", "coordinator", "shift.viewed", "truus",
     ("piet", "kees"), None),
    ("respite.cancel_rest", "/respijt/keren/{shift.id}/rest-afzeggen", "coordinator", "shift.viewed", "truus",
     ("piet", "kees"), None),
    ("requests.refer", "/hulpvragen/{req.id}/doorverwijzen", "coordinator", "request.viewed", "bep", (), None),
    ("requests.five_questions_print", "/hulpvragen/{req.id}/afspraken", "coordinator", "request.printed", "bep", (),
     None),
    ("requests.five_questions", "/hulpvragen/{req.id}/schijf-van-vijf", "coordinator", "role_split.viewed", "bep", (),
     None),
    ("requests.inbox", "/hulpvragen", "coordinator", "requests.listed", None, ("bep",), None),
    ("requests.on_behalf_pick", "/hulpvragen/namens?zoek=Jansen", "coordinator", "people.searched", None, ("bep",),
     None),
    ("requests.on_behalf", "/hulpvragen/namens/{bep.id}", "coordinator", "request.form_opened", "bep", (), "bep"),
    ("matching.match", "/hulpvragen/{req.id}/koppelen", "coordinator", "matching.viewed", "bep", ("helper",), None),
    ("matching.village_map", "/kaart", "coordinator", "map.viewed", None, ("bep", "helper", "kees"), None),
    ("matching.village_map_points", "/kaart/punten", "coordinator", "map.viewed", None, ("bep", "helper", "kees"),
     None),
    ("matching.proposal", "/voorstellen/{proposal.id}", "helper", "proposal.viewed", "bep", (), None),
    ("matching.my_proposals", "/voorstellen", "helper", "proposals.listed", None, ("bep",), None),
    ("respite.carer", "/respijt/mantelzorgers/{truus.id}", "coordinator", "carer.viewed", "truus", ("piet",), None),
    ("respite.carers", "/respijt/mantelzorgers", "coordinator", "carers.listed", None, ("truus", "piet"), None),
    ("respite.checkin_for", "/respijt/mantelzorgers/{truus.id}/carerqol", "coordinator", "carerqol.viewed", "truus",
     (), "truus"),
    ("respite.ask_for", "/respijt/mantelzorgers/{truus.id}/aanvragen", "coordinator", "respite.form_opened",
     "truus", (), "truus"),
    ("respite.request_detail", "/respijt/aanvragen/{series.id}", "coordinator", "respite.viewed", "truus",
     ("piet", "kees"), None),
    ("respite.shift_detail", "/respijt/keren/{shift.id}", "coordinator", "shift.viewed", "truus", ("piet", "kees"),
     None),
    ("respite.shift_detail", "/respijt/keren/{shift.id}", "kees", "shift.viewed", "truus", ("piet",), None),
    ("respite.week", "/respijt?week={week}", "coordinator", "roster.viewed", None, ("kees", "truus", "piet"), None),
    ("respite.print_roster", "/respijt/rooster-afdrukken?week={week}", "coordinator", "roster.printed", None,
     ("kees", "truus", "piet"), None),
    ("respite.my_roster", "/mijn-rooster?maand={shift.local_start:%Y-%m}", "kees", "roster.viewed", None,
     ("truus", "piet"), None),
    ("respite.feed", "/agenda/{token}.ics", None, "calendar.fetched", None, ("truus", "piet"), None),
    ("respite.review", "/respijt/uren?maand={month}", "coordinator", "hours.listed", None, ("kees",), None),
    ("respite.statements", "/respijt/uren/overzicht?maand={month}", "coordinator", "statements.viewed", None,
     ("kees",), None),
    ("respite.statements_csv", "/respijt/uren/overzicht.csv?maand={month}", "coordinator", "statements.exported",
     None, ("kees",), None),
    ("people.address", "/mensen/{bep.id}/adres", "coordinator", "person.viewed", "bep", (), None),
    ("privacy.person_export", "/mensen/{bep.id}/gegevens.json", "coordinator", "person.exported", "bep", (), "bep"),
    ("privacy.person_print", "/mensen/{bep.id}/gegevens-afdrukken", "coordinator", "person.printed", "bep", (),
     "bep"),
    ("privacy.erase", "/mensen/{bep.id}/vergeten", "coordinator", "person.viewed", "bep", (), None),
    ("calllist.index", "/bellijst/", "coordinator", "calls.listed", None, ("bep",), None),
    ("circles.new", "/telefooncirkels/nieuw", "coordinator", "circle.form_viewed", None, ("bep",), None),
    ("circles.show", "/telefooncirkels/{circle.id}", "coordinator", "circle.viewed", None, ("bep", "helper"), None),
    ("circles.member", "/telefooncirkels/deelnemers/{circle_member.id}", "coordinator", "circle.member_viewed", "bep",
     ("helper",), None),
    ("circles.print_order", "/telefooncirkels/{circle.id}/afdrukken", "coordinator", "circle.printed", None,
     ("bep", "truus"), None),
    ("circles.mine", "/mijn-telefooncirkel", "piet", "circle.viewed", None, ("bep", "truus"), None),
    ("aids.stock", "/hulpmiddelen/", "coordinator", "aids.listed", None, ("bep",), None),
    ("aids.loans", "/hulpmiddelen/uitgeleend", "coordinator", "aids.loans_listed", None, ("bep",), None),
    ("aids.item", "/hulpmiddelen/{rollator.id}", "coordinator", "aid.viewed", "bep", (), None),
    ("aids.return_item", "/hulpmiddelen/uitleningen/{loan.id}/terug", "coordinator", "aid.viewed", "bep", (), None),
    ("aids.extend", "/hulpmiddelen/uitleningen/{loan.id}/verlengen", "coordinator", "aid.viewed", "bep", (), None),
    ("aids.hand_out", "/hulpmiddelen/uitleningen/{reservation.id}/meegeven", "coordinator", "aid.viewed", "bep", (),
     None),
    ("aids.cancel_reservation", "/hulpmiddelen/uitleningen/{reservation.id}/afzeggen", "coordinator", "aid.viewed",
     "bep", (), None),
    ("aids.reserve", "/hulpmiddelen/reserveren/hulpvraag/{req.id}", "coordinator", "request.viewed", "bep", (),
     None),
    ("activities.show", "/activiteiten/{meal.id}", "coordinator", "activity.viewed", None, ("bep", "kees"), None),
    ("activities.cancel", "/activiteiten/{meal.id}/afzeggen", "coordinator", "activity.viewed", None, ("bep",), None),
    ("activities.sign_up_pick", "/activiteiten/{meal.id}/aanmelden?zoek=Jansen", "coordinator", "people.searched",
     None, ("bep",), None),
    ("activities.sign_up_for", "/activiteiten/{meal.id}/aanmelden/{bep.id}", "coordinator", "activity.form_opened",
     "bep", (), "bep"),
    ("activities.attendance", "/activiteiten/{meal.id}/aanwezigheid", "coordinator", "activity.viewed", None,
     ("bep",), None),
    ("activities.print_list", "/activiteiten/{meal.id}/afdrukken", "coordinator", "activity.printed", None,
     ("bep",), None),
    ("activities.withdraw", "/activiteiten/aanmeldingen/{meal_signup.id}/afmelden", "coordinator",
     "activity.viewed", "bep", (), None),
    ("admin.audit_log", "/beheer/logboek?persoon=Jansen", "admin", "audit.searched", None, ("bep",), None),
    ("members.index", "/leden/", "coordinator", "members.listed", None, ("bep", "piet"), None),
    ("members.pick", "/leden/nieuw?zoek=Visser", "coordinator", "people.searched", None, ("truus",), None),
    ("members.new", "/leden/nieuw/{truus.id}", "coordinator", "member.form_opened", "truus", (), None),
    ("members.show", "/leden/{household.id}", "coordinator", "member.viewed", "bep", (), None),
    ("members.debit_file", "/leden/contributie/{run.id}/incasso.xml", "coordinator", "contributions.debit_file", None,
     ("bep",), None),
    ("members.transfer_list", "/leden/contributie/overmaken?jaar={run.year}", "coordinator",
     "contributions.transfer_list", None, ("piet",), None),
    ("members.transfer_csv", "/leden/contributie/overmaken.csv?jaar={run.year}", "coordinator",
     "contributions.transfer_exported", None, ("piet",), None),
    ("members.message_sent", "/leden/bericht/{broadcast.id}", "coordinator", "broadcast.print_list", None, ("piet",),
     None),
    ("admin.audit_log_csv", "/beheer/logboek.csv?persoon=Jansen", "admin", "audit.exported", None, ("bep",), None),
]
ROLE_OF = {"coordinator": R.COORDINATOR, "admin": R.ADMIN, "helper": R.VOLUNTEER, "kees": R.VOLUNTEER,
           None: R.VOLUNTEER, "piet": R.RESIDENT}

# GET pages that show no one's data but the user's own, or no personal data at all.
NOT_ABOUT_OTHERS = {
    "admin.categories", "admin.index", "agreements.compare_versions", "agreements.edit_details",
    "agreements.edit_row", "agreements.index", "agreements.new", "agreements.print_view", "agreements.show",
    "auth.forgot_password", "auth.login", "auth.register", "auth.reset_password", "core.privacy",
    "auth.change_password", "auth.change_contact", "auth.confirm_password", "auth.two_step_code",
    "auth.two_step_setup",
    "followups.answer", "followups.notifications", "matching.my_availability", "ops.healthz", "ops.readyz",
    "people.my_data", "people.new", "people.volunteer_profile", "reports.export", "reports.index",
    "reports.municipality", "reports.municipality_export", "reports.village", "requests.mine", "requests.new",
    "requests.withdraw",  # the resident's own request
    "respite.add_hours", "respite.allowance_limits", "respite.ask", "respite.checkin", "respite.confirm",
    "respite.my_hours", "respite.my_notes", "respite.my_respite", "respite.settings", "static", "villages.index",
    "villages.new",
    # One's own copy (like people.my_data); the periods and the register name no one.
    "privacy.my_export", "privacy.my_print", "privacy.settings", "privacy.register_page",
    # Lending aids: forms about an item, and lending one that nobody holds (the residents to choose
    # from are a list to pick from, as on the respite carer's page); lending a reserved item logs.
    "aids.new_item", "aids.edit_item", "aids.lend",
    # Activities by their kind, day and counts; the resident's own sign-ups; the forms of an activity.
    "activities.index", "activities.new", "activities.edit", "activities.mine", "activities.mine_show",
    # The home page's panels summarise and link to the pages above, which write the look down.
    "core.home",
    # The circles by name and count, no person.
    "circles.index",
    # The contribution's run and settings show sums and the village's account; the message page
    # the groups and earlier messages (who gets one shows after a preview, which is written down).
    "members.contributions", "members.settings", "members.message",
}


def test_every_page_is_either_logged_or_shows_no_one_else(app):
    pages = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    logged = {endpoint for endpoint, *_ in PAGES}
    assert pages - logged - NOT_ABOUT_OTHERS == set(), "a page without an audit row or a reason here"
    assert logged & NOT_ABOUT_OTHERS == set()


@pytest.mark.parametrize(("endpoint", "url", "opener", "action", "subject", "others", "on_behalf"), PAGES,
                         ids=[f"{p[0]}-{p[2]}" for p in PAGES])
def test_each_page_writes_one_row_with_the_right_subject(endpoint, url, opener, action, subject, others, on_behalf,
                                                         session, world, client, client_as):
    before = session.scalar(select(func.max(AuditLog.id))) or 0
    opened_by = world[opener] if opener in world else world["kees"]
    response = (client if opener is None else client_as(opened_by)).get(url.format(**world))
    assert response.status_code == 200, response.text[:300]
    session.expire_all()
    rows = session.scalars(select(AuditLog).where(AuditLog.id > before)).all()
    assert len(rows) == 1, [r.action for r in rows]
    (row,) = rows
    assert row.action == action
    assert row.actor_id == opened_by.id and row.actor_role == ROLE_OF[opener]
    assert row.subject_user_id == (world[subject].id if subject else None)
    assert {world[name].id for name in others} <= {o.user_id for o in row.others}
    assert opened_by.id not in {o.user_id for o in row.others}
    assert row.on_behalf_of_id == (world[on_behalf].id if on_behalf else None)
    assert row.ip and row.row_hash and row.village_id == world["bep"].village_id
    assert action in audit_text.WORDINGS


def test_own_data_writes_nothing_and_a_second_feed_fetch_the_same_day_neither(session, world, client, client_as):
    before = session.scalar(select(func.count(AuditLog.id)))
    client_as(world["truus"]).get("/mijn-respijt")
    client_as(world["bep"]).get(f"/hulpvragen/{world['req'].id}")
    client_as(world["bep"]).get("/mijn-gegevens")
    client.get(f"/agenda/{world['token']}.ics")
    client.get(f"/agenda/{world['token']}.ics")
    assert session.scalar(select(func.count(AuditLog.id))) == before + 1


def test_on_behalf_writes_are_logged_for_the_resident(session, world, client_as):
    """The coordinator types a request in for Bep by phone: the row says so."""
    from coop.core.forms import new_form_token as new_token
    bep = world["bep"]
    response = client_as(world["coordinator"]).post(f"/hulpvragen/namens/{bep.id}", data={
        "category_id": str(world["req"].category_id), "description": "Naar de huisarts", "when": "flexible",
        "urgency": "week", "recurrence": "once", "own_address": "yes", "channel": "phone",
        "form_token": new_token()})
    assert response.status_code == 302, response.text[-2000:]
    row = session.scalar(select(AuditLog).where(AuditLog.action == "request.posted"))
    assert row.subject_user_id == bep.id and row.on_behalf_of_id == bep.id
    assert row.actor_id == world["coordinator"].id and row.actor_role == R.COORDINATOR
    lines = audit_text.sentence(row, bep)
    assert lines.startswith("Marieke (dorpsondersteuner, namens u) zette een hulpvraag in, ")


def test_the_resident_reads_sentences_never_codes(session, world, client_as):
    bep = world["bep"]
    client_as(world["coordinator"]).get(f"/hulpvragen/{world['req'].id}")
    client_as(world["coordinator"]).get("/mensen?zoek=Jansen")
    page = client_as(bep).get("/mijn-gegevens").text
    today = local_now()
    assert re.search(r"Marieke \(dorpsondersteuner\) bekeek uw hulpvraag, \d{1,2} [a-z]+ \d\d:\d\d", page)
    assert f"{today.day} {audit_text.dutch.month_name(today.month)}" in page
    assert "Marieke (dorpsondersteuner) zocht in de lijst van mensen; u stond in de uitkomst" in page
    for code in ("request.viewed", "people.searched", "proposal.created"):
        assert code not in page


def test_every_code_the_app_writes_has_a_sentence():
    root = Path(__file__).resolve().parents[2] / "coop"
    source = "\n".join(p.read_text(encoding="utf-8") for p in root.rglob("*.py"))
    codes = set(re.findall(r"audit\.(?:record|shown)\(\s*\"([a-z_.]+)\"", source))
    codes |= {f"call.{outcome}" for outcome in ("called", "not_reached", "taken_over")}
    codes |= {"hours.approved", "hours.rejected", "volunteer.paused", "volunteer.resumed", "account.disabled",
              "referral_destination.hidden"}
    assert len(codes) > 40
    assert codes - set(audit_text.WORDINGS) == set()
    from coop.calllist.service import OUTCOMES
    assert {f"call.{o}" for o in OUTCOMES} <= set(audit_text.WORDINGS)


def test_an_unknown_code_still_reads_as_a_sentence(session, world):
    audit.record("something.new", actor=world["coordinator"], subject=world["bep"])
    row = session.scalar(select(AuditLog).where(AuditLog.action == "something.new"))
    text = audit_text.sentence(row, world["bep"])
    assert text.startswith("Marieke (dorpsondersteuner) deed iets met uw gegevens, ") and "something" not in text


def test_the_admin_searches_by_person_and_period_and_downloads_the_same(session, world, client_as):
    coordinator, bep, admin = world["coordinator"], world["bep"], world["admin"]
    client_as(coordinator).get(f"/mensen/{bep.id}")
    client_as(coordinator).get(f"/mensen/{world['kees'].id}")
    today = local_now().date()
    page = client_as(admin).get(f"/beheer/logboek?persoon=Jansen&van={today}&tot={today}").text
    assert "Gevonden: Bep Jansen." in page
    assert "gegevens van een persoon bekeken" in page and "Marieke van Dam (dorpsondersteuner)" in page
    assert "Kees Bakker" not in page.split("<tbody")[1]  # only rows about Bep
    yesterday = today - timedelta(days=1)
    empty = client_as(admin).get(f"/beheer/logboek?persoon=Jansen&tot={yesterday}").text
    assert "Geen regels." in empty
    assert "vul een datum in" in client_as(admin).get("/beheer/logboek?van=gisteren").text
    response = client_as(admin).get(f"/beheer/logboek.csv?persoon=Jansen&van={today}")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:5] == ["tijd", "wie", "rol", "wat", "code"]
    viewed = [r for r in rows[1:] if r[4] == "person.viewed"]
    assert viewed and viewed[0][1:4] == ["Marieke van Dam", "dorpsondersteuner", "gegevens van een persoon bekeken"]
    assert viewed[0][5] == "Bep Jansen" and len(viewed[0][-1]) == 64
    assert all("Bep Jansen" in ";".join(r) for r in rows[1:])
    # The admin's own look is in the log too.
    assert session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "audit.exported",
                                                                AuditLog.actor_id == admin.id)) == 1


def test_only_the_admin_reads_the_log(world, client_as):
    for who in ("coordinator", "bep", "kees"):
        assert client_as(world[who]).get("/beheer/logboek").status_code == 403
        assert client_as(world[who]).get("/beheer/logboek.csv").status_code == 403


def test_the_role_written_is_the_one_the_page_admits(session, make, village, world, client_as):
    both = make.user(village, R.COORDINATOR, R.VOLUNTEER, first_name="Dubbel", last_name="Rol")
    client_as(both).get(f"/mensen/{world['bep'].id}")
    row = session.scalar(select(AuditLog).where(AuditLog.actor_id == both.id))
    assert row.actor_role == R.COORDINATOR


def test_no_update_or_delete_path_for_audit_rows_in_the_app():
    """No UPDATE anywhere; the one DELETE is the retention's, from the start of a chain
    (`audit.trim`, tests/core/test_audit_retention.py)."""
    root = Path(__file__).resolve().parents[2] / "coop"
    pattern = re.compile(r"(update|delete)\(\s*(AuditLog|AuditSubject|_log|_subjects)\b"
                         r"|(AuditLog|AuditSubject)\)?\.(update|delete)\b|session\.delete\(\s*(row|log|entry_log)\b")
    offenders = [f"{p.relative_to(root)}:{m.group(0)}" for p in root.rglob("*.py")
                 for m in pattern.finditer(p.read_text(encoding="utf-8"))]
    assert offenders == ["core/audit.py:delete(_subjects", "core/audit.py:delete(_log"]
    trim = Path(root / "core" / "audit.py").read_text(encoding="utf-8").split("\ndef trim(")[1].split("\ndef ")[0]
    assert "delete(_subjects)" in trim and "delete(_log)" in trim


def test_the_database_refuses_to_change_or_remove_an_audit_row(app, session, world):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError
    audit.record("person.viewed", actor=world["coordinator"], subject=world["bep"],
                 subjects=[world["kees"]])
    row_id = session.scalar(select(func.max(AuditLog.id)))
    statements = ["UPDATE audit_log SET detail = 'anders' WHERE id = :i", "DELETE FROM audit_log WHERE id = :i",
                  "UPDATE audit_log_subjects SET user_id = user_id WHERE audit_id = :i",
                  "DELETE FROM audit_log_subjects WHERE audit_id = :i"]
    if session.get_bind().dialect.name == "postgresql":
        statements += ["TRUNCATE audit_log_subjects", "TRUNCATE audit_log CASCADE"]
    for statement in statements:
        with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
            session.execute(text(statement), {"i": row_id})
    assert session.get(AuditLog, row_id).detail == ""


def test_a_person_shown_in_a_list_finds_it_and_the_admin_finds_them(session, world):
    audit.record("roster.printed", actor=world["coordinator"], subjects=[world["kees"], world["truus"]],
                 detail="week")
    about_kees = session.scalars(select(AuditLog).where(audit.concerning(world["kees"].id))).all()
    assert "roster.printed" in {r.action for r in about_kees}
    row = next(r for r in about_kees if r.action == "roster.printed")
    assert audit_text.sentence(row, world["kees"]).startswith(
        "Marieke (dorpsondersteuner) opende een respijtrooster om te printen, waarin u stond, ")


def test_period_is_in_local_days(session, world):
    from coop.admin.service import LogFilter
    f = LogFilter.from_args({"van": "2026-03-17", "tot": "2026-03-16"})
    assert f.problems == ["De einddatum ligt voor de begindatum."] and f.end is None
    assert LogFilter.from_args({"van": date.today().isoformat()}).start == date.today()
