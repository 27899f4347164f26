from __future__ import annotations

from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from coop.core.forms import Form


class ThresholdForm(Form):
    threshold = IntegerField(
        "Kleinste aantal dat getoond wordt",
        validators=[InputRequired(message="Vul een getal in."),
                    NumberRange(min=3, max=50, message="Kies een getal van 3 tot en met 50.")])
