from wtforms import BooleanField, StringField
from wtforms.widgets import CheckboxInput, ListWidget

from coop.core.forms import (
    CreateForm,
    DateWindow,
    DutchDateField,
    DutchDecimalField,
    DutchIntegerField,
    DutchMultipleField,
    DutchSelectField,
    Form,
    chosen,
    email_format,
    max_length,
    optional,
    phone_format,
    postcode_format,
    required,
)


class PersonForm(CreateForm):
    """A resident recorded by the coordinator, often during a phone call."""
    first_name = StringField("Voornaam", validators=[required("de voornaam"), max_length(80)])
    last_name = StringField("Achternaam", validators=[required("de achternaam"), max_length(120)])
    phone = StringField("Telefoonnummer", validators=[optional(), phone_format], render_kw={"type": "tel"})
    email = StringField("E-mailadres (als die er is)", validators=[optional(), email_format, max_length(254)],
                        render_kw={"type": "email", "spellcheck": "false"})
    street = StringField("Straat", validators=[required("de straat"), max_length(120)])
    house_number = StringField("Huisnummer", validators=[required("het huisnummer"), max_length(12)])
    postcode = StringField("Postcode", validators=[optional(), postcode_format])
    is_carer = BooleanField("Deze persoon is ook mantelzorger")


class MultiCheckboxField(DutchMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class VolunteerProfileForm(Form):
    categories = MultiCheckboxField("Waarmee wilt u helpen?", coerce=int)
    radius_km = DutchDecimalField("Hoe ver wilt u gaan? (km)", places=1, minimum="0.5", maximum=50,
                                  range_message="Kies een afstand tussen 0,5 en 50 km.",
                                  validators=[required("een afstand")])
    max_hours_month = DutchIntegerField("Hoeveel uur per maand hoogstens?", minimum=1, maximum=160,
                                        range_message="Kies tussen 1 en 160 uur.",
                                        validators=[required("een aantal uren")])
    preferences = StringField("Voorkeuren (bijvoorbeeld: liever ochtenden, geen honden)",
                              validators=[optional(), max_length(500)])


# A VOG older than ten years is no use to anyone; one from the future is a typing error.
VOG_WINDOW = DateWindow(past=3653, future=0, too_early="Kies een datum in de afgelopen tien jaar.",
                        too_late="De datum van de VOG kan niet in de toekomst liggen.")
AGREEMENT_WINDOW = DateWindow(past=3653, future=0, too_early="Kies een datum in de afgelopen tien jaar.",
                              too_late="De overeenkomst kan niet in de toekomst getekend zijn.")


class VolunteerPapersForm(Form):
    """What the coordinator records about a volunteer: the VOG, the signed agreement and the age
    band that sets the hourly maximum of the volunteer allowance."""
    vog_date = DutchDateField("Datum van de VOG", validators=[optional()], window=VOG_WINDOW,
                              description="De datum die op de Verklaring Omtrent het Gedrag staat. "
                                          "Maak het veld leeg om de datum te verwijderen.")
    contract_date = DutchDateField("Vrijwilligersovereenkomst getekend op", validators=[optional()],
                                    window=AGREEMENT_WINDOW,
                                    description="Maak het veld leeg als er (nog) geen getekende overeenkomst is.")
    under_21 = BooleanField("Jonger dan 21 jaar",
                            description="Voor een uurvergoeding: onder 21 jaar geldt een lager maximum per uur.")


class CompetenceForm(CreateForm):
    """A volunteer's competence for a task that needs training, with the professional backstop."""
    category = DutchSelectField("Taak", coerce=int, what="een taak", validators=[chosen("een taak")])
    backstop = DutchSelectField("Professionele achterwacht", coerce=int, what="een achterwacht",
                                validators=[chosen("een achterwacht")],
                                description="De zorgprofessional die de vrijwilliger kan bellen bij twijfel.")
    note = StringField("Hoe bekwaam? (bijvoorbeeld: training gevolgd op …)", validators=[optional(), max_length(200)])


class AddressForm(Form):
    """A person's new address; the geocoder puts it on the map when it knows it."""
    street = StringField("Straat", validators=[required("de straat"), max_length(120)],
                         render_kw={"autocomplete": "address-line1"})
    house_number = StringField("Huisnummer", validators=[required("het huisnummer"), max_length(12)])
    postcode = StringField("Postcode", validators=[optional(), postcode_format],
                           render_kw={"autocomplete": "postal-code"})
    place = StringField("Woonplaats", validators=[optional(), max_length(80)],
                        render_kw={"autocomplete": "address-level2"})


class CompetenceChangeForm(Form):
    """Another backstop (or none) or note for a competence already recorded."""
    backstop = DutchSelectField("Professionele achterwacht", coerce=int, what="een achterwacht",
                                validators=[chosen("een achterwacht")],
                                description="Zonder achterwacht mag de vrijwilliger deze taak niet doen.")
    note = StringField("Hoe bekwaam?", validators=[optional(), max_length(200)])
