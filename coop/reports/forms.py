from __future__ import annotations

from wtforms.validators import InputRequired

from coop.core.forms import DutchIntegerField, Form


class ThresholdForm(Form):
    threshold = DutchIntegerField(
        "Kleinste aantal dat getoond wordt", minimum=3, maximum=50,
        range_message="Kies een getal van 3 tot en met 50.", validators=[InputRequired(message="Vul een getal in.")])
