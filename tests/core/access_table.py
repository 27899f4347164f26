"""Who may open what: one row per endpoint of the URL map, written down by hand.

`who` are the personas the guard lets in (a carer is also a resident). For an endpoint about
one object, `village` says its village is checked: from another village the answer is
`far` (404 reveals nothing; the figures say 403 "not yours"). `mine` are the personas for
whom the object must be their own (a peer of the same village gets 404); `owner` are those
whose object the URL names. Public endpoints answer anyone, logged in or not.

A route added to the app without a row here makes tests/core/test_access.py fail.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

PUBLIC = frozenset({"anonymous", "resident", "carer", "volunteer", "professional", "coordinator", "admin",
                    "gemeente", "platform"})
LOGGED_IN = PUBLIC - {"anonymous"}
STAFF = frozenset({"coordinator", "admin"})
READERS = STAFF | {"gemeente"}
RESIDENTS = frozenset({"resident", "carer"})  # a carer holds the resident role as well
HELPERS = frozenset({"volunteer", "professional"})
NONE: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Access:
    who: frozenset[str]
    urls: Callable[[dict], list[str]]
    village: bool = False
    mine: frozenset[str] = NONE
    owner: frozenset[str] = NONE
    far: int = 404
    done: str = "ok"  # what an admitted request gets ("login": logging out lands on the login page)

    @property
    def public(self) -> bool:
        return "anonymous" in self.who


def at(*templates: str) -> Callable[[dict], list[str]]:
    """URLs with {names} from the world's ids."""
    return lambda ids: [t.format(**ids) for t in templates]


def staff(*templates: str, who: frozenset[str] = STAFF) -> Access:
    """A page of staff about one object of their village."""
    return Access(who, at(*templates), village=True)


def page(who: frozenset[str], *templates: str) -> Access:
    """A page about no object in particular."""
    return Access(who, at(*templates))


def residents(template: str, who: frozenset[str] = RESIDENTS | STAFF) -> Access:
    """A help request: staff of its village, or the resident who asked."""
    return Access(who, at(template), village=True, mine=RESIDENTS, owner=frozenset({"resident"}))


def helpers(template: str) -> Access:
    """The volunteer's own proposal or availability (a professional holds none of these)."""
    return Access(HELPERS, at(template), village=True, mine=HELPERS, owner=frozenset({"volunteer"}))


def carers(template: str) -> Access:
    return Access(frozenset({"carer"}) | STAFF, at(template), village=True, mine=frozenset({"carer"}),
                  owner=frozenset({"carer"}))


