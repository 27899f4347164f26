"""Forms for posting a hulpvraag, the phone intake, the Schijf van Vijf and the coordinator's steps.

Fields only parse; the rules (a date in the past, a foreign category…) live in the service,
which names the field its message belongs to.
"""
from __future__ import annotations

from wtforms import BooleanField, Field, StringField, TextAreaField

from coop.core.forms import (
    CreateForm,
    DatePartsField,
    DateWindow,
    DutchRadioField,
    DutchSelectField,
    DutchTimeField,
    Form,
    choices,
    id_or_none,
    max_length,
    optional,
    phone_format,
    postcode_format,
    required,
)
from coop.requests.intake import DAY, FLEXIBLE, MAX_ANSWER_NOTE, MAX_DESCRIPTION, WINDOW, RequestInput
from coop.requests.models import (
    CHANNEL_LABELS,
    FIVE_QUESTIONS,
    PARTIES,
    PARTS_OF_DAY,
    PHONE,
    RECURRENCE_LABELS,
    URGENCY_LABELS,
    VISIT,
)

# Help is asked for today or later, and not for a day more than two years away.
REQUEST_DATE_WINDOW = DateWindow(past=0, future=730,
                                 too_early="Deze datum is al voorbij. Kies vandaag of een dag later.",
                                 too_late="Kies een datum binnen twee jaar vanaf vandaag.")


class RequestForm(CreateForm):
    """The resident's short form; the coordinator uses the same one for a phone intake.

    Its one-time token (CreateForm) also goes to the service, which records it on the request."""
    # No kind of help chosen beforehand: the first option is "Kies…" (the views add it).
    category_id = DutchSelectField("Waarmee wilt u hulp?", coerce=id_or_none, what="een soort hulp")
    description = TextAreaField(
        "Wat is er nodig?", validators=[max_length(MAX_DESCRIPTION)], render_kw={"rows": 8},
        description="In gewone woorden, bijvoorbeeld: ‘Wie rijdt mij donderdag naar de fysiotherapeut in Zeist?’")
    when = DutchRadioField("Wanneer?", what="wanneer u hulp wilt", default=DAY, choices=choices([
        (DAY, "Op een dag, in de ochtend, middag of avond"),
        (WINDOW, "Op een dag, tussen twee tijden"),
        (FLEXIBLE, "Het maakt niet uit wanneer (flexibel)")]))
    on_date = DatePartsField("Datum", validators=[optional()], window=REQUEST_DATE_WINDOW,
                             description="Vandaag of later. Bijvoorbeeld 14 3 2026. Niet nodig als het niet "
                                         "uitmaakt wanneer.")
    part_of_day = DutchRadioField("Dagdeel", what="een dagdeel", choices=choices(PARTS_OF_DAY.items()),
                             validators=[optional()], validate_choice=False)
    start_time = DutchTimeField("Van", validators=[optional()], description="Bijvoorbeeld 10:00")
    end_time = DutchTimeField("Tot", validators=[optional()], description="Bijvoorbeeld 12:00")
    recurrence = DutchRadioField("Eenmalig of vaker?", what="hoe vaak", default="once",
                            choices=choices(RECURRENCE_LABELS.items()))
    urgency = DutchRadioField("Hoe snel is hulp nodig?", what="hoe snel", default="no_rush",
                         choices=choices(URGENCY_LABELS.items()))
    own_address = DutchRadioField("Waar is de hulp nodig?", what="waar", default="yes",
                             choices=choices([("yes", "Op het eigen adres"), ("no", "Op een ander adres")]))
    street = StringField("Straat", validators=[max_length(120)])
    house_number = StringField("Huisnummer", validators=[max_length(12)])
    postcode = StringField("Postcode (als u die weet)", validators=[optional(), postcode_format])
    place = StringField("Plaats", validators=[max_length(80)])
    consent_contact = BooleanField(
        "De helper mag mijn naam, straat en telefoonnummer zien",
        description="Pas nadat de helper ja heeft gezegd. Zonder dit vinkje belt de dorpsondersteuner u zelf.")

    def to_input(self, channel: str = "web") -> RequestInput:
        return RequestInput(
            category_id=self.category_id.data, description=self.description.data or "",
            when=self.when.data or "", urgency=self.urgency.data or "",
            recurrence=self.recurrence.data or "", on_date=self.on_date.data,
            part_of_day=self.part_of_day.data or None, start_time=self.start_time.data,
            end_time=self.end_time.data, own_address=self.own_address.data != "no",
            street=self.street.data, house_number=self.house_number.data, postcode=self.postcode.data,
            place=self.place.data, consent_contact=bool(self.consent_contact.data), channel=channel)


