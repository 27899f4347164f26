"""The pin form: a click on the map fills it (static/js/map.js); without JavaScript it is typed."""
from __future__ import annotations

from wtforms import StringField

from coop.core.forms import Form, max_length, required


class PinForm(Form):
    lat = StringField("Breedtegraad", validators=[required("de breedtegraad"), max_length(40)],
                      render_kw={"inputmode": "decimal", "autocomplete": "off"})
    lon = StringField("Lengtegraad", validators=[required("de lengtegraad"), max_length(40)],
                      render_kw={"inputmode": "decimal", "autocomplete": "off"})
