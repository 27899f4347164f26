"""Forms of activities. Fields only parse; the rules (a day gone by, no places) live in the
service, which names the field its message belongs to."""
from __future__ import annotations

from decimal import Decimal

from wtforms import BooleanField, StringField, TextAreaField

from coop.activities.models import KINDS
from coop.activities.service import MAX_CAPACITY, MAX_DESCRIPTION, MAX_DIETARY, ActivityInput
from coop.core.forms import (
    CreateForm,
    DatePartsField,
    DateWindow,
    DutchDecimalField,
    DutchIntegerField,
    DutchRadioField,
    DutchSelectField,
    DutchTimeField,
    Form,
    choices,
    id_or_none,
    max_length,
    optional,
    postcode_format,
)
from coop.people.forms import MultiCheckboxField

# An activity is planned for today or later (the service says so); a date more than two years
# away, or long ago, is a typing error.
ACTIVITY_WINDOW = DateWindow(past=366, future=730, too_early="Deze datum is al voorbij. Kies vandaag of een dag later.",
                             too_late="Kies een datum binnen twee jaar vanaf vandaag.")


class ActivityForm(CreateForm):
    kind = DutchRadioField("Wat voor activiteit?", what="wat voor activiteit het is", choices=choices(KINDS.items()))
    title = StringField("Naam", validators=[max_length(120)],
                        description="Bijvoorbeeld: Austerlitz Eet, Koffieochtend in de Kapel")
    on_date = DatePartsField("Datum", validators=[optional()], window=ACTIVITY_WINDOW,
                             description="Bijvoorbeeld 14 3 2026")
    start_time = DutchTimeField("Begintijd", validators=[optional()], description="Bijvoorbeeld 10:00")
    end_time = DutchTimeField("Eindtijd", validators=[optional()], description="Bijvoorbeeld 12:00")
    venue = StringField("Waar?", validators=[max_length(120)], description="Bijvoorbeeld: Dorpshuis De Kapel")
    street = StringField("Straat (niet verplicht)", validators=[max_length(120)])
    house_number = StringField("Huisnummer", validators=[max_length(12)])
    postcode = StringField("Postcode", validators=[optional(), postcode_format])
    place = StringField("Plaats", validators=[max_length(80)])
    capacity = DutchIntegerField("Hoeveel plaatsen?", minimum=1, maximum=MAX_CAPACITY, validators=[optional()],
                                 range_message=f"Kies een aantal plaatsen van 1 tot en met {MAX_CAPACITY}.")
    cost = DutchDecimalField("Kosten per persoon in euro (0 is gratis)", places=2, minimum=0, maximum=1000,
                             default=Decimal("0"), validators=[optional()],
                             range_message="Kies een bedrag van 0 tot en met 1.000 euro.")
    description = TextAreaField("Wat gaan we doen?", validators=[max_length(MAX_DESCRIPTION)], render_kw={"rows": 5})

    def to_input(self) -> ActivityInput:
        return ActivityInput(kind=self.kind.data or "", title=self.title.data or "", on_date=self.on_date.data,
                             start_time=self.start_time.data, end_time=self.end_time.data,
                             venue=self.venue.data or "", street=self.street.data or "",
                             house_number=self.house_number.data or "", postcode=self.postcode.data or None,
                             place=self.place.data or "", capacity=self.capacity.data,
                             cost=self.cost.data if self.cost.data is not None else None,
                             description=self.description.data or "")


class SignupForm(CreateForm):
    wants_lift = BooleanField("Ik wil graag opgehaald worden",
                              description="Een vrijwilliger haalt u thuis op en brengt u na afloop terug. "
                                          "Die ziet dan uw naam, adres en telefoonnummer.")
    dietary_note = StringField("Eet u iets niet, of heeft u een dieet? (niet verplicht)",
                               validators=[max_length(MAX_DIETARY)])


class HelperForm(Form):
    helper = DutchSelectField("Vrijwilliger", coerce=id_or_none, what="een vrijwilliger", validate_choice=False)


class AttendanceForm(Form):
    present = MultiCheckboxField("Wie was er?", coerce=int, validate_choice=False)
