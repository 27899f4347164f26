"""Forms of respite: carer profile, asking for respite, booking, CarerQol, hours, settings."""
from __future__ import annotations

from datetime import date

from wtforms import FieldList, StringField, TextAreaField
from wtforms.validators import InputRequired

from coop.core.forms import (
    CreateForm,
    DatePartsField,
    DateWindow,
    DutchDateField,
    DutchDecimalField,
    DutchIntegerField,
    DutchRadioField,
    DutchSelectField,
    DutchTimeField,
    Form,
    choices,
    chosen,
    max_length,
    optional,
    required,
)
from coop.people.forms import MultiCheckboxField
from coop.respite import allowance
from coop.respite.carerqol import ANSWERS, DIMENSIONS
from coop.respite.models import SOFA

# Respite is asked for the coming two years at most; a date in the past is the service's to refuse
# (it says which), a date from long ago is simply a typing error.
RESPITE_WINDOW = DateWindow(past=366, future=730, too_early="Deze datum ligt in het verleden. Kies vandaag of later.",
                            too_late="Kies een datum binnen twee jaar vanaf vandaag.")
# Hours are written down afterwards: within the last two years, not in the future.
HOURS_WINDOW = DateWindow(past=730, future=0, too_early="Kies een datum in de afgelopen twee jaar.",
                          too_late="Deze datum ligt in de toekomst.")

FREQ_CHOICES = choices([("once", "Eén keer"), ("weekly", "Elke week"), ("fortnightly", "Om de week")])


class CarerNotesForm(Form):
    """What a substitute must know: the carer writes it, the coordinator may too."""
    routines = TextAreaField("Vaste gewoonten en dagritme", validators=[optional(), max_length(2000)])
    what_calms = TextAreaField("Wat helpt als het even moeilijk is", validators=[optional(), max_length(2000)])
    who_to_call = TextAreaField("Wie bellen bij nood (naam en nummer)", validators=[optional(), max_length(1000)])


class CarerProfileForm(CarerNotesForm):
    care_recipient = DutchSelectField("Voor wie zorgt deze mantelzorger?", coerce=int,
                                 validators=[chosen("de persoon voor wie gezorgd wordt")])
    relationship_label = StringField("Relatie (bijvoorbeeld: partner, dochter, buurman)",
                                     validators=[optional(), max_length(60)])
    care_hours_week = DutchIntegerField("Hoeveel uur zorg per week, ongeveer?", default=0, minimum=0, maximum=168,
                                        range_message="Kies tussen 0 en 168 uur.",
                                        validators=[InputRequired("Vul een aantal uren in.")])
    sofa_roles = MultiCheckboxField("Welke rollen wegen nu het zwaarst? (SOFA)",
                                    choices=choices(SOFA.items()))
    support_needs = TextAreaField("Welke steun heeft de mantelzorger nodig?", validators=[optional(), max_length(2000)])


EXCEPTION_ROWS, EXCEPTION_MAX = 3, 20  # empty date rows shown at first; at most this many


