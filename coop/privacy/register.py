"""The processing register (verwerkingsregister, AVG art. 30): what is stored, why, how long,
who sees it. The periods are the village's own settings, so the register always says what the
nightly job does."""
from __future__ import annotations

from dataclasses import dataclass

from coop.followups.models import durations_for
from coop.privacy.models import Periods, periods_for


@dataclass(frozen=True)
class Entry:
    what: str        # the kind of data
    data: str        # which fields
    why: str         # purpose and legal ground (grondslag)
    period: str      # how long, in words
    who: str         # who sees it
    setting: str | None = None  # the setting behind the period, when the village chooses it


def _n(n: int, one: str, more: str) -> str:
    return f"{n} {one if n == 1 else more}"


def entries(village_id: int | None) -> list[Entry]:
    """The register of a village; without one (the public page, logged out) the defaults."""
    p = periods_for(village_id) if village_id is not None else Periods()
    months = durations_for(village_id).retention_months if village_id is not None else 24
    return [
        Entry("Contactgegevens", "naam, adres, telefoonnummer, e-mailadres, plek op de kaart",
              "om hulp te regelen die u vraagt of geeft (uitvoering van de afspraak met u, AVG art. 6 lid 1b)",
              "zolang u hulp krijgt of geeft; op uw verzoek wissen wij ze (Vergeet mij)",
              "de dorpsondersteuner en de beheerder; een vrijwilliger ziet uw voornaam en straat, en uw "
              "telefoonnummer pas na de afspraak en alleen als u dat goed vindt"),
        Entry("Hulpvragen",
              "wat u nodig hebt, wanneer en waar, de tijdlijn, de Schijf van Vijf, voorstellen aan helpers",
              "om hulp te regelen (AVG art. 6 lid 1b)",
              f"{_n(months, 'maand', 'maanden')} na het afronden; daarna blijft alleen over wat de cijfers tellen "
              "(soort hulp, datum, status)",
              "de dorpsondersteuner; de helper die de vraag aanneemt ziet de taak", "retention_months"),
        Entry("Mantelzorg en respijt", "wie u verzorgt, wat de vrijwilliger moet weten, wat u nodig hebt",
              "om een vrijwilliger de zorg even te laten overnemen (AVG art. 6 lid 1b)",
              f"wat de vrijwilliger moet weten: {_n(p.carer_notes_months, 'maand', 'maanden')} "
              "na de laatste keer respijt",
              "de dorpsondersteuner, en de vrijwilliger die die dag komt", "carer_notes_months"),
        Entry("CarerQol (hoe gaat het met u als mantelzorger?)", "uw antwoorden en uw cijfer",
              "om op tijd te zien dat het u te veel wordt; dit zijn gegevens over gezondheid, die wij alleen "
              "bewaren als u ze zelf invult of dat goed vindt (AVG art. 9 lid 2a)",
              f"{_n(p.carerqol_months, 'maand', 'maanden')}", "de dorpsondersteuner", "carerqol_months"),
        Entry("Telefooncirkel", "in welke cirkel u zit en op welke plaats, wanneer u weg bent, wie uw sleutel "
              "heeft, en of u 's ochtends opnam",
              "om op tijd te merken dat er iets mis is als u alleen woont (uitvoering van de afspraak met u, "
              "AVG art. 6 lid 1b)", "zolang u meedoet; op uw verzoek wissen wij het (Vergeet mij)",
              "de andere deelnemers zien alleen uw naam en telefoonnummer; de dorpsondersteuner ziet alles, uw "
              "sleutelhouder krijgt uw adres als u niet opneemt"),
        Entry("Uren en vrijwilligersvergoeding", "datum, uren, kilometers, onkosten en wat u kreeg",
              "de belastingwet vraagt dat de coöperatie vastlegt wat zij aan vergoedingen betaalt "
              "(wettelijke plicht, AVG art. 6 lid 1c)",
              "7 jaar (fiscale bewaarplicht); ook na Vergeet mij blijven datum, uren, kilometers en bedragen, "
              "zonder naam", "de dorpsondersteuner en de beheerder"),
        Entry("Activiteiten", "voor welke activiteit u zich aanmeldde, de wachtlijst, of u opgehaald wilt worden, "
              "wat u niet eet, of u er was; en bij welke activiteit een vrijwilliger helpt",
              "om de activiteit te regelen waarvoor u zich aanmeldt (AVG art. 6 lid 1b)",
              "zolang u bij ons bekend bent; op uw verzoek wissen wij ze (Vergeet mij); de gemeente ziet alleen "
              "hoeveel mensen er per maand waren", "de dorpsondersteuner; de vrijwilliger die helpt ziet alleen "
              "hoeveel mensen er komen, de vrijwilliger die rijdt ziet de lift zoals bij elke hulpvraag"),
        Entry("VOG en vrijwilligersovereenkomst", "datum van de VOG en van de overeenkomst, bevoegdheden",
              "om veilig te werken met kwetsbare inwoners (gerechtvaardigd belang, AVG art. 6 lid 1f)",
              "zolang u vrijwilliger bent", "de dorpsondersteuner"),
        Entry("Lidmaatschap en contributie",
              "lidnummer, wie in het huishouden lid is, sinds en tot wanneer, korting, de machtiging (kenmerk, "
              "datum, IBAN en naam bij de rekening), de contributie per jaar: betaald, teruggeboekt, herinnerd",
              "om de contributie te innen die u als lid betaalt (uitvoering van de afspraak met u, AVG art. 6 lid 1b)",
              "zolang u lid bent, en daarna 7 jaar wat de boekhouding vraagt (fiscale bewaarplicht); bij Vergeet mij "
              "wissen wij het IBAN en de naam bij de rekening meteen",
              "de dorpsondersteuner en de beheerder; de bank krijgt het incassobestand"),
        Entry("Berichten", "de tekst van mails en berichten die wij u stuurden",
              "om u te laten weten wat er geregeld is (AVG art. 6 lid 1b)",
              f"{_n(p.outbox_body_days, 'dag', 'dagen')} na het versturen; daarna blijft alleen dat er iets "
              "verstuurd is", "u zelf; de dorpsondersteuner als een bericht niet aankwam", "outbox_body_days"),
        Entry("Inloggen", "pogingen om in te loggen met het adres van de computer, en waar u bent ingelogd",
              "om uw account te beschermen tegen inbrekers (gerechtvaardigd belang, AVG art. 6 lid 1f)",
              f"pogingen: {_n(p.login_attempt_days, 'dag', 'dagen')}; afgesloten inlogsessies: 30 dagen",
              "u zelf (op Mijn gegevens)", "login_attempt_days"),
        Entry("Logboek", "wie wanneer uw gegevens bekeek of veranderde, in welke rol en namens wie",
              "de norm voor de zorg (NEN 7513) vraagt dit, zodat u kunt zien wie er keek",
              f"{_n(p.audit_years, 'jaar', 'jaar')}; het logboek kan niet veranderd worden; oudere regels "
              "verwijdert de app elke nacht",
              "u zelf (op Mijn gegevens) en de beheerder", "audit_years"),
        Entry("Geleende hulpmiddelen", "welk hulpmiddel u leent of leende, van wanneer tot wanneer, in welke "
              "staat het terugkwam, en een notitie",
              "om bij te houden wat de coöperatie uitleent en u op tijd te herinneren (AVG art. 6 lid 1b)",
              "zolang u het leent, en daarna tot u vraagt om vergeten te worden (Vergeet mij); dan blijven alleen "
              "het hulpmiddel en de datums over, zonder naam, voor de cijfers",
              "de dorpsondersteuner en de beheerder"),
        Entry("Cijfers voor de gemeente", "alleen aantallen per maand en soort hulp; kleine aantallen verborgen",
              "om de gemeente te laten zien wat de coöperatie doet", "geen persoonsgegevens", "de gemeente"),
    ]
