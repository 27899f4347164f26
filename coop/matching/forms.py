"""Forms of matching: propose, decline with a reason, set the pin, weekly slots and absences."""
from __future__ import annotations

from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from coop.core import dutch
from coop.core.forms import (
    CreateForm,
    DateWindow,
    DutchDateField,
    DutchIntegerField,
    DutchSelectField,
    DutchTimeField,
    Form,
    choices,
    max_length,
    required,
)
from coop.geo.forms import PinForm  # noqa: F401 (the match page's pin form)

# An absence is planned ahead (two years at most) or written down afterwards (a year back).
ABSENCE_WINDOW = DateWindow(past=365, future=730, too_early="Kies een datum in het afgelopen jaar of later.",
                            too_late="Kies een datum binnen twee jaar vanaf vandaag.")


class ProposeForm(CreateForm):
    helper_id = DutchIntegerField("Helper", minimum=1, range_message="Kies een helper uit de lijst.",
                                  validators=[InputRequired(message="Kies een helper.")])
    by_phone = BooleanField("Al telefonisch afgesproken (meteen gekoppeld)")
    note = TextAreaField("Notitie voor de helper (mag leeg)", validators=[Optional(), max_length(1000)])


class DeclineForm(Form):
    reason = TextAreaField("Waarom lukt het niet?", validators=[required("kort waarom het niet lukt"), max_length(500)])


class SlotForm(CreateForm):
    weekday = DutchSelectField("Dag", choices=choices((str(i), name) for i, name in enumerate(dutch.weekday_names())),
                               what="een dag", validators=[InputRequired(message="Kies een dag.")])
    start = DutchTimeField("Van", validators=[InputRequired(message="Vul in vanaf hoe laat.")])
    end = DutchTimeField("Tot", validators=[InputRequired(message="Vul in tot hoe laat.")])


class AbsenceForm(CreateForm):
    starts_on = DutchDateField("Van", validators=[InputRequired(message="Vul de eerste dag in.")],
                               window=ABSENCE_WINDOW)
    ends_on = DutchDateField("Tot en met", validators=[InputRequired(message="Vul de laatste dag in.")],
                             window=ABSENCE_WINDOW)
    note = StringField("Waarom (mag leeg, bijvoorbeeld vakantie)", validators=[Optional(), max_length(200)])