TABLE: dict[str, Access] = {
    # activities: the coordinator plans them; a resident signs up and withdraws their own
    "activities.add_helper": staff("/activiteiten/{activity}/helpers"),
    "activities.attendance": staff("/activiteiten/{activity}/aanwezigheid"),
    "activities.cancel": staff("/activiteiten/{activity}/afzeggen"),
    "activities.edit": staff("/activiteiten/{activity}/wijzigen"),
    "activities.index": page(STAFF, "/activiteiten"),
    "activities.mine": page(RESIDENTS, "/mijn-activiteiten"),
    "activities.mine_show": Access(RESIDENTS, at("/mijn-activiteiten/{activity}"), village=True),
    "activities.new": page(STAFF, "/activiteiten/nieuw"),
    "activities.print_list": staff("/activiteiten/{activity}/afdrukken"),
    "activities.remove_helper": staff("/activiteiten/{activity}/helpers/{volunteer}/weg"),
    "activities.show": staff("/activiteiten/{activity}"),
    "activities.sign_up_for": staff("/activiteiten/{activity}/aanmelden/{resident}"),
    "activities.sign_up_pick": staff("/activiteiten/{activity}/aanmelden"),
    "activities.withdraw": residents("/activiteiten/aanmeldingen/{signup}/afmelden"),
    # admin
    "admin.add_destination": page(STAFF, "/beheer/doorverwijzen"),
    "admin.audit_log": page(frozenset({"admin"}), "/beheer/logboek"),
    "admin.audit_log_csv": page(frozenset({"admin"}), "/beheer/logboek.csv"),
    "admin.categories": page(STAFF, "/beheer/categorieen"),
    "admin.index": page(frozenset({"admin"}), "/beheer/"),
    "admin.toggle_destination": staff("/beheer/doorverwijzen/{destination}/verbergen"),
    "admin.toggle_members_only": staff("/beheer/categorieen/{category}/alleen-leden"),
    # agreements: the village's coordinator writes, its gemeente reads, comments and signs
    "agreements.add_row": staff("/afspraken/{agreement}/onderwerp-toevoegen", who=frozenset({"coordinator"})),
    "agreements.comment": staff("/afspraken/{agreement}/opmerking", who=frozenset({"coordinator", "gemeente"})),
    "agreements.compare_versions": staff("/afspraken/{agreement}/vergelijken", who=READERS),
    "agreements.edit_details": staff("/afspraken/{agreement}/gegevens", who=frozenset({"coordinator"})),
    "agreements.edit_row": staff("/afspraken/{agreement}/onderwerp/{row}", who=frozenset({"coordinator"})),
    "agreements.index": page(READERS, "/afspraken/"),
    "agreements.new": page(frozenset({"coordinator"}), "/afspraken/nieuw"),
    "agreements.print_view": staff("/afspraken/{agreement}/versie/1/afdrukken", who=READERS),
    "agreements.remove_row": staff("/afspraken/{agreement}/onderwerp/{row}/verwijderen",
                                   who=frozenset({"coordinator"})),
    "agreements.revise": staff("/afspraken/{agreement}/nieuwe-versie", who=frozenset({"coordinator"})),
    "agreements.show": staff("/afspraken/{agreement}", "/afspraken/{agreement}/versie/1", who=READERS),
    "agreements.sign": staff("/afspraken/{agreement}/tekenen", who=frozenset({"coordinator", "gemeente"})),
    "agreements.step": staff("/afspraken/{agreement}/stap/voorstellen", who=frozenset({"coordinator", "gemeente"})),
    # accounts
    "auth.change_contact": page(LOGGED_IN, "/mijn-gegevens/contact"),
    "auth.change_password": page(LOGGED_IN, "/mijn-gegevens/wachtwoord"),
    "auth.confirm_password": page(LOGGED_IN, "/mijn-gegevens/bevestigen"),
    "auth.forgot_password": page(PUBLIC, "/wachtwoord-vergeten"),
    "auth.login": page(PUBLIC, "/inloggen"),
    "auth.logout": Access(LOGGED_IN, at("/uitloggen"), done="login"),
    "auth.logout_everywhere": Access(LOGGED_IN, at("/mijn-gegevens/overal-uitloggen"), done="login"),
    "auth.register": page(PUBLIC, "/aanmelden"),
    "auth.reset_password": page(PUBLIC, "/wachtwoord-instellen/{reset}"),
    "auth.set_account_active": staff("/mensen/{resident}/account", who=frozenset({"admin"})),
    # the code after the password: without a password just typed, back to the login page
    "auth.two_step_code": Access(PUBLIC, at("/inloggen/code"), done="login"),
    "auth.two_step_setup": page(LOGGED_IN, "/mijn-gegevens/tweestaps"),
    "auth.two_step_begin": page(LOGGED_IN, "/mijn-gegevens/tweestaps/beginnen"),
    "auth.two_step_confirm": page(LOGGED_IN, "/mijn-gegevens/tweestaps/bevestigen"),
    "auth.two_step_new_codes": page(LOGGED_IN, "/mijn-gegevens/tweestaps/herstelcodes"),
    "auth.two_step_off": page(LOGGED_IN, "/mijn-gegevens/tweestaps/uitzetten"),
    "auth.two_step_clear": staff("/mensen/{resident}/tweestaps-wissen", who=frozenset({"admin"})),
    # lending aids: the village's staff
    "aids.cancel_reservation": staff("/hulpmiddelen/uitleningen/{reservation}/afzeggen"),
    "aids.edit_item": staff("/hulpmiddelen/{aid}/wijzigen"),
    "aids.extend": staff("/hulpmiddelen/uitleningen/{loan}/verlengen"),
    "aids.hand_out": staff("/hulpmiddelen/uitleningen/{reservation}/meegeven"),
    "aids.item": staff("/hulpmiddelen/{aid}"),
    "aids.lend": staff("/hulpmiddelen/{aid}/uitlenen"),
    "aids.loans": page(STAFF, "/hulpmiddelen/uitgeleend"),
    "aids.new_item": page(STAFF, "/hulpmiddelen/nieuw"),
    "aids.reserve": staff("/hulpmiddelen/reserveren/hulpvraag/{searching}"),
    "aids.return_item": staff("/hulpmiddelen/uitleningen/{loan}/terug"),
    "aids.stock": page(STAFF, "/hulpmiddelen/", "/hulpmiddelen/?soort=rollator&status=free"),
    # the call list is the coordinator's
    "calllist.index": page(frozenset({"coordinator"}), "/bellijst/"),
    "calllist.record": staff("/bellijst/{call}", who=frozenset({"coordinator"})),
    # the phone circle: the coordinator's pages, and a member's own circle
    "circles.index": page(STAFF, "/telefooncirkels"),
    "circles.new": page(STAFF, "/telefooncirkels/nieuw"),
    "circles.show": staff("/telefooncirkels/{circle}"),
    "circles.add_member": staff("/telefooncirkels/{circle}/deelnemers"),
    "circles.member": staff("/telefooncirkels/deelnemers/{circle_member}"),
    "circles.move": staff("/telefooncirkels/deelnemers/{circle_member}/omlaag"),
    "circles.remove_member": staff("/telefooncirkels/deelnemers/{circle_member}/verwijderen"),
    "circles.key_holder": staff("/telefooncirkels/deelnemers/{circle_member}/sleutelhouder"),
    "circles.add_absence": staff("/telefooncirkels/deelnemers/{circle_member}/afwezig"),
    "circles.remove_absence": staff("/telefooncirkels/afwezigheid/{circle_absence}/verwijderen"),
    "circles.report_for": staff("/telefooncirkels/{circle}/geen-gehoor"),
    "circles.confirm_for": staff("/telefooncirkels/{circle}/rond"),
    "circles.handle": staff("/telefooncirkels/meldingen/{circle_missed}/afgehandeld"),
    "circles.print_order": staff("/telefooncirkels/{circle}/afdrukken"),
    "circles.mine": page(RESIDENTS, "/mijn-telefooncirkel"),
    "circles.report": Access(RESIDENTS, at("/mijn-telefooncirkel/{circle}/geen-gehoor/{circle_other}"), village=True,
                             mine=RESIDENTS, owner=frozenset({"resident"})),
    "circles.confirm": Access(RESIDENTS, at("/mijn-telefooncirkel/{circle}/rond"), village=True, mine=RESIDENTS,
                              owner=frozenset({"resident"})),
    "core.home": page(PUBLIC, "/"),
    "core.privacy": page(PUBLIC, "/privacy"),
    # follow-ups: the one-click answer in a mail is a signed link, not a login
    "followups.answer": page(PUBLIC, "/antwoord/{answer}/ja"),
    "followups.answer_post": page(PUBLIC, "/antwoord/{answer}/ja"),
    "followups.dismiss": staff("/opvolging/{dead}/afgehandeld"),
    "followups.notifications": page(LOGGED_IN, "/meldingen"),
    "followups.retry": staff("/opvolging/{dead}/opnieuw"),
    # matching
    "matching.accept": helpers("/voorstellen/{proposal}/accepteren"),
    "matching.decline": helpers("/voorstellen/{proposal}/afwijzen"),
    "matching.locate": staff("/hulpvragen/{searching}/adres-zoeken"),
    "matching.match": staff("/hulpvragen/{searching}/koppelen"),
    "matching.my_availability": page(HELPERS, "/beschikbaarheid"),
    "matching.my_proposals": page(HELPERS, "/voorstellen"),
    "matching.place_pin": staff("/hulpvragen/{searching}/plek"),
    "matching.proposal": helpers("/voorstellen/{proposal}"),
    "matching.propose": staff("/hulpvragen/{searching}/voorstellen"),
    "matching.remove_availability": helpers("/beschikbaarheid/tijd/{slot}/verwijderen"),
    "matching.village_map": page(STAFF, "/kaart"),
    "matching.village_map_points": page(STAFF, "/kaart/punten"),
    "matching.withdraw": staff("/voorstellen/{proposal}/intrekken"),
    "ops.healthz": page(PUBLIC, "/healthz"),
    "ops.readyz": page(PUBLIC, "/readyz"),
    # members: the village's own staff; the message to a group is the coordinator's
    "members.contributions": page(STAFF, "/leden/contributie"),
    "members.debit_file": staff("/leden/contributie/{run}/incasso.xml"),
    "members.end": staff("/leden/{household}/einde"),
    "members.index": page(STAFF, "/leden/"),
    "members.message": page(frozenset({"coordinator"}), "/leden/bericht"),
    "members.message_sent": staff("/leden/bericht/{broadcast}", who=frozenset({"coordinator"})),
    "members.new": staff("/leden/nieuw/{carer}"),
    "members.paid": staff("/leden/{household}/betaald/{contribution}"),
    "members.pick": page(STAFF, "/leden/nieuw?zoek=Visser"),
    "members.remind": staff("/leden/{household}/herinnering/{contribution}"),
    "members.remind_all": page(STAFF, "/leden/contributie/herinneren"),
    "members.returned": staff("/leden/{household}/storno/{contribution}"),
    "members.settings": page(STAFF, "/leden/instellingen"),
    "members.show": staff("/leden/{household}"),
    "members.transfer_csv": page(STAFF, "/leden/contributie/overmaken.csv"),
    "members.transfer_list": page(STAFF, "/leden/contributie/overmaken"),
    # people
    # privacy: one's own copy; the copy, the print and erasure of a person of the village
    "privacy.my_export": page(LOGGED_IN, "/mijn-gegevens/download.json"),
    "privacy.my_print": page(LOGGED_IN, "/mijn-gegevens/afdrukken"),
    "privacy.person_export": staff("/mensen/{resident}/gegevens.json"),
    "privacy.person_print": staff("/mensen/{resident}/gegevens-afdrukken"),
    "privacy.erase": staff("/mensen/{resident}/vergeten"),
    "privacy.settings": page(frozenset({"admin"}), "/beheer/bewaartermijnen"),
    "privacy.register_page": page(STAFF, "/verwerkingsregister"),
    "people.address": staff("/mensen/{resident}/adres"),
    "people.approve": staff("/mensen/{volunteer}/goedkeuren"),
    "people.change_competence": staff("/mensen/{volunteer}/bevoegdheden/{competence}"),
    "people.index": page(STAFF, "/mensen"),
    "people.locate": staff("/mensen/{resident}/adres-zoeken"),
    "people.my_data": page(LOGGED_IN, "/mijn-gegevens"),
    "people.new": page(STAFF, "/mensen/nieuw"),
    "people.pause": staff("/mensen/{volunteer}/pauze"),
    "people.place_pin": staff("/mensen/{resident}/plek"),
    "people.remove_competence": staff("/mensen/{volunteer}/bevoegdheden/{competence}/verwijderen"),
    "people.show": staff("/mensen/{resident}"),
    "people.volunteer_papers": staff("/mensen/{volunteer}/vrijwilliger"),
    "people.volunteer_profile": page(frozenset({"volunteer"}), "/mijn-vrijwilligerswerk"),
    # figures: a village's own staff, and the gemeente of its municipality
    "reports.export": Access(READERS, at("/cijfers/dorp/{village}/maand.csv"), village=True, far=403),
    "reports.index": page(READERS, "/cijfers/"),
    "reports.municipality": page(frozenset({"gemeente"}), "/cijfers/gemeente"),
    "reports.municipality_export": page(frozenset({"gemeente"}), "/cijfers/gemeente/gemeente_maand.csv"),
    "reports.threshold": Access(frozenset({"admin"}), at("/cijfers/dorp/{village}/drempel"), village=True, far=403),
    "reports.village": Access(READERS, at("/cijfers/dorp/{village}"), village=True, far=403),
    # help requests
    "requests.add_info": residents("/hulpvragen/{searching}/aanvullen"),
    "requests.five_questions_print": residents("/hulpvragen/{searching}/afspraken"),
    "requests.confirmation": residents("/hulpvragen/{searching}/verstuurd"),
    "requests.inbox": page(STAFF, "/hulpvragen"),
    "requests.mine": page(RESIDENTS, "/mijn-hulpvragen"),
    "requests.new": page(RESIDENTS, "/hulp-vragen"),
    "requests.on_behalf": staff("/hulpvragen/namens/{resident}"),
    "requests.on_behalf_pick": page(STAFF, "/hulpvragen/namens"),
    "requests.refer": staff("/hulpvragen/{referable}/doorverwijzen"),
    "requests.five_questions": staff("/hulpvragen/{searching}/schijf-van-vijf"),
    "requests.show": residents("/hulpvragen/{searching}"),
    "requests.step": staff("/hulpvragen/{referable}/stap/start_search"),
    "requests.withdraw": residents("/hulpvragen/{searching}/intrekken", who=RESIDENTS),
    "requests.stop": staff("/hulpvragen/{searching}/stoppen"),
    "requests.undo": residents("/hulpvragen/{searching}/ongedaan-maken"),
    # respite
    "respite.add_hours": page(frozenset({"volunteer"}), "/mijn-uren/nieuw"),
    "respite.allowance_limits": page(frozenset({"admin"}), "/beheer/vrijwilligersvergoeding"),
    "respite.approve": staff("/respijt/uren/{hours}/goedkeuren"),
    "respite.ask": page(frozenset({"carer"}), "/mijn-respijt/aanvragen"),
    "respite.ask_for": staff("/respijt/mantelzorgers/{carer}/aanvragen"),
    "respite.assign": staff("/respijt/keren/{shift}/vrijwilliger"),
    "respite.book": staff("/respijt/aanvragen/{respite}/boeken"),
    "respite.cancel": carers("/respijt/keren/{shift}/afzeggen"),
    "respite.cancel_rest": carers("/respijt/keren/{shift}/rest-afzeggen"),
    "respite.undo_cancel": carers("/respijt/keren/{shift}/afzeggen-ongedaan"),
    "respite.undo_cancel_rest": carers("/respijt/keren/{shift}/rest-afzeggen-ongedaan"),
    "respite.carer": staff("/respijt/mantelzorgers/{carer}"),
    "respite.carers": page(STAFF, "/respijt/mantelzorgers"),
    "respite.checkin": page(frozenset({"carer"}), "/hoe-gaat-het"),
    "respite.checkin_for": staff("/respijt/mantelzorgers/{carer}/carerqol"),
    "respite.confirm": Access(frozenset({"volunteer"}), at("/mijn-uren/{hours}"), village=True,
                              mine=frozenset({"volunteer"}), owner=frozenset({"volunteer"})),
    "respite.feed": page(PUBLIC, "/agenda/{feed}.ics"),
    "respite.feed_create": page(frozenset({"volunteer"}), "/mijn-rooster/agenda"),
    "respite.feed_revoke": page(frozenset({"volunteer"}), "/mijn-rooster/agenda/intrekken"),
    "respite.my_hours": page(frozenset({"volunteer"}), "/mijn-uren"),
    "respite.my_notes": page(frozenset({"carer"}), "/mijn-respijt/wat-te-weten"),
    "respite.my_respite": page(frozenset({"carer"}), "/mijn-respijt"),
    "respite.my_roster": page(frozenset({"volunteer"}), "/mijn-rooster"),
    "respite.print_roster": page(STAFF, "/respijt/rooster-afdrukken"),
    "respite.reject": staff("/respijt/uren/{hours}/afkeuren"),
    "respite.request_detail": staff("/respijt/aanvragen/{respite}"),
    "respite.review": page(STAFF, "/respijt/uren"),
    "respite.settings": page(STAFF, "/respijt/instellingen"),
    # the carer whose respite it is, and the volunteer booked for that time
    "respite.shift_detail": Access(frozenset({"carer", "volunteer"}) | STAFF, at("/respijt/keren/{shift}"),
                                   village=True, mine=frozenset({"carer", "volunteer"}),
                                   owner=frozenset({"carer", "volunteer"})),
    "respite.statements": page(STAFF, "/respijt/uren/overzicht?maand=2026-03"),
    "respite.statements_csv": page(STAFF, "/respijt/uren/overzicht.csv?maand=2026-03"),
    "respite.week": page(STAFF, "/respijt"),
    # the platform's own pages: villages, never the people in them
    "villages.index": page(frozenset({"platform"}), "/platform/"),
    "villages.new": page(frozenset({"platform"}), "/platform/dorpen/nieuw"),
}


def expected(access: Access, persona: str, relation: str) -> str:
    """'ok', 'login' (sent to log in), or the refusing status code as a string."""
    if access.public:
        return access.done
    if persona == "anonymous":
        return "login"
    if persona not in access.who:
        return "403"
    if access.village and relation == "far":
        return str(access.far)
    if persona in access.mine and not (relation == "own" and persona in access.owner):
        return "404"
    return access.done
