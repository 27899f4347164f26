from datetime import timedelta

from coop.core import clock
from coop.followups.dispatcher import dispatch_due
from coop.respite import service


def test_booking_and_reminder_mails_carry_the_cooperative_and_phone(smtp, weekly, rvolunteer, rcoordinator, frozen,
                                                                    session):
    rvolunteer.volunteer_profile.max_hours_month = 40
    service.book_volunteer(weekly, rvolunteer, by=rcoordinator)
    session.commit()
    dispatch_due()
    (mail,) = smtp.to(rvolunteer.email)
    text = mail.get_body(("plain",)).get_content()
    assert mail["Subject"] == "Respijt is geregeld"
    assert "U bent ingeroosterd voor respijt bij Piet Visser" in text and "dinsdag 17 maart van 14:00 tot 17:00" in text
    assert "Zorgcoöperatie Austerlitz" in text and "0343 123 456" in text
    (carer_mail,) = smtp.to(weekly.carer.email)
    assert "Kees komt u vervangen" in carer_mail.get_body(("plain",)).get_content()
    smtp.clear()
    clock.freeze(frozen + timedelta(hours=10))  # 19:00 local on Monday: the carer's reminder
    dispatch_due()
    assert [m["Subject"] for m in smtp.to(weekly.carer.email)] == ["Morgen komt er iemand voor u"]
    clock.freeze(frozen + timedelta(hours=28))  # 24 h before Tuesday 14:00
    dispatch_due()
    assert "Morgen: respijt" in [m["Subject"] for m in smtp.to(rvolunteer.email)]


def test_volunteer_mail_names_the_person_cared_for_and_their_address_with_the_carer_as_contact(
        smtp, weekly, rvolunteer, rcoordinator, cared_for, rcarer, session):
    rvolunteer.volunteer_profile.max_hours_month = 40
    service.book_volunteer(weekly, rvolunteer, by=rcoordinator)
    session.commit()
    dispatch_due()
    (mail,) = smtp.to(rvolunteer.email)
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert cared_for.address_line != rcarer.address_line
    line = f"bij Piet Visser, {cared_for.address_line}. Contactpersoon: Truus Visser (mantelzorger), 06 12345678"
    assert line in text
    assert line.replace("06 12345678", '<a class="govuk-link" href="tel:+31612345678">06 12345678</a>') in html
    assert "Contactpersoon: Truus Visser (mantelzorger)." in text
    assert "bij Truus" not in text and rcarer.address_line not in text
    service.cancel_shift(weekly.shifts[0], by=rcoordinator)
    session.commit()
    smtp.clear()
    dispatch_due()
    cancelled = [m.get_body(("plain",)).get_content() for m in smtp.to(rvolunteer.email)]
    assert any("Afgezegd: respijt bij Piet Visser op dinsdag 17 maart 2026" in t for t in cancelled)
