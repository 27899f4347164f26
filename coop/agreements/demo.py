"""Demo: the agreement between Zorgcoöperatie Austerlitz and Gemeente Zeist.

Version 1 was agreed a year ago; version 2 is a draft with a few changes, so comparing the
two shows something.
"""
from __future__ import annotations

from datetime import date, timedelta

from coop.agreements import service
from coop.agreements.models import CONSULTED, DECIDES, DOES, INFORMED
from coop.core.clock import local_now, now

# domain key: ({party: (role, note)}, funding, note)
MATRIX = {
    "shopping": ({"resident": (DECIDES, "wat en wanneer"), "family": (DOES, "waar dat kan"),
                  "volunteer": (DOES, "samen of voor iemand"), "coordinator": (CONSULTED, "koppelt")},
                 "vrijwillig, onkosten via de coöperatie", ""),
    "transport": ({"resident": (DECIDES, ""), "family": (DOES, ""), "volunteer": (DOES, "lift naar arts en ziekenhuis"),
                   "coordinator": (CONSULTED, "plant"), "municipality": (INFORMED, "Wmo-vervoer blijft mogelijk")},
                  "kilometervergoeding uit subsidie", ""),
    "company": ({"resident": (DECIDES, ""), "family": (DOES, ""), "volunteer": (DOES, "bezoek en wandelen"),
                 "coordinator": (DOES, "signaleert eenzaamheid"), "municipality": (INFORMED, "")},
                "subsidie welzijn", ""),
    "meeting": ({"volunteer": (DOES, "koffieochtend, eettafel"), "coordinator": (DECIDES, "programma"),
                 "municipality": (CONSULTED, "")}, "subsidie welzijn", "In het dorpshuis."),
    "odd_jobs": ({"resident": (DECIDES, ""), "family": (DOES, ""), "volunteer": (DOES, "kleine klussen, geen vakwerk"),
                  "coordinator": (CONSULTED, "")}, "materiaal voor rekening inwoner", ""),
    "meals": ({"resident": (DECIDES, ""), "family": (DOES, ""), "volunteer": (DOES, "eettafel twee keer per week"),
               "professional": (INFORMED, "bij dieetwensen")}, "eigen bijdrage", ""),
    "respite": ({"family": (DECIDES, "de mantelzorger vraagt"), "volunteer": (DOES, "een middag overnemen"),
                 "coordinator": (DOES, "plant en houdt contact"),
                 "professional": (CONSULTED, "achterwacht bij zorgtaken"),
                 "municipality": (INFORMED, "")}, "subsidie mantelzorgondersteuning", ""),
    "carer_support": ({"family": (DECIDES, ""), "coordinator": (DOES, "gesprek en CarerQol-check"),
                       "municipality": (DOES, "mantelzorgwaardering")}, "Wmo", ""),
    "household": ({"resident": (CONSULTED, "keukentafelgesprek"), "coordinator": (INFORMED, "verwijst door"),
                   "professional": (DOES, "thuiszorgorganisatie"), "municipality": (DECIDES, "indicatie")},
                  "Wmo-maatwerkvoorziening", ""),
    "housing": ({"resident": (CONSULTED, ""), "coordinator": (INFORMED, "verwijst door"),
                 "municipality": (DECIDES, "beoordeelt en betaalt")}, "Wmo", "De coöperatie beslist hier niet."),
    "personal_care": ({"resident": (CONSULTED, ""), "family": (CONSULTED, ""), "professional": (DOES, "wijkverpleging"),
                       "coordinator": (INFORMED, "")}, "Zvw of Wlz", ""),
    "medication": ({"resident": (CONSULTED, ""), "volunteer": (DOES, "alleen getraind, met achterwacht"),
                    "professional": (DECIDES, "achterwacht")}, "Zvw", "Schriftelijk vastgelegd per vrijwilliger."),
    "volunteers": ({"volunteer": (CONSULTED, ""), "coordinator": (DOES, "werft, begeleidt, regelt VOG"),
                    "municipality": (DOES, "betaalt VOG en scholing")}, "subsidie vrijwilligerswerk", ""),
    "advice": ({"resident": (CONSULTED, ""), "coordinator": (DOES, "eerste aanspreekpunt in het dorp"),
                "municipality": (DOES, "Wmo-loket")}, "subsidie", ""),
}


def _fill(version, by):
    for row in version.rows:
        cells, funding, note = MATRIX.get(row.key, ({}, "", ""))
        service.update_row(version, row.id, by=by, domain=row.domain, funding=funding, note=note,
                           cells={p: cells.get(p, (None, "")) for p in (c.party for c in row.cells)})


def seed(ctx) -> None:
    coordinator, gemeente = ctx.coordinator, ctx.municipality_user
    this_year = local_now().year
    agreement = service.create_agreement(
        ctx.village, by=coordinator, title="Afspraken Zorgcoöperatie Austerlitz en Gemeente Zeist",
        starts_on=date(this_year, 1, 1), ends_on=date(this_year, 12, 31), review_on=date(this_year, 12, 1),
        cooperative_contact="Marieke van Dam, dorpsondersteuner",
        municipality_contact="Ahmed El Amrani, beleidsadviseur Wmo")
    first = agreement.latest
    from coop.extensions import db
    db.session.flush()
    _fill(first, coordinator)
    service.propose(first, by=coordinator)
    service.sign(first, by=coordinator, name="Marieke van Dam")
    service.sign(first, by=gemeente, name="A. El Amrani")
    db.session.flush()

    # Version 2: a draft with some changes for next year.
    second = service.start_revision(agreement, by=coordinator)
    db.session.flush()
    service.update_details(second, by=coordinator, title=first.title, starts_on=date(this_year + 1, 1, 1),
                           ends_on=date(this_year + 1, 12, 31), review_on=date(this_year + 1, 7, 1),
                           cooperative_contact=first.cooperative_contact,
                           municipality_contact=first.municipality_contact)
    meals = next(r for r in second.rows if r.key == "meals")
    service.update_row(second, meals.id, by=coordinator, domain=meals.domain,
                       funding="eigen bijdrage, tekort uit subsidie", note="Ook maaltijden thuisbrengen.",
                       cells={"resident": (DECIDES, ""), "family": (DOES, ""),
                              "volunteer": (DOES, "eettafel en thuisbrengen"),
                              "coordinator": (CONSULTED, "plant de rondes"),
                              "professional": (INFORMED, "bij dieetwensen"), "municipality": (None, "")})
    service.add_row(second, by=coordinator, domain="Digitale hulp (tablet, DigiD)")
    db.session.flush()
    service.add_comment(second, meals.id, by=gemeente, text="Kunnen we bespreken hoe het tekort wordt gedekt?")

    # Spread the history over the past year, as it happened.
    start = now() - timedelta(days=330)
    for i, event in enumerate(agreement.events):
        event.at = start + timedelta(days=i * 3) if event.version_number == 1 else now() - timedelta(days=10 - i % 10)
    for sign_off in first.sign_offs:
        sign_off.signed_at = start + timedelta(days=20)
    first.agreed_at = start + timedelta(days=20)
