"""Forms of matching: propose, decline with a reason, set the pin, weekly slots and absences."""
from __future__ import annotations

from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import InputRequired, Optional

from coop.core import dutch
from coop.core.forms import Form, choices, max_length, required
from coop.geo.forms import PinForm  # noqa: F401 (the match page's pin form)


class ProposeForm(Form):
    helper_id = IntegerField("Helper", validators=[InputRequired(message="Kies een helper.")])
    by_phone = BooleanField("Al telefonisch afgesproken (meteen gekoppeld)")
    note = TextAreaField("Notitie voor de helper (mag leeg)", validators=[Optional(), max_length(1000)])


class DeclineForm(Form):
    reason = TextAreaField("Waarom lukt het niet?", validators=[required("kort waarom het niet lukt"), max_length(500)])


class SlotForm(Form):
    weekday = SelectField("Dag", choices=choices((str(i), name) for i, name in enumerate(dutch.weekday_names())),
                          validators=[InputRequired(message="Kies een dag.")])
    start = TimeField("Van", validators=[InputRequired(message="Vul in vanaf hoe laat.")])
    end = TimeField("Tot", validators=[InputRequired(message="Vul in tot hoe laat.")])


class AbsenceForm(Form):
    starts_on = DateField("Van", validators=[InputRequired(message="Vul de eerste dag in.")])
    ends_on = DateField("Tot en met", validators=[InputRequired(message="Vul de laatste dag in.")])
    note = StringField("Waarom (mag leeg, bijvoorbeeld vakantie)", validators=[Optional(), max_length(200)])
