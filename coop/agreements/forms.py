"""Forms of the agreement pages. Rules live in the service; these only parse."""
from __future__ import annotations

from wtforms import Field, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, after the stubs
from wtforms.validators import InputRequired, Optional

from coop.agreements.models import PARTIES, ROLES
from coop.core import forms as core
from coop.core.forms import CreateForm, Form, max_length, required

DATE_MESSAGE = "Vul een datum in als dd-mm-jjjj, bijvoorbeeld 01-01-2026."
# An agreement runs for a few years; its dates lie within ten years of today.
AGREEMENT_WINDOW = core.DateWindow(past=3653, future=3653, too_early="Kies een datum in de afgelopen tien jaar.",
                                   too_late="Kies een datum binnen tien jaar vanaf vandaag.")


class DutchDateField(core.DutchDateField):
    parse_message = DATE_MESSAGE

    def __init__(self, label, **kw):
        super().__init__(label, window=AGREEMENT_WINDOW, **kw)


def filled(what: str):
    # InputRequired, not DataRequired: a date typed wrongly keeps its own, clearer message.
    return InputRequired(message=f"Vul {what} in.")


class DetailsForm(Form):
    title = StringField("Titel", validators=[required("een titel"), max_length(160)])
    starts_on = DutchDateField("Begint op", validators=[filled("de begindatum")])
    ends_on = DutchDateField("Eindigt op", validators=[filled("de einddatum")])
    review_on = DutchDateField("Samen evalueren op", validators=[filled("de evaluatiedatum")])
    cooperative_contact = StringField("Contactpersoon van de coöperatie (naam en functie)",
                                      validators=[Optional(), max_length(160)])
    municipality_contact = StringField("Contactpersoon van de gemeente (naam en functie)",
                                       validators=[Optional(), max_length(160)])


ROLE_CHOICES = [SelectChoice("", "geen rol")] + [SelectChoice(k, v) for k, v in ROLES.items()]


def row_form_class():
    """A form for one matrix row: a role and a note per party, plus funding and a note."""
    attrs: dict[str, Field] = {
        "domain": StringField("Onderwerp", validators=[required("de naam van het onderwerp"), max_length(120)]),
        "funding": StringField("Financiering", validators=[Optional(), max_length(160)]),
        "note": TextAreaField("Toelichting", validators=[Optional(), max_length(2000)]),
    }
    for party, label in PARTIES.items():
        attrs[f"role_{party}"] = core.DutchSelectField(f"Rol van {label}", choices=ROLE_CHOICES, default="",
                                                       what="een rol")
        attrs[f"note_{party}"] = StringField(f"Toelichting bij {label}", validators=[Optional(), max_length(300)])
    return type("RowForm", (Form,), attrs)


RowForm = row_form_class()


class NewAgreementForm(DetailsForm, CreateForm):
    """The details of a new agreement, sent once."""


class NewRowForm(CreateForm):
    domain = StringField("Nieuw onderwerp", validators=[required("de naam van het onderwerp"), max_length(120)])


class CommentForm(CreateForm):
    row_id = StringField("Onderwerp", validators=[Optional(), max_length(40)])
    text = TextAreaField("Uw opmerking", validators=[required("uw opmerking"), max_length(2000)])


class StepForm(Form):
    note = TextAreaField("Toelichting (mag leeg blijven)", validators=[Optional(), max_length(2000)])


class SignForm(Form):
    name = StringField("Uw naam zoals u tekent", validators=[required("uw naam"), max_length(160)])
