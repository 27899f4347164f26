"""The forms of lending aids: an item of the stock, lending, reserving, returning, extending."""
from __future__ import annotations

from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired

from coop.aids.models import CONDITIONS, KINDS
from coop.aids.service import MAX_NOTE
from coop.core.forms import (
    CreateForm,
    DatePartsField,
    DateWindow,
    DutchRadioField,
    DutchSelectField,
    Form,
    choices,
    id_or_none,
    max_length,
    optional,
    required,
)

# A loan starts at most a year back (written down afterwards) and ends within two years.
LOAN_WINDOW = DateWindow(past=366, future=731, too_early="Kies een datum in het afgelopen jaar.",
                         too_late="Kies een datum binnen twee jaar vanaf vandaag.")
RETURN_WINDOW = DateWindow(past=731, future=0, too_early="Kies een datum in de afgelopen twee jaar.",
                           too_late="Deze datum ligt in de toekomst.")
KIND_CHOICES = choices([("", "Kies een soort")] + list(KINDS.items()))
CONDITION_CHOICES = choices(CONDITIONS.items())


def _notes(label: str = "Notitie (niet verplicht)") -> TextAreaField:
    return TextAreaField(label, validators=[optional(), max_length(MAX_NOTE)])


class ItemForm(Form):
    kind = DutchSelectField("Soort hulpmiddel", choices=KIND_CHOICES, what="een soort hulpmiddel",
                            validators=[InputRequired("Kies wat voor hulpmiddel het is.")])
    label = StringField("Nummer of sticker op het hulpmiddel", validators=[required("het nummer"), max_length(40)])
    condition = DutchRadioField("Staat", choices=CONDITION_CHOICES, default="good", what="de staat",
                                validators=[InputRequired("Kies in welke staat het hulpmiddel is.")])
    stored_at = StringField("Waar staat het? (niet verplicht)", validators=[optional(), max_length(120)])
    notes = _notes()


class NewItemForm(ItemForm, CreateForm):
    pass


class PeriodForm(Form):
    starts_on = DatePartsField("Met ingang van", validators=[InputRequired("Vul de begindatum in.")],
                               window=LOAN_WINDOW)
    due_on = DatePartsField("Terug uiterlijk op", window=LOAN_WINDOW,
                            validators=[InputRequired("Vul in tot wanneer het hulpmiddel mee mag.")])
    notes = _notes()


class LendForm(PeriodForm, CreateForm):
    resident = DutchSelectField("Aan wie", coerce=id_or_none, what="een inwoner",
                                validators=[InputRequired("Kies aan wie u het hulpmiddel uitleent.")])


class HandOutForm(PeriodForm):
    pass


class ReserveForm(PeriodForm, CreateForm):
    item = DutchSelectField("Welk hulpmiddel", coerce=id_or_none, what="een vrij hulpmiddel",
                            validators=[InputRequired("Kies welk hulpmiddel u reserveert.")])


class ReturnForm(Form):
    returned_on = DatePartsField("Teruggebracht op", validators=[InputRequired("Vul in wanneer het terugkwam.")],
                                 window=RETURN_WINDOW)
    condition = DutchRadioField("In welke staat kwam het terug?", choices=CONDITION_CHOICES, what="de staat",
                                validators=[InputRequired("Kies in welke staat het hulpmiddel terugkwam.")])
    notes = _notes()


class ExtendForm(Form):
    due_on = DatePartsField("Nieuwe einddatum", validators=[InputRequired("Vul de nieuwe einddatum in.")],
                            window=LOAN_WINDOW)
