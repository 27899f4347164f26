from wtforms import StringField, TextAreaField

from coop.calllist.service import MAX_NOTE, OUTCOMES
from coop.core.forms import DutchRadioField, Form, choices, max_length, optional


class OutcomeForm(Form):
    outcome = DutchRadioField("Wat kwam er uit het gesprek?", choices=choices(OUTCOMES.items()),
                              what="wat er uit het gesprek kwam")
    taken_over_by = StringField("Wie heeft het overgenomen?", validators=[optional(), max_length(120)])
    note = TextAreaField("Notitie (niet verplicht)", validators=[optional(), max_length(MAX_NOTE)])
