"""The morning phone circle: the order and its absences, a missed call that alerts the key
holder and the coordinator at once (through the real SMTP server on loopback), the round not
confirmed in time, what members see of each other, and the print for the fridge."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from coop.circles import alerts, rules, service
from coop.circles.models import CircleAbsence, CircleMember, CircleRound, MissedCall, PhoneCircle
from coop.core import clock
from coop.core import outbox as O
from coop.core import roles as R
from coop.core.calls import CallTask
from coop.extensions import db
from coop.followups import dispatcher
from tests.circles.conftest import MORNING
from tests.support.smtp import body_text

TODAY = date(2026, 3, 17)


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


# --- the order -----------------------------------------------------------------------------------

def test_the_last_calls_the_first(belt):
    calls = service.calls_on(belt.circle, TODAY)
    assert [(c.member.person.first_name, c.to.person.first_name) for c in calls] == [
        ("Bep", "Cor"), ("Cor", "Dirk"), ("Dirk", "Els"), ("Els", "Bep")]


def test_an_absence_skips_the_member_and_the_order_wraps(belt, session):
    # Els, the last, is on holiday: Dirk is last today and phones Bep.
    service.add_absence(belt.member(3), starts_on=TODAY - timedelta(days=1), ends_on=TODAY + timedelta(days=6),
                        reason="holiday", by=belt.coordinator)
    calls = service.calls_on(belt.circle, TODAY)
    assert [(c.member.person.first_name, c.to.person.first_name) for c in calls] == [
        ("Bep", "Cor"), ("Cor", "Dirk"), ("Dirk", "Bep")]
    # Cor in hospital as well: Bep phones Dirk.
    service.add_absence(belt.member(1), starts_on=TODAY, ends_on=TODAY, reason="hospital", by=belt.coordinator)
    assert [(c.member.person.first_name, c.to.person.first_name) for c in service.calls_on(belt.circle, TODAY)] == [
        ("Bep", "Dirk"), ("Dirk", "Bep")]
    # After the holiday everyone is back, in the fixed order.
    later = service.calls_on(belt.circle, TODAY + timedelta(days=7))
    assert [c.member.person.first_name for c in later] == ["Bep", "Cor", "Dirk", "Els"]
    assert service.may_confirm(belt.circle, belt.people[2], TODAY)  # Dirk is today's last
    assert not service.may_confirm(belt.circle, belt.people[2], TODAY + timedelta(days=7))


def test_moving_up_and_down_changes_who_phones_whom(belt, client_as):
    client = client_as(belt.coordinator)
    cor = belt.member(1)
    assert client.post(f"/telefooncirkels/deelnemers/{cor.id}/omhoog").status_code == 302
    db.session.expire_all()
    assert [m.person.first_name for m in service.order_on(belt.circle, TODAY)] == ["Cor", "Bep", "Dirk", "Els"]
    els = belt.member(3)
    client.post(f"/telefooncirkels/deelnemers/{els.id}/omlaag")  # already last: refused, nothing moves
    db.session.expire_all()
    assert [m.person.first_name for m in service.order_on(belt.circle, TODAY)] == ["Cor", "Bep", "Dirk", "Els"]


# --- a missed call -----------------------------------------------------------------------------------

def test_a_missed_call_alerts_the_key_holder_and_the_coordinator_at_once(belt, client_as, smtp):
    """Els, the last, phones Bep and gets no answer: Bep's daughter (who has a key) and the
    coordinator get a mail at once; the round goes on with Cor."""
    els, bep = belt.people[3], belt.people[0]
    member = belt.member(0)
    page = client_as(els).get("/mijn-telefooncirkel").text
    assert "U belt:" in page and "Bep Jansen" in page and "Ik kreeg geen gehoor bij Bep" in page

    answer = client_as(els).post(f"/mijn-telefooncirkel/{belt.circle.id}/geen-gehoor/{member.id}")
    assert answer.status_code == 302
    assert dispatcher.run_until_idle() >= 1

    [to_anja] = smtp.to(belt.key_holders[0].email)
    # The subject shows on a locked phone: no name in it; the text says who.
    assert to_anja["Subject"] == "Dringend: iemand van de telefooncirkel neemt niet op"
    text = body_text(to_anja)
    assert "Bep Jansen" in text and "U heeft een sleutel" in text and "Bepstraat" in text and "0343 123 456" in text
    [to_marieke] = smtp.to(belt.coordinator.email)
    assert to_marieke["Subject"] == "Telefooncirkel: geen gehoor bij een deelnemer"
    text = body_text(to_marieke)
    assert "Bep Jansen" in text and "Anja Sleutel (dochter)" in text and "06 22227771" in text and els.full_name in text
    # The bell and the home page say it too, prominently.
    home = client_as(belt.coordinator).get("/").text
    assert "Telefooncirkel: let op" in home and "Geen gehoor bij Bep Jansen" in home
    # The caller hears that the alert went out and whom to phone now (not the key holder).
    mine = client_as(els).get("/mijn-telefooncirkel").text
    assert "Geen gehoor bij Bep Jansen: gemeld" in mine and "U belt nu:" in mine and "Cor de Wit" in mine
    assert "Anja" not in mine and "22227771" not in mine
    assert bep.full_name in body_text(to_anja)
    # Reported once: a second report is refused in Dutch and alerts nobody again.
    before = _count(O.FollowUp)
    client_as(els).post(f"/mijn-telefooncirkel/{belt.circle.id}/geen-gehoor/{member.id}")
    assert _count(O.FollowUp) == before


def test_a_key_holder_without_e_mail_lands_on_the_bellijst(belt, client_as, smtp):
    cor = belt.member(1)
    client = client_as(belt.coordinator)
    # Bep phoned the coordinator: no answer at Cor.
    answer = client.post(f"/telefooncirkels/{belt.circle.id}/geen-gehoor",
                         data={"member": str(cor.id), "caller": str(belt.people[0].id)})
    assert answer.status_code == 302
    henk = belt.key_holders[1]
    task = db.session.scalar(select(CallTask).where(CallTask.person_id == henk.id))
    assert task is not None and task.kind == alerts.KEY_HOLDER
    dispatcher.run_until_idle()
    assert smtp.to(belt.coordinator.email)
    bellijst = client.get("/bellijst/").text
    assert "Henk Buurman" in bellijst and "Cor de Wit" in bellijst
    row = db.session.scalar(select(MissedCall))
    assert row.caller_id == belt.people[0].id and row.reported_by_id == belt.coordinator.id
    # The coordinator closes the alert; the home page is calm again.
    client.post(f"/telefooncirkels/meldingen/{row.id}/afgehandeld",
                data={f"melding-{row.id}-note": "Henk ging kijken: Cor lag te slapen."})
    assert "Telefooncirkel: let op" not in client.get("/").text


def test_nobody_reports_an_absent_member_or_themselves(belt, session):
    import pytest

    from coop.core.errors import DomainError
    service.add_absence(belt.member(1), starts_on=TODAY, ends_on=TODAY, reason="hospital", by=belt.coordinator)
    with pytest.raises(DomainError, match="afwezig"):
        service.report_missed(belt.circle, belt.member(1), by=belt.people[0])
    with pytest.raises(DomainError, match="zelf"):
        service.report_missed(belt.circle, belt.member(0), by=belt.people[0])
    assert _count(MissedCall) == 0


# --- the round not confirmed in time -----------------------------------------------------------------

def _late_alerts() -> list[O.FollowUp]:
    db.session.expire_all()
    return list(db.session.scalars(select(O.FollowUp).where(O.FollowUp.kind == alerts.LATE,
                                                            O.FollowUp.channel == O.MAIL)))


def test_a_round_not_confirmed_by_its_time_alerts_the_coordinator_once(belt, smtp):
    clock.freeze(MORNING + timedelta(minutes=89))  # 09:59
    assert rules.unconfirmed_rounds(clock.now()) == 0
    clock.freeze(MORNING + timedelta(minutes=90))  # 10:00
    assert rules.unconfirmed_rounds(clock.now()) == 1
    clock.freeze(MORNING + timedelta(minutes=95))
    assert rules.unconfirmed_rounds(clock.now()) == 0  # once per round
    assert len(_late_alerts()) == 1
    dispatcher.run_until_idle()
    [mail] = smtp.to(belt.coordinator.email)
    assert mail["Subject"] == "De telefooncirkel is nog niet rond" and "Austerlitz Belt" in body_text(mail)
    # The next morning is a new round.
    clock.freeze(MORNING + timedelta(days=1, minutes=90))
    assert rules.unconfirmed_rounds(clock.now()) == 1


def test_a_confirmed_round_alerts_nobody(belt, client_as):
    els = belt.people[3]  # the last, who phones Bep
    page = client_as(els).get("/mijn-telefooncirkel").text
    assert "De ronde is rond" in page
    assert client_as(els).post(f"/mijn-telefooncirkel/{belt.circle.id}/rond").status_code == 302
    clock.freeze(MORNING + timedelta(hours=2))
    assert rules.unconfirmed_rounds(clock.now()) == 0
    assert _late_alerts() == []
    rnd = db.session.scalar(select(CircleRound))
    assert rnd.confirmed_by_id == els.id and rnd.late_alerted_at is None


def test_only_the_first_or_last_confirms(belt, client_as):
    cor = belt.people[1]
    assert "De ronde is rond" not in client_as(cor).get("/mijn-telefooncirkel").text
    client_as(cor).post(f"/mijn-telefooncirkel/{belt.circle.id}/rond")
    assert _count(CircleRound) == 0


# --- bad input: a Dutch message, nothing written -------------------------------------------------------

def _new_circle(client, members):
    return client.post("/telefooncirkels/nieuw", data={
        "name": "Den Dolder Belt", "start_time": "09:00", "confirm_by": "10:00",
        "members": [str(m) for m in members]})


def test_a_circle_of_one_is_refused(belt, client_as):
    client = client_as(belt.coordinator)
    before = _count(PhoneCircle), _count(CircleMember)
    answer = _new_circle(client, [belt.people[0].id])
    assert answer.status_code == 422 and "minstens twee deelnemers" in answer.text
    assert (_count(PhoneCircle), _count(CircleMember)) == before
    # …and taking members out until one is left is refused as well.
    circle = belt.circle
    client.post(f"/telefooncirkels/deelnemers/{belt.member(0).id}/verwijderen")
    client.post(f"/telefooncirkels/deelnemers/{belt.member(1).id}/verwijderen")
    db.session.expire_all()
    last_two = sorted(circle.members, key=lambda m: m.position)
    assert len(last_two) == 2
    client.post(f"/telefooncirkels/deelnemers/{last_two[0].id}/verwijderen", follow_redirects=False)
    db.session.expire_all()
    assert len(db.session.get(PhoneCircle, circle.id).members) == 2
    page = client.get(f"/telefooncirkels/{circle.id}").text
    assert "minstens twee deelnemers" in page


def test_a_member_twice_is_refused(belt, client_as):
    client = client_as(belt.coordinator)
    bep = belt.people[0]
    before = _count(PhoneCircle), _count(CircleMember)
    answer = _new_circle(client, [bep.id, bep.id])
    assert answer.status_code == 422 and "twee keer" in answer.text
    answer = client.post(f"/telefooncirkels/{belt.circle.id}/deelnemers", data={"person": str(bep.id)})
    assert answer.status_code == 422 and "Bep Jansen staat al in deze cirkel." in answer.text
    assert (_count(PhoneCircle), _count(CircleMember)) == before


def test_an_absence_ending_before_it_starts_is_refused(belt, client_as):
    client = client_as(belt.coordinator)
    member = belt.member(2)
    answer = client.post(f"/telefooncirkels/deelnemers/{member.id}/afwezig", data={
        "afwezig-starts_on-day": "20", "afwezig-starts_on-month": "3", "afwezig-starts_on-year": "2026",
        "afwezig-ends_on-day": "18", "afwezig-ends_on-month": "3", "afwezig-ends_on-year": "2026",
        "afwezig-reason": "holiday"})
    assert answer.status_code == 422 and "De laatste dag ligt vóór de eerste dag" in answer.text
    assert _count(CircleAbsence) == 0
    answer = client.post(f"/telefooncirkels/deelnemers/{member.id}/afwezig", data={
        "afwezig-starts_on-day": "18", "afwezig-starts_on-month": "3", "afwezig-starts_on-year": "2026",
        "afwezig-ends_on-day": "20", "afwezig-ends_on-month": "3", "afwezig-ends_on-year": "2026",
        "afwezig-reason": "holiday"})
    assert answer.status_code == 302 and _count(CircleAbsence) == 1


def test_a_new_key_holder_without_login_is_made_and_needs_a_phone(belt, client_as):
    client = client_as(belt.coordinator)
    els = belt.member(3)
    answer = client.post(f"/telefooncirkels/deelnemers/{els.id}/sleutelhouder", data={
        "sleutel-new_first_name": "Joop", "sleutel-new_last_name": "Zoon"})
    assert answer.status_code == 422 and "telefoonnummer van de sleutelhouder" in answer.text
    answer = client.post(f"/telefooncirkels/deelnemers/{els.id}/sleutelhouder", data={
        "sleutel-new_first_name": "Joop", "sleutel-new_last_name": "Zoon", "sleutel-new_phone": "06 33334444",
        "sleutel-relation": "zoon"})
    assert answer.status_code == 302
    db.session.expire_all()
    holder = db.session.get(CircleMember, els.id).key_holder
    assert holder.full_name == "Joop Zoon" and holder.phone == "+31633334444" and not holder.roles


# --- what members see, and whose circle it is ------------------------------------------------------------

def test_members_see_only_names_and_phone_numbers_of_the_others(belt, client_as):
    cor = belt.people[1]
    page = client_as(cor).get("/mijn-telefooncirkel").text
    for other in (belt.people[0], belt.people[2], belt.people[3]):
        assert other.full_name in page
        assert other.phone[-4:] in page  # shown as a tel: link
        assert other.street not in page and other.email not in page
    for holder in belt.key_holders:
        assert holder.first_name not in page and holder.phone[-4:] not in page
    assert "/telefooncirkels" not in page  # no way into the coordinator's pages


def test_a_resident_outside_the_circle_sees_none_of_it(belt, make, village, client_as):
    outsider = make.user(village, R.RESIDENT, first_name="Gerrit", last_name="Buiten")
    page = client_as(outsider).get("/mijn-telefooncirkel").text
    assert "U doet niet mee" in page and "Bep Jansen" not in page
    client = client_as(outsider)
    assert client.post(f"/mijn-telefooncirkel/{belt.circle.id}/geen-gehoor/{belt.member(0).id}").status_code == 404
    assert client.post(f"/mijn-telefooncirkel/{belt.circle.id}/rond").status_code == 404
    assert client.get(f"/telefooncirkels/{belt.circle.id}").status_code == 403
    assert _count(MissedCall) == 0 and _count(CircleRound) == 0


def test_another_village_s_circle_is_out_of_reach(belt, make, other_village, client_as):
    far = make.user(other_village, R.COORDINATOR)
    client = client_as(far)
    for url in (f"/telefooncirkels/{belt.circle.id}", f"/telefooncirkels/{belt.circle.id}/afdrukken",
                f"/telefooncirkels/deelnemers/{belt.member(0).id}"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/telefooncirkels/{belt.circle.id}/geen-gehoor",
                       data={"member": str(belt.member(0).id)}).status_code == 404
    assert client.post(f"/telefooncirkels/deelnemers/{belt.member(1).id}/omhoog").status_code == 404
    assert "Austerlitz Belt" not in client.get("/telefooncirkels").text
    far_resident = make.user(other_village, R.RESIDENT)
    assert client_as(far_resident).post(f"/mijn-telefooncirkel/{belt.circle.id}/rond").status_code == 404
    assert _count(MissedCall) == 0 and _count(CircleRound) == 0


# --- the print for the fridge ----------------------------------------------------------------------------

def test_the_print_page_lists_the_order_with_numbers_and_what_to_do(belt, client_as):
    service.add_absence(belt.member(3), starts_on=TODAY, ends_on=TODAY + timedelta(days=3), reason="holiday",
                        by=belt.coordinator)
    db.session.commit()
    page = client_as(belt.coordinator).get(f"/telefooncirkels/{belt.circle.id}/afdrukken").text
    assert "css/circles" in page  # the print stylesheet: large type
    names = [p.full_name for p in belt.people[:3]]
    assert [page.index(n) for n in names] == sorted(page.index(n) for n in names)
    for person in belt.people[:3]:
        assert person.phone[-4:] in page
    assert "Neemt iemand niet op?" in page and "0343 123 456" in page
    assert "overgeslagen: Els Mulder" in page
    for holder in belt.key_holders:
        assert holder.full_name not in page


def test_each_circle_is_a_group_to_write_to(belt, village):
    from coop.core.registry import groups_for
    [group] = [g for g in groups_for(village) if g.key == f"cirkel-{belt.circle.id}"]
    assert group.label == "Telefooncirkel Austerlitz Belt"
    assert [p.id for p in group.people()] == [p.id for p in belt.people]


# --- the person's copy and "Vergeet mij" -----------------------------------------------------------------

def test_the_copy_holds_the_circle_and_forgetting_takes_the_person_out(belt, session):
    from coop.privacy import erasure, export
    cor = belt.people[1]
    [entry] = export.gather(cor)["phone_circles"]
    assert entry["circle"] == "Austerlitz Belt" and entry["place"] == 2 and entry["key_holder_relation"] == "buurman"
    assert "Bep" not in str(entry)  # the other members are not in Cor's copy
    erasure.erase(cor, by=belt.coordinator)
    erasure.erase(belt.key_holders[0], by=belt.coordinator)  # Anja, Bep's key holder
    db.session.expire_all()
    members = db.session.scalars(select(CircleMember).order_by(CircleMember.position)).all()
    assert cor.id not in {m.person_id for m in members} and len(members) == 3
    assert members[0].key_holder_id is None and members[0].key_holder_relation == ""
