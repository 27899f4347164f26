"""Mail as people read it: a refusal explained in plain Dutch, subjects with dates (coop/followups)."""
from __future__ import annotations

import pytest

from coop.followups.mail_errors import OUR_SERVER, UNKNOWN, explain


@pytest.mark.parametrize(("reply", "start"), [
    ("550-5.1.1 The email account that you tried to reach does not exist.", "Dit e-mailadres bestaat niet"),
    ("550 5.1.1 <bep@example.org>: Recipient address rejected: User unknown", "Dit e-mailadres bestaat niet"),
    ("550 Requested action not taken: mailbox unavailable", "Dit e-mailadres bestaat niet"),
    ("550 5.1.2 Host unknown", "Het deel na de @ bestaat niet"),
    ("552 5.2.2 The email account that you tried to reach is over quota.", "De mailbox van de ontvanger is vol"),
    ("552 Mailbox full", "De mailbox van de ontvanger is vol"),
    ("554 5.7.1 Message rejected as spam", "De mailserver van de ontvanger weigerde het bericht"),
    ("421 4.7.0 Try again later, closing connection.", "De mailserver van de ontvanger was tijdelijk"),
    ("451 4.3.0 Probeer het later (afgehandeld door de dorpsondersteuner)", "De mailserver van de ontvanger was"),
])
def test_a_refusal_is_explained_from_its_codes(reply, start):
    assert explain(reply).startswith(start)


def test_our_own_server_down_says_so():
    assert explain("verbinding: ConnectionRefusedError: [Errno 111] Connection refused") == OUR_SERVER


@pytest.mark.parametrize("reply", ["", None, "TypeError: cannot encode", "opmaak mislukt"])
def test_anything_else_still_reads_as_a_sentence(reply):
    assert explain(reply) == UNKNOWN


def test_the_digest_subject_names_the_monday_not_the_week_number():
    from coop.followups.messages import digest_subject
    assert digest_subject("2026-W49") == "Weekoverzicht vanaf maandag 30 november"
    assert digest_subject("2027-W01") == "Weekoverzicht vanaf maandag 4 januari"
