"""The audit log in plain Dutch: one sentence per action code, never the code itself.

A person reads on "Mijn gegevens" what was done with their data ("Marieke (dorpsondersteuner)
bekeek uw hulpvraag, 3 december 10:12"); the administrator reads a short label per row. Each
code has a label, a phrase for the person the event is about, and (for lists, searches and
exports) a phrase for the others it showed. A code without a sentence here still reads as a
sentence (FALLBACK); tests/core/test_audit_log.py checks that every code the app writes has one.
"""
from __future__ import annotations

from dataclasses import dataclass

from coop.core import dutch
from coop.core import roles as R
from coop.core.clock import local_now
from coop.core.models import AuditLog, User


@dataclass(frozen=True)
class Wording:
    label: str  # for the administrator: what happened
    about: str  # for the person it is about, after who did it (a capital: a sentence of its own)
    shown: str = "bekeek een overzicht waarin u stond"  # for the others it showed


FALLBACK = Wording("iets gedaan met gegevens", "deed iets met uw gegevens", "deed iets waarbij uw naam te zien was")
SYSTEM = "Het systeem"

WORDINGS: dict[str, Wording] = {
    # logging in and accounts
    "login": Wording("ingelogd", "logde in"),
    "login.throttled": Wording("inloggen geblokkeerd na te veel pogingen",
                               "Inloggen op uw account werd even geblokkeerd na te veel verkeerde wachtwoorden"),
    "password.reset_requested": Wording("nieuw wachtwoord aangevraagd",
                                        "Er werd een link aangevraagd om uw wachtwoord opnieuw in te stellen"),
    "password.confirmed": Wording("wachtwoord opnieuw ingetypt", "typte uw wachtwoord opnieuw in om gegevens te "
                                  "wijzigen"),
    "password.changed": Wording("wachtwoord gewijzigd", "wijzigde uw wachtwoord"),
    "account.contact_changed": Wording("e-mailadres of telefoonnummer gewijzigd",
                                       "wijzigde uw e-mailadres of telefoonnummer"),
    "account.disabled": Wording("account uitgezet", "zette uw account uit"),
    "account.enabled": Wording("account weer aangezet", "zette uw account weer aan"),
    "logout.everywhere": Wording("overal uitgelogd", "logde overal uit"),
    "login.two_step": Wording("code uit de app getypt bij inloggen", "logde in met de code uit de app"),
    "login.recovery_code": Wording("ingelogd met een herstelcode", "logde in met een herstelcode"),
    "login.two_step_failed": Wording("verkeerde code getypt bij inloggen",
                                     "Bij het inloggen op uw account werd een verkeerde code getypt"),
    "two_step.on": Wording("tweestapsverificatie aangezet", "zette de tweestapsverificatie aan"),
    "two_step.new_codes": Wording("nieuwe herstelcodes gemaakt", "maakte nieuwe herstelcodes"),
    "two_step.off": Wording("tweestapsverificatie uitgezet of gewist", "zette uw tweestapsverificatie uit"),
    # people
    "person.created": Wording("persoon vastgelegd", "legde uw gegevens vast"),
    "person.viewed": Wording("gegevens van een persoon bekeken", "bekeek uw gegevens"),
    "people.searched": Wording("mensen gezocht of bekeken in de lijst", "zocht in de lijst van mensen",
                               "zocht in de lijst van mensen; u stond in de uitkomst"),
    "volunteer.approved": Wording("vrijwilliger goedgekeurd", "keurde uw aanmelding als vrijwilliger goed"),
    "volunteer.paused": Wording("vrijwilliger op pauze gezet", "zette uw vrijwilligerswerk op pauze"),
    "volunteer.resumed": Wording("vrijwilliger van pauze gehaald", "haalde uw vrijwilligerswerk van pauze"),
    "volunteer.papers": Wording("VOG of vrijwilligersovereenkomst vastgelegd",
                                "legde uw VOG of vrijwilligersovereenkomst vast"),
    "volunteer.papers_viewed": Wording("VOG en overeenkomst bekeken", "bekeek uw VOG en vrijwilligersovereenkomst"),
    "volunteer.competence": Wording("bevoegdheid vastgelegd", "legde een bevoegdheid van u vast"),
    "volunteer.competence_changed": Wording("bevoegdheid gewijzigd", "wijzigde een bevoegdheid van u"),
    "volunteer.competence_removed": Wording("bevoegdheid verwijderd", "verwijderde een bevoegdheid van u"),
    "volunteer.vog": Wording("datum VOG vastgelegd", "legde de datum van uw VOG vast"),
    "volunteer.contract": Wording("vrijwilligersovereenkomst vastgelegd",
                                  "legde vast wanneer u de vrijwilligersovereenkomst tekende"),
    "volunteer.age_band": Wording("leeftijdsgroep voor de vergoeding vastgelegd",
                                  "legde vast of u jonger bent dan 21 (voor de vergoeding)"),
    "person.exported": Wording("kopie van alle gegevens gedownload", "downloadde een kopie van al uw gegevens"),
    "person.printed": Wording("kopie van alle gegevens geopend om te printen",
                              "opende een kopie van al uw gegevens om te printen"),
    "person.erased": Wording("persoon vergeten (gegevens gewist)", "wiste uw gegevens op uw verzoek"),
    "person.address": Wording("adres gewijzigd", "wijzigde uw adres"),
    "person.located": Wording("adres op de kaart gezet", "zette uw adres op de kaart"),
    "person.pinned": Wording("plek op de kaart gezet", "zette uw plek op de kaart met de hand"),
    # requests
    "request.posted": Wording("hulpvraag ingediend", "zette een hulpvraag in"),
    "request.viewed": Wording("hulpvraag bekeken", "bekeek uw hulpvraag"),
    "request.form_opened": Wording("hulpvraagformulier geopend", "opende het formulier voor een hulpvraag"),
    "request.printed": Wording("afspraken uit de Schijf van Vijf geopend om te printen",
                               "opende de afspraken bij uw hulpvraag om te printen"),
    "role_split.viewed": Wording("Schijf van Vijf geopend", "opende de Schijf van Vijf bij uw hulpvraag"),
    "requests.listed": Wording("lijst met hulpvragen bekeken", "bekeek de lijst met hulpvragen",
                               "bekeek de lijst met hulpvragen, waarin uw hulpvraag stond"),
    "matching.viewed": Wording("helper gezocht bij een hulpvraag", "zocht een helper bij uw hulpvraag",
                               "zocht een helper bij een hulpvraag; u stond bij de mogelijke helpers"),
    "map.viewed": Wording("dorpskaart bekeken", "bekeek de kaart van het dorp",
                          "bekeek de kaart van het dorp, waarop u stond"),
    "proposal.created": Wording("voorstel aan helper gedaan", "stelde u voor als helper bij een hulpvraag"),
    "proposal.accepted": Wording("voorstel aangenomen", "nam uw hulpvraag aan als helper"),
    "proposal.viewed": Wording("voorstel bekeken", "bekeek uw hulpvraag als voorgestelde helper"),
    "proposals.listed": Wording("voorstellen bekeken door de helper", "bekeek de voorstellen",
                                "bekeek de voorstellen om te helpen, waaronder uw hulpvraag"),
    # respite and carers
    "carer.viewed": Wording("gegevens van een mantelzorger bekeken", "bekeek uw gegevens als mantelzorger",
                            "bekeek de gegevens van een mantelzorger die voor u zorgt"),
    "carer.profile_saved": Wording("profiel mantelzorger opgeslagen", "sloeg uw gegevens als mantelzorger op"),
    "carer.notes_saved": Wording("aandachtspunten voor de vrijwilliger opgeslagen",
                                 "sloeg op wat de vrijwilliger moet weten"),
    "carers.listed": Wording("lijst met mantelzorgers bekeken", "bekeek de lijst met mantelzorgers",
                             "bekeek de lijst met mantelzorgers, waarin u stond"),
    "carerqol.viewed": Wording("antwoorden 'Hoe gaat het?' bekeken", "bekeek uw antwoorden op 'Hoe gaat het?'"),
    "carerqol.submitted": Wording("antwoorden 'Hoe gaat het?' bewaard", "bewaarde uw antwoorden op 'Hoe gaat het?'"),
    "respite.form_opened": Wording("respijtformulier geopend", "opende het formulier om respijt aan te vragen"),
    "respite.requested": Wording("respijt aangevraagd", "vroeg respijt aan"),
    "respite.viewed": Wording("respijtvraag bekeken", "bekeek uw respijtvraag",
                              "bekeek een respijtvraag waarbij u betrokken bent"),
    "respite.booked": Wording("vrijwilliger ingeroosterd voor respijt", "roosterde u in voor respijt"),
    "respite.assigned": Wording("vrijwilliger ingeroosterd voor één keer", "roosterde u in voor een keer respijt"),
    "respite.cancelled": Wording("respijtkeer afgezegd", "zegde een keer respijt af"),
    "respite.cancelled_rest": Wording("respijtkeren afgezegd", "zegde de volgende keren respijt af"),
    "respite.cancel_undone": Wording("afzeggen van respijt ongedaan gemaakt",
                                     "maakte het afzeggen van respijt ongedaan"),
    "shift.viewed": Wording("respijtkeer bekeken", "bekeek een keer respijt voor u",
                            "bekeek een keer respijt waarbij u betrokken bent"),
    "roster.viewed": Wording("respijtrooster bekeken", "bekeek het respijtrooster",
                             "bekeek een respijtrooster waarin u stond"),
    "roster.printed": Wording("respijtrooster geopend om te printen", "opende het respijtrooster om te printen",
                              "opende een respijtrooster om te printen, waarin u stond"),
    "calendar.created": Wording("agenda-link gemaakt", "maakte een agenda-link voor uw rooster"),
    "calendar.revoked": Wording("agenda-link ingetrokken", "trok de agenda-link van uw rooster in"),
    "calendar.fetched": Wording("rooster door de agenda van de vrijwilliger opgehaald",
                                "haalde het rooster op in de agenda",
                                "haalde het rooster op in de eigen agenda, met uw naam erin"),
    # hours and allowances
    "hours.approved": Wording("uren goedgekeurd", "keurde uw uren goed"),
    "hours.rejected": Wording("uren afgekeurd", "keurde uw uren af"),
    "hours.listed": Wording("uren van vrijwilligers bekeken", "bekeek de uren van vrijwilligers",
                            "bekeek de uren van vrijwilligers, ook die van u"),
    "statements.viewed": Wording("overzicht vrijwilligersvergoeding bekeken", "bekeek het overzicht van de "
                                 "vrijwilligersvergoeding", "bekeek het overzicht van de vrijwilligersvergoeding, "
                                 "met uw uren en vergoeding"),
    "statements.exported": Wording("overzicht vrijwilligersvergoeding gedownload", "downloadde het overzicht van "
                                   "de vrijwilligersvergoeding", "downloadde het overzicht van de "
                                   "vrijwilligersvergoeding, met uw uren en vergoeding"),
    "expenses.settings_saved": Wording("vergoedingen van het dorp opgeslagen", "sloeg de vergoedingen op"),
    "allowance.limits_saved": Wording("grenzen vrijwilligersvergoeding opgeslagen", "sloeg de grenzen van de "
                                      "vrijwilligersvergoeding op"),
    # calls
    "calls.listed": Wording("bellijst bekeken", "bekeek de bellijst", "bekeek de bellijst, waarop u stond"),
    "call.called": Wording("gebeld", "belde u en gaf het bericht door"),
    "call.not_reached": Wording("niet bereikt", "probeerde u te bellen, maar bereikte u niet"),
    "call.taken_over": Wording("gesprek overgenomen", "noteerde dat iemand anders u het bericht doorgaf"),
    # the phone circle
    "circle.created": Wording("telefooncirkel gemaakt", "maakte een telefooncirkel met u erin",
                              "maakte een telefooncirkel met u erin"),
    "circle.changed": Wording("telefooncirkel gewijzigd", "wijzigde de naam of tijden van de telefooncirkel"),
    "circle.form_viewed": Wording("inwoners gekozen voor een telefooncirkel", "bekeek wie mee kan doen aan een "
                                  "telefooncirkel", "bekeek wie mee kan doen aan een telefooncirkel, ook u"),
    "circle.viewed": Wording("telefooncirkel bekeken", "bekeek de telefooncirkel",
                             "bekeek een telefooncirkel waarin uw naam en telefoonnummer staan"),
    "circle.printed": Wording("telefooncirkel geopend om te printen", "opende de telefooncirkel om te printen",
                              "opende een telefooncirkel om te printen, met uw naam en telefoonnummer"),
    "circle.member_viewed": Wording("deelnemer van een telefooncirkel bekeken", "bekeek uw plaats in de "
                                    "telefooncirkel", "bekeek een deelnemer van wie u de sleutelhouder bent"),
    "circle.member_added": Wording("in een telefooncirkel gezet", "zette u in de telefooncirkel"),
    "circle.member_removed": Wording("uit een telefooncirkel gehaald", "haalde u uit de telefooncirkel"),
    "circle.order_changed": Wording("volgorde van een telefooncirkel gewijzigd", "veranderde uw plaats in de "
                                    "telefooncirkel"),
    "circle.key_holder_set": Wording("sleutelhouder vastgelegd", "legde vast wie een sleutel van uw huis heeft",
                                     "legde vast dat u een sleutel heeft van een deelnemer van de telefooncirkel"),
    "circle.absence_added": Wording("afwezigheid in een telefooncirkel vastgelegd", "legde vast dat u een tijd "
                                    "niet gebeld wordt in de telefooncirkel"),
    "circle.absence_removed": Wording("afwezigheid in een telefooncirkel verwijderd", "haalde uw afwezigheid in "
                                      "de telefooncirkel weg"),
    "circle.no_answer": Wording("geen gehoor gemeld in de telefooncirkel", "meldde dat u niet opnam in de "
                                "telefooncirkel; uw sleutelhouder en de dorpsondersteuner kregen bericht"),
    "circle.no_answer_handled": Wording("melding van de telefooncirkel afgehandeld", "schreef op hoe het afliep "
                                        "toen u niet opnam in de telefooncirkel"),
    "circle.round_complete": Wording("ronde van de telefooncirkel rond gemeld", "meldde dat de telefooncirkel "
                                     "rond was"),
    # the village and the log itself
    "village.created": Wording("dorp aangemaakt", "maakte het dorp aan"),
    "category.added": Wording("soort hulp toegevoegd", "voegde een soort hulp toe"),
    "referral_destination.added": Wording("doorverwijsadres toegevoegd", "voegde een adres toe om naar door te "
                                          "verwijzen"),
    "referral_destination.hidden": Wording("doorverwijsadres verborgen", "verborg een adres om naar door te "
                                           "verwijzen"),
    "referral_destination.shown": Wording("doorverwijsadres weer getoond", "toonde een adres om naar door te "
                                          "verwijzen weer"),
    "retention.changed": Wording("bewaartermijnen gewijzigd", "wijzigde hoe lang gegevens bewaard worden"),
    "reports.threshold": Wording("drempel voor de cijfers ingesteld", "stelde de drempel voor de cijfers in"),
    "audit.searched": Wording("logboek doorzocht", "zocht in het logboek naar wat er met uw gegevens gebeurde"),
    "audit.exported": Wording("logboek gedownload", "downloadde uit het logboek wat er met uw gegevens gebeurde"),
    # lending aids
    "aid.added": Wording("hulpmiddel aan de voorraad toegevoegd", "voegde een hulpmiddel aan de voorraad toe"),
    "aid.changed": Wording("gegevens van een hulpmiddel gewijzigd", "wijzigde de gegevens van een hulpmiddel"),
    "aid.reserved": Wording("hulpmiddel gereserveerd", "reserveerde een hulpmiddel voor u"),
    "aid.reservation_cancelled": Wording("reservering van een hulpmiddel afgezegd",
                                         "zegde de reservering van een hulpmiddel voor u af"),
    "aid.lent": Wording("hulpmiddel uitgeleend", "leende u een hulpmiddel uit"),
    "aid.returned": Wording("hulpmiddel terug ontvangen", "noteerde dat u een hulpmiddel terugbracht"),
    "aid.extended": Wording("uitlening verlengd", "verlengde de uitlening van uw hulpmiddel"),
    "aid.viewed": Wording("hulpmiddel en wie het leende bekeken", "bekeek het hulpmiddel dat u leent",
                          "bekeek een hulpmiddel dat u eerder leende"),
    "aids.listed": Wording("voorraad hulpmiddelen bekeken", "bekeek de voorraad hulpmiddelen",
                           "bekeek de voorraad hulpmiddelen, met wat u leent"),
    "aids.loans_listed": Wording("lijst van uitgeleende hulpmiddelen bekeken",
                                 "bekeek wie welk hulpmiddel leent",
                                 "bekeek wie welk hulpmiddel leent, ook wat u leent"),
    # members and their contribution
    "category.members_only": Wording("soort hulp alleen voor leden gemaakt", "maakte een soort hulp alleen voor leden"),
    "category.for_everyone": Wording("soort hulp weer voor iedereen", "maakte een soort hulp weer voor iedereen"),
    "members.settings_saved": Wording("instellingen contributie opgeslagen", "sloeg de instellingen van de "
                                      "contributie op"),
    "members.listed": Wording("ledenlijst bekeken", "bekeek de ledenlijst", "bekeek de ledenlijst, waarop u stond"),
    "member.form_opened": Wording("formulier nieuw lid geopend", "opende het formulier om u lid te maken"),
    "member.joined": Wording("lid gemaakt", "maakte u lid van de coöperatie"),
    "member.ended": Wording("lidmaatschap beëindigd", "legde het einde van uw lidmaatschap vast"),
    "member.viewed": Wording("lidmaatschap bekeken", "bekeek uw lidmaatschap en contributie",
                             "bekeek het lidmaatschap van uw huishouden"),
    "contributions.run": Wording("contributie van het jaar klaargezet", "zette de contributie van het jaar klaar"),
    "contributions.debit_file": Wording("incassobestand gedownload", "downloadde het incassobestand voor de bank",
                                        "downloadde het incassobestand voor de bank, met uw machtiging"),
    "contributions.transfer_list": Wording("lijst zelf overmaken bekeken", "bekeek wie de contributie zelf overmaakt",
                                           "bekeek wie de contributie zelf overmaakt; u stond erop"),
    "contributions.transfer_exported": Wording("lijst zelf overmaken gedownload", "downloadde wie de contributie "
                                               "zelf overmaakt", "downloadde wie de contributie zelf overmaakt; u "
                                               "stond erop"),
    "contribution.paid": Wording("betaling contributie vastgelegd", "legde vast dat uw contributie betaald is"),
    "contribution.returned": Wording("terugboeking contributie vastgelegd", "legde vast dat de incasso van uw "
                                     "contributie is teruggeboekt"),
    "contribution.reminded": Wording("herinnering contributie gestuurd", "stuurde u een herinnering voor de "
                                     "contributie"),
    "contributions.reminded": Wording("herinneringen contributie gestuurd", "stuurde herinneringen voor de "
                                      "contributie"),
    "broadcast.previewed": Wording("voorbeeld van een bericht aan een groep bekeken", "bekeek wie een bericht aan "
                                   "een groep krijgt", "bekeek wie een bericht aan een groep krijgt; u hoorde erbij"),
    "broadcast.sent": Wording("bericht aan een groep verstuurd", "stuurde een bericht aan een groep",
                              "stuurde een bericht aan een groep waar u bij hoort"),
    "broadcast.print_list": Wording("lijst om een bericht te bezorgen bekeken", "bekeek wie een bericht op papier "
                                    "krijgt", "bekeek wie een bericht op papier krijgt; u stond erop"),
}


