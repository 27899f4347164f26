"""WTForms' own messages are Dutch, from a catalogue read once per process: Flask-WTF would
read and parse it again in every request that makes a form."""
from __future__ import annotations

from babel import support
from werkzeug.datastructures import MultiDict
from wtforms import IntegerField

from coop.core.forms import Form


class _Number(Form):
    class Meta:
        csrf = False

    number = IntegerField("Aantal")


def test_a_built_in_message_is_dutch_and_the_catalogue_is_read_once(app):
    seen = []
    for _ in range(2):
        with app.test_request_context("/", method="POST"):
            form = _Number(formdata=MultiDict({"number": "veel"}))
            assert not form.validate()
            seen.append((form.number.errors, form.meta.get_translations(form)))
    (errors, first), (_, second) = seen
    assert errors == ["Ongeldig getal."]  # WTForms: "Not a valid integer value."
    # the parsed catalogue itself, the same one in every request (Flask-WTF's own hands out a
    # proxy that loads it again per request)
    assert isinstance(first, support.Translations) and first is second