class RespiteRequestForm(CreateForm):
    first_date = DatePartsField("Datum (de eerste keer)", validators=[InputRequired("Vul een datum in.")],
                                window=RESPITE_WINDOW)
    start_time = DutchTimeField("Van", validators=[InputRequired("Vul een begintijd in.")])
    end_time = DutchTimeField("Tot", validators=[InputRequired("Vul een eindtijd in.")])
    freq = DutchRadioField("Hoe vaak?", choices=FREQ_CHOICES, default="once", validators=[chosen("hoe vaak")])
    until = DatePartsField("Tot en met (bij herhalen; leeg: een jaar, hoogstens 60 keer)", validators=[optional()],
                           window=RESPITE_WINDOW)
    # Days without respite (a holiday): a date in boxes per row; "Nog een datum" adds a row.
    exceptions = FieldList(DatePartsField("Niet op", validators=[optional()], window=RESPITE_WINDOW),
                           min_entries=EXCEPTION_ROWS, max_entries=EXCEPTION_MAX)
    with_care = DutchRadioField("Wat is er nodig?", choices=choices([("0", "Gezelschap en een oogje in het zeil"),
                                                         ("1", "Ook persoonlijke verzorging (eten, drinken, toilet)")]),
                           default="0", validators=[chosen("wat er nodig is")])
    notes = TextAreaField("Wat wilt u nog kwijt?", validators=[optional(), max_length(2000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._number_rows()

    def _number_rows(self) -> None:
        for n, entry in enumerate(self.exceptions, 1):
            entry.label.text = f"Niet op (datum {n})"

    @property
    def exception_dates(self) -> set[date]:
        return {entry.data for entry in self.exceptions if entry.data}

    def add_exception_row(self) -> bool:
        """One more empty date row (the "Nog een datum" button, which works without script)."""
        if len(self.exceptions) >= EXCEPTION_MAX:
            return False
        self.exceptions.append_entry()
        self._number_rows()
        return True


class PickVolunteerForm(CreateForm):
    volunteer = DutchSelectField("Vrijwilliger", coerce=int, validators=[chosen("een vrijwilliger")])


class CarerQolForm(CreateForm):
    vas = DutchRadioField(
        "Hoe gelukkig voelt u zich op dit moment? 0 is helemaal niet gelukkig, 10 is helemaal gelukkig.",
        choices=choices((str(i), str(i)) for i in range(11)), validators=[chosen("een cijfer")])


for _name, _question, _ in DIMENSIONS:
    setattr(CarerQolForm, _name, DutchRadioField(_question, choices=choices((str(k), v) for k, v in ANSWERS.items()),
                                            validators=[chosen("een antwoord")]))


# NaN or infinity typed as hours, km or costs: the service's own words, with the field's range.
NOT_FINITE = "Vul een gewoon bedrag of aantal in, zoals 2,50"


class HoursForm(Form):
    # The bounds (and their words) are the service's own (respite/hours.py).
    hours = DutchDecimalField("Uren", places=2, minimum=0, maximum=24,
                              range_message="Vul een aantal uren tussen 0 en 24 in.",
                              not_finite=f"{NOT_FINITE}: een aantal uren tussen 0 en 24.",
                              validators=[InputRequired("Vul het aantal uren in.")])
    km = DutchDecimalField("Kilometers", places=1, default=0, minimum=0, maximum=1000,
                           range_message="Vul een aantal kilometers tussen 0 en 1000 in.",
                           not_finite=f"{NOT_FINITE}: een aantal kilometers tussen 0 en 1000.",
                           validators=[InputRequired("Vul 0 in als u niet reed.")])
    costs = DutchDecimalField("Andere kosten (€)", places=2, default=0, minimum=0, maximum=1000,
                              range_message="Vul kosten tussen € 0 en € 1000 in.",
                              not_finite=f"{NOT_FINITE}: kosten tussen € 0 en € 1000.",
                              validators=[InputRequired("Vul 0 in als er geen kosten waren.")])
    description = StringField("Wat deed u?", validators=[optional(), max_length(200)])


class ManualHoursForm(HoursForm, CreateForm):
    worked_on = DutchDateField("Datum", validators=[InputRequired("Vul een datum in.")], window=HOURS_WINDOW)
    description = StringField("Wat deed u?", validators=[required("wat u deed"), max_length(200)])


class SettingsForm(Form):
    """The village's km rate, hourly allowance and (optional, lower) maxima of the volunteer allowance."""
    km_rate = DutchDecimalField("Kilometervergoeding per km (€)", places=2, minimum=0, maximum=2,
                                range_message="Kies een kilometervergoeding tussen € 0 en € 2.",
                                validators=[InputRequired("Vul een bedrag in.")])
    hourly_rate = DutchDecimalField("Uurvergoeding vanaf 21 jaar (€ per uur)", places=2, default=0,
                                    validators=[optional()],
                                    description="Vul 0 in als het dorp geen uurvergoeding betaalt.")
    hourly_rate_young = DutchDecimalField("Uurvergoeding onder 21 jaar (€ per uur)", places=2, default=0,
                                          validators=[optional()],
                                          description="Voor vrijwilligers die bij hun gegevens als jonger dan 21 "
                                                      "staan.")
    allowance_month_max = DutchDecimalField("Eigen maximum per maand (€)", places=2, validators=[optional()],
                                            minimum=0, maximum=10_000,
                                            range_message="Vul een maandmaximum tussen € 0 en € 10.000 in.",
                                            description="Alleen als het dorp minder wil uitbetalen dan de wettelijke "
                                                        "grens. Leeg: de grens van de Belastingdienst.")
    allowance_year_max = DutchDecimalField("Eigen maximum per jaar (€)", places=2, validators=[optional()],
                                           minimum=0, maximum=100_000,
                                           range_message="Vul een jaarmaximum tussen € 0 en € 100.000 in.",
                                           description="Leeg: de grens van de Belastingdienst.")


def _limit(name: str, label: str) -> DutchDecimalField:
    """An amount of the limits form: the service checks its range (allowance.UPPER) in its own
    words; the field refuses only what is no amount at all, in those same words."""
    no_amount = f"Vul bij {allowance.LABELS[name]} een bedrag in, zoals 5,75."
    return DutchDecimalField(label, places=2, minimum=-1_000_000, maximum=1_000_000, range_message=no_amount,
                             not_finite=no_amount, validators=[InputRequired("Vul een bedrag in.")])


class AllowanceLimitsForm(Form):
    """The Belastingdienst's limits of the volunteer allowance for one calendar year (the admin)."""
    year = DutchIntegerField("Jaar", validators=[InputRequired("Vul een jaar in.")])
    month_max = _limit("month_max", "Maximum per maand (€)")
    year_max = _limit("year_max", "Maximum per jaar (€)")
    hourly_max = _limit("hourly_max", "Maximum per uur, vanaf 21 jaar (€)")
    hourly_max_young = _limit("hourly_max_young", "Maximum per uur, onder 21 jaar (€)")
