import re

from sqlalchemy import func, select

from coop.core.outbox import FollowUp
from coop.followups.dispatcher import dispatch_due
from tests.support.smtp import body_text


def reset_link(message) -> str:
    return re.search(r"http://localhost(/wachtwoord-instellen/\S+)", body_text(message)).group(1)


def request_reset(client, email):
    return client.post("/wachtwoord-vergeten", data={"email": email})


def test_reset_mail_arrives_and_the_link_sets_a_new_password_once(client, session, smtp, resident):
    response = request_reset(client, resident.email)
    assert "Als dit e-mailadres bij ons bekend is" in response.text
    assert dispatch_due() == 1
    [mail] = smtp.to(resident.email)
    assert mail["Subject"] == "Nieuw wachtwoord instellen"
    assert mail["Message-ID"].startswith("<followup-")
    text = body_text(mail)
    assert "Zorgcoöperatie Austerlitz" in text and "0343 123 456" in text
    link = reset_link(mail)

    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": "nieuwe lange zin", "password2": "nieuwe lange zin"})
    assert response.status_code == 302
    assert client.post("/inloggen", data={"email": resident.email, "password": "nieuwe lange zin"}).status_code == 302
    # The same link does not work twice.
    again = client.get(link)
    assert again.status_code == 400
    assert "al gebruikt" in again.text


def test_reset_does_not_reveal_whether_an_address_exists(client, session, smtp, resident):
    known = request_reset(client, resident.email)
    unknown = request_reset(client, "niet-bekend@example.nl")
    malformed = request_reset(client, "geen adres")
    assert known.status_code == unknown.status_code == malformed.status_code == 200
    assert known.text == unknown.text == malformed.text
    dispatch_due()
    assert len(smtp.messages) == 1
    assert session.scalar(select(func.count(FollowUp.id))) == 1


def test_expired_and_tampered_links_are_refused(app, client, session, smtp, resident):
    request_reset(client, resident.email)
    dispatch_due()
    link = reset_link(smtp.messages[0])
    tampered = link[:-3] + ("aaa" if not link.endswith("aaa") else "bbb")
    response = client.get(tampered)
    assert response.status_code == 400 and "klopt niet" in response.text
    try:
        # itsdangerous reads the system clock; the link's lifetime is shortened instead.
        app.config["PASSWORD_RESET_MAX_AGE"] = -1
        response = client.get(link)
        assert response.status_code == 400 and "verlopen" in response.text
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = 7200


def test_weak_new_password_is_refused(client, session, smtp, resident):
    request_reset(client, resident.email)
    dispatch_due()
    link = reset_link(smtp.messages[0])
    old_hash = resident.password_hash
    response = client.post(link, data={"password": "kort", "password2": "kort"})
    assert response.status_code == 422 and "minstens 8 tekens" in response.text
    session.expire_all()
    assert resident.password_hash == old_hash


def test_password_change_ends_other_sessions(client_as, client, session, smtp, resident):
    other_device = client_as(resident)
    assert other_device.get("/mijn-gegevens").status_code == 200
    request_reset(client, resident.email)
    dispatch_due()
    link = reset_link(smtp.messages[0])
    client.post(link, data={"password": "nieuwe lange zin", "password2": "nieuwe lange zin"})
    assert other_device.get("/mijn-gegevens").status_code == 302
