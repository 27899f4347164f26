"""What a mail server's refusal means, in plain Dutch, for the coordinator's list of mail
that did not arrive. The server's own words stay beside it for whoever looks after the mail.

Read from the SMTP reply code and, where the server gives one, the enhanced status code
(RFC 3463: class.subject.detail) — those are standard, the free text after them is not.
"""
from __future__ import annotations

import re

ENHANCED = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
REPLY = re.compile(r"^\s*([245]\d\d)\b")

# (class, subject, detail) prefixes, most specific first; None matches any detail.
MEANINGS: tuple[tuple[tuple[str, str | None, str | None], str], ...] = (
    (("5", "1", "1"), "Dit e-mailadres bestaat niet (meer). Vraag het juiste adres na, of bel de persoon."),
    (("5", "1", "2"), "Het deel na de @ bestaat niet. Kijk of het e-mailadres goed gespeld is."),
    (("5", "1", "10"), "Dit e-mailadres bestaat niet. Vraag het juiste adres na, of bel de persoon."),
    (("5", "1", None), "Dit e-mailadres klopt niet. Vraag het juiste adres na, of bel de persoon."),
    (("5", "2", "2"), "De mailbox van de ontvanger is vol. Bel de persoon, of probeer het later opnieuw."),
    (("5", "2", "1"), "De mailbox van de ontvanger is uitgezet. Bel de persoon."),
    (("5", "2", None), "De mailbox van de ontvanger neemt geen berichten aan. Bel de persoon."),
    (("5", "7", None), "De mailserver van de ontvanger weigerde het bericht (bijvoorbeeld als spam). Bel de persoon."),
    (("4", None, None), "De mailserver van de ontvanger was tijdelijk niet bereikbaar. Probeer het later opnieuw."),
)
BY_REPLY = {
    "550": MEANINGS[0][1], "551": MEANINGS[0][1], "553": MEANINGS[3][1],
    "552": MEANINGS[4][1], "554": MEANINGS[7][1],
}
TEMPORARY = MEANINGS[8][1]
OUR_SERVER = "Onze eigen mailserver was niet bereikbaar. Meld het de beheerder; het bericht blijft bewaard."
UNKNOWN = "Het bericht kon niet worden bezorgd. Bel de persoon, of probeer het later opnieuw."
HANDLED = "(afgehandeld door de dorpsondersteuner)"


def explain(error: str | None) -> str:
    """The meaning of a stored delivery error, e.g. '550 5.1.1 User unknown' → 'Dit
    e-mailadres bestaat niet (meer)…'."""
    text = (error or "").replace(HANDLED, "").strip()
    if text.startswith("verbinding:"):  # coop/followups/sending.py: our server did not answer
        return OUR_SERVER
    found = ENHANCED.search(text)
    if found:
        code = found.groups()
        for (klass, subject, detail), meaning in MEANINGS:
            if klass == code[0] and subject in (None, code[1]) and detail in (None, code[2]):
                return meaning
    reply = REPLY.match(text)
    if reply:
        number = reply.group(1)
        return BY_REPLY.get(number) or (TEMPORARY if number.startswith("4") else UNKNOWN)
    return UNKNOWN
