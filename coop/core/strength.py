"""How easy a password is to guess: zxcvbn's estimate, fed with Dutch words and the person's
own details, and the reason put in Dutch.

zxcvbn finds the cheapest way to build the password from pieces (dictionary words, names,
common passwords, keyboard rows, dates, repeats, sequences) and counts the guesses an attacker
who knows those pieces would need. We refuse fewer than MIN_GUESSES (the edge of zxcvbn's
score 3) and say which piece made it easy, from the matches themselves (zxcvbn's own feedback
is English).
"""
from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from zxcvbn import zxcvbn

MIN_GUESSES = 10 ** 8
# zxcvbn takes a while on long inputs; 64 characters of a longer password are plenty to judge.
CHECKED_LENGTH = 64

# Words a Dutch attacker tries first; zxcvbn knows English and common passwords, not these.
# The order is their rank: earlier words count as more likely.
DUTCH_WORDS = (
    "wachtwoord", "welkom", "zorgcooperatie", "zorgcoöperatie", "zorg", "cooperatie", "coöperatie",
    "geheim", "hallo", "inloggen", "vrijwilliger", "mantelzorg", "mantelzorger", "inwoner",
    "dorp", "gemeente", "hulp", "demo", "zomer", "winter", "lente", "herfst", "liefde", "schat",
    "voetbal", "ajax", "feyenoord", "oranje", "nederland", "holland", "amsterdam", "utrecht",
    "zeist", "koffie", "fiets", "poes", "hond", "kat", "opa", "oma", "papa", "mama",
)
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")
DAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")

_lock = threading.Lock()  # zxcvbn keeps the user inputs in a module-level dictionary


@dataclass(frozen=True)
class Context:
    """What is known about the person choosing the password."""
    names: tuple[str, ...] = ()
    email: str | None = None
    village: str | None = None


def _parts(text: str | None, min_length: int = 3) -> list[str]:
    return [p for p in re.split(r"[^\wÀ-ɏ]+", (text or "").lower()) if len(p) >= min_length]


def _variants(text: str | None) -> list[str]:
    """'Den Dolder' -> dendolder, den dolder, den.dolder, den-dolder, den_dolder, den, dolder."""
    parts = _parts(text, 1)
    return [sep.join(parts) for sep in ("", " ", ".", "-", "_")] + parts


def _groups(context: Context) -> dict[str, list[str]]:
    """The inputs by where they come from, so a match can say which one it hit."""
    email = (context.email or "").lower()
    local, _, domain = email.partition("@")
    return {
        "name": [w for name in context.names for w in _variants(name) if len(w) >= 3],
        "email": [w for w in [email, email.rsplit(".", 1)[0], local, *_variants(local),
                              *_parts(domain.split(".")[0])] if len(w) >= 3],
        "village": [w for w in _variants(context.village) if len(w) >= 3],
        "word": list(DUTCH_WORDS),
        "calendar": [*MONTHS, *DAYS],
    }


REASONS = {
    "name": "het lijkt op uw naam",
    "email": "het lijkt op uw e-mailadres",
    "village": "het lijkt op de naam van uw dorp",
    "word": "het bevat een woord dat veel gebruikt wordt ({word})",
    "calendar": "het bevat een maand of dag ({word})",
    "passwords": "het is een veelgebruikt wachtwoord, of lijkt er sterk op",
    "names": "het is vooral een voornaam of achternaam",
    "words": "het is vooral één bekend woord",
    "spatial": "het is een rij toetsen op het toetsenbord",
    "repeat": "het herhaalt dezelfde tekens",
    "sequence": "het is een reeks, zoals abc of 6543",
    "year": "het bevat een jaartal",
    "date": "het bevat een datum",
    "short": "het is te kort of te eenvoudig",
}


def weakness(password: str, context: Context) -> str | None:
    """Why `password` is too easy to guess, in Dutch, or None when it is strong enough."""
    groups = _groups(context)
    inputs: list[str] = []
    for words in groups.values():
        inputs.extend(w for w in words if w not in inputs)
    with _lock:
        result = zxcvbn(password[:CHECKED_LENGTH], user_inputs=inputs)
    if result["guesses"] >= MIN_GUESSES:
        return None
    return _reason(result["sequence"], groups)


def _reason(sequence: Iterable[Mapping[str, object]], groups: dict[str, list[str]]) -> str:
    found: dict[str, str] = {}
    for match in sequence:
        pattern = match.get("pattern")
        if pattern == "dictionary":
            source = match.get("dictionary_name")
            word = str(match.get("matched_word", ""))
            if source == "user_inputs":
                key = next((k for k, words in groups.items() if word in words), "word")
                found.setdefault(key, word)
            elif source == "passwords":
                found.setdefault("passwords", word)
            elif source in ("surnames", "male_names", "female_names"):
                found.setdefault("names", word)
            else:
                found.setdefault("words", word)
        elif pattern == "regex" and match.get("regex_name") == "recent_year":
            found.setdefault("year", "")
        elif pattern in ("spatial", "repeat", "sequence", "date"):
            found.setdefault(pattern, "")
    for key in ("name", "email", "village", "passwords", "word", "calendar", "spatial", "repeat",
                "sequence", "year", "date", "names", "words"):
        if key in found:
            return REASONS[key].format(word=found[key])
    return REASONS["short"]
