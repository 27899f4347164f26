"""Every form of the application, fed generated nonsense as the role that may post it.

For each POST route with a form, Hypothesis fills the fields from their kind — text with NUL,
control characters, line breaks and very long strings; numbers like NaN, infinity and 10^60;
dates from year 1 to 9999; times; choices that are not in the list — and posts it. Never a
500, never an English message, and a refused submit writes no row in any table.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TimeField,
)

from coop.core import clock
from coop.extensions import db
from tests.activities.world import activity_of
from tests.conftest import login_client
from tests.core.forms_world import MONDAY, build_world, token

EXAMPLES = 10
ENGLISH = ("Not a valid", "Invalid Choice", "Invalid choice", "This field is required", "Field must be",
           "is not a valid choice", "Number must be")


@dataclass(frozen=True)
class FormCase:
    endpoint: str
    role: str
    url: object  # World -> str
    form: str  # "module:Class"
    prefix: str | None = None
    extra: dict = field(default_factory=dict)
    # Tables a refused submit may still write to, and why.
    may_write: frozenset = frozenset()
    # The password typed again in this session (the account pages ask for it first).
    confirmed: bool = False


CASES = [
    # A failed login is written down: the throttle counts them (LOGIN_MAX_FAILURES).
    FormCase("auth.login", "anonymous", lambda w: "/inloggen", "coop.auth.forms:LoginForm",
             may_write=frozenset({"audit_log", "login_attempts"})),
    FormCase("auth.register", "anonymous", lambda w: "/aanmelden", "coop.auth.forms:RegisterForm"),
    FormCase("auth.forgot_password", "anonymous", lambda w: "/wachtwoord-vergeten", "coop.auth.forms:ForgotForm"),
    FormCase("auth.reset_password", "anonymous", lambda w: f"/wachtwoord-instellen/{_reset(w)}",
             "coop.auth.forms:ResetForm"),
    FormCase("people.new", "coordinator", lambda w: "/mensen/nieuw", "coop.people.forms:PersonForm"),
    FormCase("people.volunteer_papers", "coordinator", lambda w: f"/mensen/{w.volunteer.id}/vrijwilliger",
             "coop.people.forms:VolunteerPapersForm", "papieren", {"papieren-submit": "1"}),
    FormCase("people.volunteer_papers", "coordinator", lambda w: f"/mensen/{w.volunteer.id}/vrijwilliger",
             "coop.people.forms:CompetenceForm", "bevoegd", {"bevoegd-submit": "1"}),
    FormCase("people.volunteer_profile", "volunteer", lambda w: "/mijn-vrijwilligerswerk",
             "coop.people.forms:VolunteerProfileForm"),
    FormCase("requests.new", "resident", lambda w: "/hulp-vragen", "coop.requests.forms:RequestForm"),
    FormCase("requests.on_behalf_pick", "coordinator", lambda w: "/hulpvragen/namens",
             "coop.requests.forms:NewResidentForm"),
    FormCase("requests.on_behalf", "coordinator", lambda w: f"/hulpvragen/namens/{w.resident.id}",
             "coop.requests.forms:OnBehalfForm"),
    FormCase("requests.step", "coordinator", lambda w: f"/hulpvragen/{w.referable.id}/stap/start_search",
             "coop.requests.forms:NoteForm"),
    FormCase("requests.refer", "coordinator", lambda w: f"/hulpvragen/{w.referable.id}/doorverwijzen",
             "coop.requests.forms:ReferForm"),
    FormCase("requests.five_questions", "coordinator", lambda w: f"/hulpvragen/{w.searching.id}/schijf-van-vijf",
             "coop.requests.forms:FiveQuestionsForm"),
    FormCase("requests.add_info", "resident", lambda w: f"/hulpvragen/{w.searching.id}/aanvullen",
             "coop.requests.forms:InfoForm"),
    FormCase("requests.stop", "coordinator", lambda w: f"/hulpvragen/{w.searching.id}/stoppen",
             "coop.requests.forms:NoteForm"),
    FormCase("requests.withdraw", "resident", lambda w: f"/hulpvragen/{w.searching.id}/intrekken",
             "coop.requests.forms:NoteForm"),
    FormCase("matching.propose", "coordinator", lambda w: f"/hulpvragen/{w.searching.id}/voorstellen",
             "coop.matching.forms:ProposeForm"),
    FormCase("matching.place_pin", "coordinator", lambda w: f"/hulpvragen/{w.searching.id}/plek",
             "coop.matching.forms:PinForm"),
    FormCase("matching.decline", "volunteer", lambda w: f"/voorstellen/{w.proposal.id}/afwijzen",
             "coop.matching.forms:DeclineForm"),
    FormCase("matching.my_availability", "volunteer", lambda w: "/beschikbaarheid", "coop.matching.forms:SlotForm",
             "slot", {"which": "slot"}),
    FormCase("matching.my_availability", "volunteer", lambda w: "/beschikbaarheid",
             "coop.matching.forms:AbsenceForm", "absence", {"which": "absence"}),
    FormCase("respite.carer", "coordinator", lambda w: f"/respijt/mantelzorgers/{w.carer.id}",
             "coop.respite.forms:CarerProfileForm"),
    FormCase("respite.book", "coordinator", lambda w: f"/respijt/aanvragen/{w.respite.id}/boeken",
             "coop.respite.forms:PickVolunteerForm"),
    FormCase("respite.assign", "coordinator", lambda w: f"/respijt/keren/{w.shift.id}/vrijwilliger",
             "coop.respite.forms:PickVolunteerForm"),
    FormCase("respite.my_notes", "carer", lambda w: "/mijn-respijt/wat-te-weten", "coop.respite.forms:CarerNotesForm"),
    FormCase("respite.ask", "carer", lambda w: "/mijn-respijt/aanvragen", "coop.respite.forms:RespiteRequestForm"),
    FormCase("respite.ask_for", "coordinator", lambda w: f"/respijt/mantelzorgers/{w.carer.id}/aanvragen",
             "coop.respite.forms:RespiteRequestForm"),
    FormCase("respite.checkin", "carer", lambda w: "/hoe-gaat-het", "coop.respite.forms:CarerQolForm"),
    FormCase("respite.checkin_for", "coordinator", lambda w: f"/respijt/mantelzorgers/{w.carer.id}/carerqol",
             "coop.respite.forms:CarerQolForm"),
    FormCase("respite.confirm", "volunteer", lambda w: f"/mijn-uren/{w.draft_hours.id}",
             "coop.respite.forms:HoursForm"),
    FormCase("respite.add_hours", "volunteer", lambda w: "/mijn-uren/nieuw", "coop.respite.forms:ManualHoursForm"),
    FormCase("respite.settings", "coordinator", lambda w: "/respijt/instellingen", "coop.respite.forms:SettingsForm"),
    FormCase("agreements.new", "coordinator", lambda w: "/afspraken/nieuw", "coop.agreements.forms:NewAgreementForm"),
    FormCase("agreements.edit_details", "coordinator", lambda w: f"/afspraken/{w.agreement.id}/gegevens",
             "coop.agreements.forms:DetailsForm"),
    FormCase("agreements.edit_row", "coordinator",
             lambda w: f"/afspraken/{w.agreement.id}/onderwerp/{w.agreement.latest.rows[0].id}",
             "coop.agreements.forms:RowForm"),
    FormCase("agreements.add_row", "coordinator", lambda w: f"/afspraken/{w.agreement.id}/onderwerp-toevoegen",
             "coop.agreements.forms:NewRowForm"),
    FormCase("agreements.comment", "gemeente", lambda w: f"/afspraken/{w.agreement.id}/opmerking",
             "coop.agreements.forms:CommentForm"),
    FormCase("agreements.step", "coordinator", lambda w: f"/afspraken/{w.agreement.id}/stap/voorstellen",
             "coop.agreements.forms:StepForm"),
    FormCase("agreements.sign", "coordinator", lambda w: f"/afspraken/{w.agreement.id}/tekenen",
             "coop.agreements.forms:SignForm"),
    FormCase("reports.threshold", "admin", lambda w: f"/cijfers/dorp/{w.village.id}/drempel",
             "coop.reports.forms:ThresholdForm"),
    FormCase("admin.categories", "coordinator", lambda w: "/beheer/categorieen", "coop.admin.forms:CategoryForm"),
    FormCase("admin.add_destination", "coordinator", lambda w: "/beheer/doorverwijzen",
             "coop.admin.forms:DestinationForm", "bestemming"),
    FormCase("villages.new", "platform", lambda w: "/platform/dorpen/nieuw", "coop.villages.forms:VillageForm"),
    FormCase("people.place_pin", "coordinator", lambda w: f"/mensen/{w.resident.id}/plek", "coop.geo.forms:PinForm"),
    FormCase("people.address", "coordinator", lambda w: f"/mensen/{w.resident.id}/adres",
             "coop.people.forms:AddressForm"),
    FormCase("people.change_competence", "coordinator",
             lambda w: f"/mensen/{w.volunteer.id}/bevoegdheden/{w.competence.id}",
             "coop.people.forms:CompetenceChangeForm", "bevoegdheid-{competence}"),
    FormCase("respite.allowance_limits", "admin", lambda w: "/beheer/vrijwilligersvergoeding",
             "coop.respite.forms:AllowanceLimitsForm"),
    # A wrong password typed again counts towards throttling, as at login.
    FormCase("auth.confirm_password", "resident", lambda w: "/mijn-gegevens/bevestigen",
             "coop.auth.forms:PasswordAgainForm", may_write=frozenset({"audit_log", "login_attempts"})),
    FormCase("auth.change_password", "resident", lambda w: "/mijn-gegevens/wachtwoord",
             "coop.auth.forms:ChangePasswordForm", confirmed=True),
    FormCase("auth.change_contact", "resident", lambda w: "/mijn-gegevens/contact",
             "coop.auth.forms:ContactForm", confirmed=True),
    FormCase("auth.two_step_code", "anonymous", lambda w: "/inloggen/code", "coop.auth.forms:TwoStepCodeForm"),
    FormCase("auth.two_step_confirm", "resident", lambda w: "/mijn-gegevens/tweestaps/bevestigen",
             "coop.auth.forms:TwoStepCodeForm", confirmed=True),
    FormCase("privacy.settings", "admin", lambda w: "/beheer/bewaartermijnen", "coop.privacy.forms:RetentionForm"),
    FormCase("aids.new_item", "coordinator", lambda w: "/hulpmiddelen/nieuw", "coop.aids.forms:NewItemForm"),
    FormCase("aids.edit_item", "coordinator", lambda w: f"/hulpmiddelen/{w.aid.id}/wijzigen",
             "coop.aids.forms:ItemForm"),
    FormCase("aids.lend", "coordinator", lambda w: f"/hulpmiddelen/{w.aid.id}/uitlenen", "coop.aids.forms:LendForm"),
    FormCase("aids.hand_out", "coordinator", lambda w: f"/hulpmiddelen/uitleningen/{w.reservation.id}/meegeven",
             "coop.aids.forms:HandOutForm"),
    FormCase("aids.return_item", "coordinator", lambda w: f"/hulpmiddelen/uitleningen/{w.loan.id}/terug",
             "coop.aids.forms:ReturnForm"),
    FormCase("aids.extend", "coordinator", lambda w: f"/hulpmiddelen/uitleningen/{w.loan.id}/verlengen",
             "coop.aids.forms:ExtendForm"),
    FormCase("aids.reserve", "coordinator", lambda w: f"/hulpmiddelen/reserveren/hulpvraag/{w.searching.id}",
             "coop.aids.forms:ReserveForm"),
    FormCase("calllist.record", "coordinator", lambda w: f"/bellijst/{w.call.id}", "coop.calllist.forms:OutcomeForm",
             "oproep-{call}"),
    FormCase("circles.new", "coordinator", lambda w: "/telefooncirkels/nieuw", "coop.circles.forms:CircleForm"),
    FormCase("circles.show", "coordinator", lambda w: f"/telefooncirkels/{w.circle.id}",
             "coop.circles.forms:CircleDetailsForm"),
    FormCase("circles.add_member", "coordinator", lambda w: f"/telefooncirkels/{w.circle.id}/deelnemers",
             "coop.circles.forms:AddMemberForm"),
    FormCase("circles.key_holder", "coordinator",
             lambda w: f"/telefooncirkels/deelnemers/{w.circle.members[0].id}/sleutelhouder",
             "coop.circles.forms:KeyHolderForm", "sleutel"),
    FormCase("circles.add_absence", "coordinator",
             lambda w: f"/telefooncirkels/deelnemers/{w.circle.members[0].id}/afwezig",
             "coop.circles.forms:AbsenceForm", "afwezig"),
    FormCase("circles.report_for", "coordinator", lambda w: f"/telefooncirkels/{w.circle.id}/geen-gehoor",
             "coop.circles.forms:ReportForm"),
    FormCase("circles.confirm_for", "coordinator", lambda w: f"/telefooncirkels/{w.circle.id}/rond",
             "coop.circles.forms:ConfirmForm"),
    FormCase("circles.handle", "coordinator",
             lambda w: f"/telefooncirkels/meldingen/{w.circle_missed.id}/afgehandeld",
             "coop.circles.forms:HandleForm", "melding-{circle_missed}"),
    FormCase("activities.new", "coordinator", lambda w: "/activiteiten/nieuw", "coop.activities.forms:ActivityForm"),
    FormCase("activities.edit", "coordinator", lambda w: f"/activiteiten/{activity_of(w).id}/wijzigen",
             "coop.activities.forms:ActivityForm"),
    FormCase("activities.sign_up_for", "coordinator",
             lambda w: f"/activiteiten/{activity_of(w).id}/aanmelden/{w.carer.id}", "coop.activities.forms:SignupForm"),
    FormCase("activities.mine_show", "carer", lambda w: f"/mijn-activiteiten/{activity_of(w).id}",
             "coop.activities.forms:SignupForm"),
    FormCase("activities.add_helper", "coordinator", lambda w: f"/activiteiten/{activity_of(w).id}/helpers",
             "coop.activities.forms:HelperForm"),
    FormCase("activities.attendance", "coordinator", lambda w: f"/activiteiten/{activity_of(w).id}/aanwezigheid",
             "coop.activities.forms:AttendanceForm"),
    FormCase("members.new", "coordinator", lambda w: f"/leden/nieuw/{w.carer.id}", "coop.members.forms:JoinForm"),
    FormCase("members.paid", "coordinator", lambda w: f"/leden/{w.household.id}/betaald/{w.contribution.id}",
             "coop.members.forms:PaymentForm", "betaald-{contribution}"),
    FormCase("members.returned", "coordinator", lambda w: f"/leden/{w.household.id}/storno/{w.contribution.id}",
             "coop.members.forms:ReturnForm", "storno-{contribution}"),
    FormCase("members.end", "coordinator", lambda w: f"/leden/{w.household.id}/einde", "coop.members.forms:EndForm",
             "einde"),
    FormCase("members.contributions", "coordinator", lambda w: "/leden/contributie", "coop.members.forms:RunForm"),
    FormCase("members.settings", "coordinator", lambda w: "/leden/instellingen", "coop.members.forms:SettingsForm"),
    FormCase("members.message", "coordinator", lambda w: "/leden/bericht", "coop.members.forms:MessageForm",
             extra={"versturen": "1"}),
]
# POST routes with no field to fill: a button (and the CSRF token), or a signed link.
NO_FIELDS = {
    "auth.logout", "people.approve", "people.pause", "matching.withdraw", "matching.locate", "matching.accept",
    "matching.remove_availability", "respite.feed_create", "respite.feed_revoke", "respite.approve",
    "respite.reject", "respite.cancel", "respite.cancel_rest", "agreements.remove_row", "agreements.revise",
    "followups.answer_post", "followups.retry", "followups.dismiss", "admin.toggle_destination",
    "people.locate", "people.remove_competence", "auth.logout_everywhere", "auth.set_account_active",
    "privacy.erase", "auth.two_step_begin", "auth.two_step_new_codes", "auth.two_step_off", "auth.two_step_clear",
    "requests.undo", "respite.undo_cancel", "respite.undo_cancel_rest",
    "circles.move", "circles.remove_member", "circles.remove_absence", "circles.report", "circles.confirm",
    "aids.cancel_reservation",
    "activities.remove_helper", "activities.cancel", "activities.withdraw",
    "members.remind", "members.remind_all", "admin.toggle_members_only",
}


def _client(app, case: FormCase, user):
    if not user:
        return app.test_client()
    client = login_client(app, user)
    if case.confirmed:
        from coop.auth.models import UserSession
        row = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)
                                 .order_by(UserSession.id.desc())).first()
        row.confirmed_at = clock.now()
        db.session.flush()
    return client


def _reset(world) -> str:
    from coop.auth.service import reset_token
    return reset_token(world.resident)


def _form_class(path: str):
    import importlib
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


def test_every_post_route_is_walked(app):
    posts = {r.endpoint for r in app.url_map.iter_rules() if "POST" in (r.methods or ()) and r.endpoint != "static"}
    assert posts == {c.endpoint for c in CASES} | NO_FIELDS


# --- what to type into each kind of field -----------------------------------------------------

TEXT = st.one_of(
    st.sampled_from(["", " ", "\x00", "Bep\x00Jansen", "\r\n", "a\nb", "\t", "\u2028", "\x1b[31m", "=1+1",
                     "'; DROP TABLE users; --", "<script>alert(1)</script>", "Ünïcödé 👩‍🦳", "\ufeff", "\u202e"]),
    st.text(max_size=40),
    st.text(st.characters(max_codepoint=0xA0), max_size=20),
    st.integers(200, 6000).map(lambda n: "x" * n),
)
NUMBER = st.one_of(
    st.sampled_from(["NaN", "nan", "-nan", "sNaN", "inf", "-inf", "Infinity", "1e999999", "-1e999999", "1e-999999",
                     "0", "-0", "2,5", "1.000,50", "9" * 60, "1_000", "abc", "", "٣", "0x10", "1e5"]),
    st.integers().map(str),
    st.integers(-(10**30), 10**30).map(str),
    st.floats().map(str),
    st.decimals().map(str),
)
DATE = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: f"{d.day:02d}-{d.month:02d}-{d.year:04d}"),
    st.sampled_from(["0001-01-01", "9999-12-31", "31-02-2026", "2026-13-01", "", "gisteren", "2026-03-17\x00",
                     "2026-03-17", "17-03-2026", "2027-03-17"]),
)
TIME = st.one_of(st.times().map(lambda t: t.strftime("%H:%M")),
                 st.sampled_from(["25:00", "", "abc", "12:60", "00:00", "23:59", "14:00"]))
BOOL = st.sampled_from(["y", "", "\x00", "on"])
TOKEN = st.one_of(st.builds(token), st.sampled_from(["", "kort", "\x00" * 20, "x" * 70, "ü" * 30]))


def _choice_values(bound) -> list[str]:
    try:
        return [str(choice.value if hasattr(choice, "value") else choice[0]) for choice in bound.choices or []]
    except TypeError:
        return []


def _strategy(bound, ids: list[str]):
    if isinstance(bound, HiddenField) and bound.short_name == "form_token":
        return TOKEN
    if isinstance(bound, BooleanField):
        return BOOL
    if isinstance(bound, (DecimalField, IntegerField)):
        return NUMBER
    if isinstance(bound, DateField):
        return DATE
    if isinstance(bound, TimeField):
        return TIME
    if isinstance(bound, (SelectField, RadioField, SelectMultipleField)):
        values = _choice_values(bound) + ids
        one = st.one_of(st.sampled_from(values), TEXT) if values else TEXT
        return st.lists(one, max_size=3) if isinstance(bound, SelectMultipleField) else one
    if isinstance(bound, StringField):
        return TEXT
    raise AssertionError(f"no strategy for {type(bound).__name__} {bound.name}")


def _fields(app, case: FormCase, world):
    # A prefix may name a row of the world: one form per competence or per call on the page.
    prefix = (case.prefix or "").format(competence=world.competence.id, call=world.call.id,
                                        circle_missed=world.circle_missed.id, contribution=world.contribution.id)
    with app.test_request_context():
        form = _form_class(case.form)(formdata=None, prefix=prefix)
        # A list of fields (the days without respite) is filled entry by entry.
        return [e for f in form if f.short_name != "csrf_token" for e in (getattr(f, "entries", None) or [f])]


def _row_counts() -> dict[str, int]:
    tables = db.metadata.sorted_tables
    row = db.session.execute(select(*(select(func.count()).select_from(t).scalar_subquery().label(t.name)
                                      for t in tables))).one()
    return dict(zip([t.name for t in tables], row, strict=True))


def _error_flashed(client) -> bool:
    with client.session_transaction() as sess:
        return any(category == "error" for category, _ in sess.get("_flashes", []))


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.endpoint}:{c.form.rsplit(':', 1)[1]}")
def test_nonsense_in_every_form_is_refused_in_dutch_and_writes_nothing(app, session, make, case):
    clock.freeze(MONDAY)
    try:
        world = build_world(session, make)
        url = case.url(world)
        user = world.role(case.role)
        fields = _fields(app, case, world)
        optional = {f.name: _strategy(f, world.ids) for f in fields}
        # A date in three boxes (DatePartsField) is also typed box by box.
        optional |= {f"{f.name}-{part}": st.one_of(NUMBER, TEXT) for f in fields if hasattr(f, "parts")
                     for part in ("day", "month", "year")}
        strategy = st.fixed_dictionaries({}, optional=optional)

        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                         HealthCheck.data_too_large, HealthCheck.filter_too_much])
        @given(data=strategy)
        def post(data):
            client = _client(app, case, user)
            before = _row_counts()  # after the login: its session row is not the form's doing
            answer = client.post(url, data={**case.extra, **data})
            assert answer.status_code < 500, (answer.status_code, data)
            page = answer.get_data(as_text=True)
            assert not any(text in page for text in ENGLISH), (page[:3000], data)
            refused = answer.status_code >= 400 or _error_flashed(client)
            if refused:
                after = _row_counts()
                changed = {t: (before[t], after[t]) for t in before
                           if before[t] != after[t] and t not in case.may_write}
                assert changed == {}, (answer.status_code, data)
        post()
    finally:
        clock.freeze(None)
