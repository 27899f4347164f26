from wtforms import BooleanField, EmailField, StringField

from coop.core.forms import (
    CreateForm,
    DutchDecimalField,
    DutchRadioField,
    DutchSelectField,
    choices,
    max_length,
    optional,
    required,
)
from coop.geo.distance import NL_BOX
from coop.villages.category_sets import SETS

NOT_IN_NL = ("Het midden van het dorp ligt niet in Nederland (breedtegraad tussen 50,7 en 53,6, lengtegraad "
             "tussen 3,3 en 7,3). Controleer de coördinaten.")


class VillageForm(CreateForm):
    name = StringField("Naam van het dorp", validators=[required("de naam van het dorp"), max_length(120)])
    cooperative_name = StringField("Naam van de coöperatie", validators=[required("de naam van de coöperatie"),
                                                                         max_length(160)])
    slug = StringField("Code in webadressen (kleine letters en streepjes, bijvoorbeeld bosch-en-duin)",
                       validators=[required("een code"), max_length(60)])
    centre_lat = DutchDecimalField("Midden van het dorp: breedtegraad (bijvoorbeeld 52,0805)", places=None,
                                   minimum=NL_BOX[0], maximum=NL_BOX[1], range_message=NOT_IN_NL,
                                   validators=[required("de breedtegraad")])
    centre_lon = DutchDecimalField("Midden van het dorp: lengtegraad (bijvoorbeeld 5,3107)", places=None,
                                   minimum=NL_BOX[2], maximum=NL_BOX[3], range_message=NOT_IN_NL,
                                   validators=[required("de lengtegraad")])
    phone = StringField("Telefoonnummer van de dorpsondersteuner", validators=[required("een telefoonnummer"),
                                                                                max_length(20)])
    municipality_id = DutchSelectField("Gemeente", coerce=int, validate_choice=False, what="een gemeente")
    new_municipality = StringField("Of een nieuwe gemeente", validators=[optional(), max_length(120)])
    category_set = DutchRadioField("Taakcategorieën om mee te beginnen",
                                   choices=choices((key, label) for key, (label, _rows) in SETS.items()),
                                   what="een set taakcategorieën")
    coordinator_first_name = StringField("Voornaam dorpsondersteuner", validators=[required("de voornaam"),
                                                                                    max_length(80)])
    coordinator_last_name = StringField("Achternaam dorpsondersteuner", validators=[required("de achternaam"),
                                                                                     max_length(80)])
    coordinator_email = EmailField("E-mailadres dorpsondersteuner (hier komt de link om een wachtwoord te kiezen)",
                                   validators=[required("het e-mailadres"), max_length(254)])
    coordinator_is_admin = BooleanField("De dorpsondersteuner beheert ook het dorp (categorieën, logboek)",
                                        default=True)
