from wtforms import BooleanField, DateField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import NumberRange
from wtforms.widgets import CheckboxInput, ListWidget

from coop.core.forms import (
    DutchDecimalField,
    Form,
    chosen,
    email_format,
    max_length,
    optional,
    phone_format,
    postcode_format,
    required,
)


class PersonForm(Form):
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


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class VolunteerProfileForm(Form):
    categories = MultiCheckboxField("Waarmee wilt u helpen?", coerce=int)
    radius_km = DutchDecimalField("Hoe ver wilt u gaan? (km)", places=1,
                             validators=[required("een afstand"),
                                         NumberRange(min=0.5, max=50, message="Kies een afstand tussen 0,5 en 50 km.")])
    max_hours_month = IntegerField("Hoeveel uur per maand hoogstens?",
                                   validators=[required("een aantal uren"),
                                               NumberRange(min=1, max=160, message="Kies tussen 1 en 160 uur.")])
    preferences = StringField("Voorkeuren (bijvoorbeeld: liever ochtenden, geen honden)",
                              validators=[optional(), max_length(500)])


class VolunteerPapersForm(Form):
    """What the coordinator records about a volunteer: the VOG, the signed agreement and the age
    band that sets the hourly maximum of the volunteer allowance."""
    vog_date = DateField("Datum van de VOG", validators=[optional()],
                         description="De datum die op de Verklaring Omtrent het Gedrag staat. "
                                     "Maak het veld leeg om de datum te verwijderen.")
    agreement_date = DateField("Vrijwilligersovereenkomst getekend op", validators=[optional()],
                               description="Maak het veld leeg als er (nog) geen getekende overeenkomst is.")
    under_21 = BooleanField("Jonger dan 21 jaar",
                            description="Voor een uurvergoeding: onder 21 jaar geldt een lager maximum per uur.")


class CompetenceForm(Form):
    """A volunteer's competence for a task that needs training, with the professional backstop."""
    category = SelectField("Taak", coerce=int, validators=[chosen("een taak")])
    backstop = SelectField("Professionele achterwacht", coerce=int, validators=[chosen("een achterwacht")],
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
    backstop = SelectField("Professionele achterwacht", coerce=int, validators=[chosen("een achterwacht")],
                           description="Zonder achterwacht mag de vrijwilliger deze taak niet doen.")
    note = StringField("Hoe bekwaam?", validators=[optional(), max_length(200)])
