"""Forms of the phone circle: the circle, its members, a key holder, an absence, and what the
coordinator types in for a member who phoned."""
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from coop.circles.models import CircleAbsence
from coop.circles.service import MAX_NOTE, NAME_MAX
from coop.core.forms import (
    CreateForm,
    DatePartsField,
    DateWindow,
    DutchRadioField,
    DutchSelectField,
    DutchTimeField,
    Form,
    choices,
    email_format,
    id_or_none,
    max_length,
    phone_format,
    required,
)
from coop.people.forms import MultiCheckboxField

# An absence is planned ahead (a year at most) or written down afterwards (a month back).
ABSENCE_WINDOW = DateWindow(past=31, future=366, too_early="Kies een datum van de afgelopen maand of later.",
                            too_late="Kies een datum binnen een jaar vanaf vandaag.")


def _start_time() -> DutchTimeField:
    return DutchTimeField("Hoe laat belt de eerste?",
                          validators=[InputRequired(message="Vul in hoe laat de eerste belt.")])


def _confirm_by() -> DutchTimeField:
    return DutchTimeField("Hoe laat moet de ronde rond zijn?",
                          validators=[InputRequired(message="Vul in hoe laat de ronde rond moet zijn.")])


class CircleForm(CreateForm):
    name = StringField("Naam van de cirkel", validators=[required("de naam"), max_length(NAME_MAX)])
    start_time = _start_time()
    confirm_by = _confirm_by()
    members = MultiCheckboxField("Deelnemers (minstens twee; de volgorde kunt u daarna aanpassen)", coerce=int,
                                 validate_choice=False)


class CircleDetailsForm(Form):
    name = StringField("Naam van de cirkel", validators=[required("de naam"), max_length(NAME_MAX)])
    start_time = _start_time()
    confirm_by = _confirm_by()


class AddMemberForm(CreateForm):
    person = DutchSelectField("Inwoner", coerce=id_or_none, what="een inwoner",
                              validators=[InputRequired(message="Kies een inwoner.")])


class KeyHolderForm(Form):
    key_holder = DutchSelectField("Iemand die al bekend is", coerce=id_or_none, what="een persoon",
                                  validators=[Optional()])
    relation = StringField("Wie is het voor de deelnemer? (bijvoorbeeld dochter, buurman)",
                           validators=[Optional(), max_length(60)])
    new_first_name = StringField("Voornaam", validators=[Optional(), max_length(80)])
    new_last_name = StringField("Achternaam", validators=[Optional(), max_length(120)])
    new_phone = StringField("Telefoonnummer", validators=[Optional(), phone_format], render_kw={"type": "tel"})
    new_email = StringField("E-mailadres (als die er is)", validators=[Optional(), email_format, max_length(254)],
                            render_kw={"type": "email", "spellcheck": "false"})


class AbsenceForm(CreateForm):
    starts_on = DatePartsField("Eerste dag weg", validators=[InputRequired(message="Vul de eerste dag in.")],
                               window=ABSENCE_WINDOW)
    ends_on = DatePartsField("Laatste dag weg", validators=[InputRequired(message="Vul de laatste dag in.")],
                             window=ABSENCE_WINDOW)
    reason = DutchRadioField("Waarom?", choices=choices(CircleAbsence.REASONS.items()), what="waarom",
                             validators=[InputRequired(message="Kies waarom de deelnemer weg is.")])


class ReportForm(Form):
    """A member phoned the coordinator: nobody answered at someone of the circle."""
    member = DutchSelectField("Bij wie kreeg de beller geen gehoor?", coerce=id_or_none, what="een deelnemer",
                              validators=[InputRequired(message="Kies bij wie er geen gehoor was.")])
    caller = DutchSelectField("Wie belde u?", coerce=id_or_none, what="een deelnemer", validators=[Optional()])


class ConfirmForm(Form):
    """A member phoned the coordinator to say the round is complete."""
    for_member = DutchSelectField("Wie meldde het?", coerce=id_or_none, what="een deelnemer",
                                  validators=[Optional()])


class HandleForm(Form):
    note = TextAreaField("Hoe liep het af?", validators=[required("kort hoe het afliep"), max_length(MAX_NOTE)])