class OnBehalfForm(RequestForm):
    channel = DutchRadioField("Hoe kwam de hulpvraag binnen?", what="hoe de vraag binnenkwam", default=PHONE,
                         choices=choices([(PHONE, CHANNEL_LABELS[PHONE].capitalize()),
                                          (VISIT, CHANNEL_LABELS[VISIT].capitalize())]))
    consent_contact = BooleanField(
        "De inwoner geeft toestemming: de helper mag naam, straat en telefoonnummer zien",
        description="Vraag het hardop. Pas nadat de helper ja heeft gezegd.")


class NewResidentForm(CreateForm):
    """A resident without an account, recorded during the call."""
    first_name = StringField("Voornaam", validators=[required("de voornaam"), max_length(80)])
    last_name = StringField("Achternaam", validators=[required("de achternaam"), max_length(120)])
    phone = StringField("Telefoonnummer", validators=[optional(), phone_format], render_kw={"type": "tel"})
    street = StringField("Straat", validators=[required("de straat"), max_length(120)])
    house_number = StringField("Huisnummer", validators=[required("het huisnummer"), max_length(12)])
    postcode = StringField("Postcode", validators=[optional(), postcode_format])


def _split_fields() -> dict[str, Field]:
    fields: dict[str, Field] = {}
    party_choices = choices([("", "– kies –")] + list(PARTIES.items()))
    for q, text in FIVE_QUESTIONS.items():
        fields[f"note_{q}"] = TextAreaField(f"{q}. {text}", validators=[max_length(MAX_ANSWER_NOTE)],
                                            render_kw={"rows": 2})
        fields[f"party_{q}"] = DutchSelectField(f"Wie neemt dit op zich? (vraag {q})", what="een partij",
                                           choices=party_choices, validate_choice=False)
        fields[f"not_needed_{q}"] = BooleanField(f"Niet nodig (vraag {q})")
    return fields


FiveQuestionsForm = type("FiveQuestionsForm", (Form,), _split_fields())
FiveQuestionsForm.__doc__ = "The Schijf van Vijf: five notes, each with the party that takes it on or 'niet nodig'."


def five_questions_answers(form) -> dict[int, tuple[str, str, bool]]:
    return {q: (form[f"note_{q}"].data or "", form[f"party_{q}"].data or "", bool(form[f"not_needed_{q}"].data))
            for q in FIVE_QUESTIONS}


class NoteForm(Form):
    note = TextAreaField("Toelichting (niet verplicht)", validators=[max_length(1000)], render_kw={"rows": 2})


class InfoForm(CreateForm):
    text = TextAreaField("Wat wilt u toevoegen?", validators=[max_length(1000)], render_kw={"rows": 3})


class ReferForm(Form):
    # Named as before the list (the value is now a destination's id): the service's messages
    # and links to the field keep working.
    referred_to = DutchSelectField("Naar wie verwijst u door?", coerce=id_or_none, what="naar wie u doorverwijst",
                                   validate_choice=False)
    referral_reason = TextAreaField("Waarom? (voor het dossier, niet voor de gemeente)",
                                    validators=[max_length(1000)], render_kw={"rows": 3})