def wording(action: str) -> Wording:
    return WORDINGS.get(action, FALLBACK)


def label(action: str) -> str:
    return wording(action).label


def when(row: AuditLog) -> str:
    """'3 december 10:12'; with the year when it is not this year."""
    this_year = dutch.local(row.at).year == local_now().year
    return dutch.datetime(row.at, "d MMMM HH:mm" if this_year else "d MMMM yyyy HH:mm")


def who(row: AuditLog, reader: User | None = None) -> str:
    """'U', 'Marieke (dorpsondersteuner)', 'Marieke (dorpsondersteuner, namens u)', 'Het systeem'."""
    if row.actor is None:
        return SYSTEM
    if reader is not None and row.actor_id == reader.id:
        return "U"
    name = row.actor.first_name if reader is not None else row.actor.full_name
    extra = [R.LABELS[row.actor_role]] if row.actor_role in R.LABELS else []
    if row.on_behalf_of is not None and row.on_behalf_of_id != row.actor_id:
        is_reader = reader is not None and row.on_behalf_of_id == reader.id
        extra.append("namens " + ("u" if is_reader else row.on_behalf_of.full_name))
    return f"{name} ({', '.join(extra)})" if extra else name


def sentence(row: AuditLog, reader: User) -> str:
    """What `reader` reads about this row on "Mijn gegevens", with when it happened."""
    words = wording(row.action)
    about_reader = reader.id in (row.subject_user_id, row.on_behalf_of_id) or \
        (row.subject_user_id is None and row.actor_id == reader.id)
    phrase = words.about if about_reader else words.shown
    text = phrase if phrase[:1].isupper() else f"{who(row, reader)} {phrase}"
    return f"{text}, {when(row)}"
