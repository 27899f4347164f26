from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, ListWidget

from coop.core.clock import local_now
from coop.core.forms import (
    ANY_SANE_DATE,
    CreateForm,
    DatePartsField,
    DateWindow,
    DutchDecimalField,
    DutchIntegerField,
    DutchMultipleField,
    DutchRadioField,
    DutchSelectField,
    Form,
    choices,
    chosen,
    max_length,
    optional,
    required,
)
from coop.core.models import User
from coop.members.models import METHOD_LABELS, METHODS, RETURN_REASONS
from coop.members.service import JoinInput

METHOD_CHOICES = choices((m, METHOD_LABELS[m].capitalize()) for m in METHODS)
# A mandate is signed before it is used: a date after today is a typing error.
SIGNED_WINDOW = DateWindow(past=36500, future=0, too_early=ANY_SANE_DATE.too_early,
                           too_late="De machtiging kan niet in de toekomst getekend zijn. Vul de dag in waarop "
                                    "het lid de machtiging tekende (vandaag of eerder).")
PAST_WINDOW = DateWindow(past=3653, future=0, too_early="Kies een datum in de afgelopen tien jaar.",
                         too_late="Deze datum ligt in de toekomst. Vul de dag in waarop het gebeurde.")


class MultiCheckboxField(DutchMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class _Payment:
    """How the household pays: the fields shared by the full form and the one at the kitchen table."""
    method = DutchRadioField("Hoe betaalt het huishouden?", choices=METHOD_CHOICES, validators=[chosen("hoe het "
                             "huishouden betaalt")])
    iban = StringField("IBAN (bij automatische incasso)", validators=[optional(), max_length(42)],
                       render_kw={"autocomplete": "off", "spellcheck": "false"})
    account_holder = StringField("Naam bij de rekening", validators=[optional(), max_length(70)])
    signed_on = DatePartsField("Machtiging getekend op", validators=[optional()], window=SIGNED_WINDOW)


class JoinForm(_Payment, CreateForm):
    """A new member household, recorded by the coordinator."""
    housemates = MultiCheckboxField("Wie op dit adres wordt ook lid?", coerce=int)
    number = DutchIntegerField("Lidnummer", minimum=1, maximum=999_999, validators=[optional()],
                               range_message="Kies een lidnummer van 1 tot 999.999.")
    starts_on = DatePartsField("Lid vanaf", validators=[InputRequired("Vul in vanaf wanneer het huishouden lid is.")])
    mandate_reference = StringField("Machtigingskenmerk (leeg: wij maken er een)",
                                    validators=[optional(), max_length(35)])
    reduction = DutchDecimalField("Korting op de contributie (in euro)", places=2, minimum=0, maximum=1000,
                                  validators=[optional()], range_message="Vul een bedrag tussen 0 en 1.000 euro in.")
    reduction_reason = StringField("Waarom korting?", validators=[optional(), max_length(200)])

    def to_input(self, people: list[User]) -> JoinInput:
        return JoinInput(people=people, method=self.method.data or "", number=self.number.data,
                         starts_on=self.starts_on.data, reduction=self.reduction.data,
                         reduction_reason=self.reduction_reason.data or "", iban=self.iban.data or "",
                         account_holder=self.account_holder.data or "",
                         mandate_reference=self.mandate_reference.data or "", signed_on=self.signed_on.data)


class KitchenTableForm(_Payment, Form):
    """Joining on the spot, while a hulpvraag waits: only how the household pays."""
    shown = HiddenField()  # "1" once the coordinator has seen the form

    def to_input(self, resident: User) -> JoinInput:
        """The resident alone, a member from today, with the next free number."""
        return JoinInput(people=[resident], method=self.method.data or "", starts_on=local_now().date(),
                         iban=self.iban.data or "", account_holder=self.account_holder.data or "",
                         signed_on=self.signed_on.data)


class SettingsForm(Form):
    yearly_fee = DutchDecimalField("Contributie per huishouden per jaar (in euro)", places=2, minimum=0,
                                   maximum=1000, validators=[required("de contributie")],
                                   range_message="Vul een bedrag tussen 0 en 1.000 euro in.")
    creditor_id = StringField("Incassant-ID van de coöperatie", validators=[optional(), max_length(40)],
                              description="19 tekens, bijvoorbeeld NL69ZZZ123456780000. U krijgt het van uw bank.",
                              render_kw={"autocomplete": "off", "spellcheck": "false"})
    account_name = StringField("Naam van de rekening", validators=[optional(), max_length(70)])
    iban = StringField("IBAN van de coöperatie", validators=[optional(), max_length(42)],
                       render_kw={"autocomplete": "off", "spellcheck": "false"})
    bic = StringField("BIC (leeg: wij zoeken hem op bij het IBAN)", validators=[optional(), max_length(11)],
                      render_kw={"autocomplete": "off", "spellcheck": "false"})


class RunForm(CreateForm):
    year = DutchIntegerField("Jaar", minimum=2000, maximum=2100, validators=[required("het jaar")],
                             range_message="Kies een jaar van 2000 tot 2100.")
    collection_date = DatePartsField("Incassodatum (ook: betalen vóór, bij overmaken)",
                                     validators=[InputRequired("Vul de incassodatum in.")])


class PaymentForm(Form):
    paid_on = DatePartsField("Betaald op", validators=[InputRequired("Vul de datum in waarop het geld binnenkwam.")],
                             window=PAST_WINDOW)


class ReturnForm(Form):
    returned_on = DatePartsField("Teruggeboekt op", validators=[InputRequired("Vul de datum van de terugboeking in.")],
                                 window=PAST_WINDOW)
    reason = DutchSelectField("Reden van de bank", what="een reden", validators=[chosen("de reden")],
                              choices=choices([("", "Kies de reden")] + list(RETURN_REASONS.items())))


class EndForm(Form):
    ends_on = DatePartsField("Laatste dag van het lidmaatschap",
                             validators=[InputRequired("Vul de laatste dag van het lidmaatschap in.")])


class MessageForm(CreateForm):
    group = DutchSelectField("Aan wie?", what="een groep", validators=[chosen("aan wie het bericht gaat")])
    subject = StringField("Onderwerp", validators=[required("het onderwerp"), max_length(150)])
    text = TextAreaField("Bericht", validators=[required("het bericht"), max_length(5000)])
    confirmed = BooleanField("Ik heb het voorbeeld gelezen; verstuur het bericht")
