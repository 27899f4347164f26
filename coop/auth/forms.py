from wtforms import BooleanField, PasswordField, StringField, TextAreaField
from wtforms.validators import EqualTo, NumberRange, ValidationError

from coop.core.errors import DomainError
from coop.core.forms import (
    CreateForm,
    DutchDecimalField,
    DutchRadioField,
    Form,
    choices,
    email_format,
    max_length,
    optional,
    phone_format,
    postcode_format,
    required,
)
from coop.core.validation import check_password
from coop.people.forms import MultiCheckboxField


class LoginForm(Form):
    # No address is longer than 254 characters; the attempt is written down with it.
    email = StringField("E-mailadres", validators=[required("uw e-mailadres"), max_length(254)],
                        render_kw={"autocomplete": "username", "type": "email", "spellcheck": "false"})
    password = PasswordField("Wachtwoord", validators=[required("uw wachtwoord")],
                             render_kw={"autocomplete": "current-password"})


def strong_password(form, field):
    # The person whose password it is (`form.person`, set by the view), or what they typed in
    # the form; the service checks again with everything it knows.
    person = getattr(form, "person", None)
    if person is not None:
        name, email, village = person.full_name, person.email, person.village.name
    else:
        name = " ".join(filter(None, (form.data.get("first_name"), form.data.get("last_name"))))
        email, village = form.data.get("email"), None
    try:
        check_password(field.data, email=email, name=name or None, village=village)
    except DomainError as err:
        raise ValidationError(err.message) from None


class NewPasswordMixin:
    password = PasswordField("Nieuw wachtwoord", validators=[required("een wachtwoord"), strong_password],
                             description="Minstens 8 tekens, 15 of meer is beter. Een zin van een paar "
                                         "gewone woorden is sterk en goed te onthouden.",
                             render_kw={"autocomplete": "new-password"})
    password2 = PasswordField("Herhaal het wachtwoord",
                              validators=[required("het wachtwoord nog een keer"),
                                          EqualTo("password", message="De twee wachtwoorden zijn niet gelijk.")],
                              render_kw={"autocomplete": "new-password"})


class RegisterForm(NewPasswordMixin, CreateForm):
    kind = DutchRadioField("Ik meld mij aan als", what="hoe u zich aanmeldt", choices=choices([
        ("resident", "inwoner: ik wil soms hulp vragen"),
        ("volunteer", "vrijwilliger: ik wil graag helpen"),
    ]), default="resident", validators=[required("hoe u zich aanmeldt")])
    first_name = StringField("Voornaam", validators=[required("uw voornaam"), max_length(80)],
                             render_kw={"autocomplete": "given-name"})
    last_name = StringField("Achternaam", validators=[required("uw achternaam"), max_length(120)],
                            render_kw={"autocomplete": "family-name"})
    email = StringField("E-mailadres", validators=[required("uw e-mailadres"), email_format, max_length(254)],
                        render_kw={"autocomplete": "email", "type": "email", "spellcheck": "false"})
    phone = StringField("Telefoonnummer", validators=[optional(), phone_format],
                        description="Zodat de dorpsondersteuner u kan bellen.",
                        render_kw={"autocomplete": "tel", "type": "tel"})
    street = StringField("Straat", validators=[optional(), max_length(120)],
                         render_kw={"autocomplete": "address-line1"})
    house_number = StringField("Huisnummer", validators=[optional(), max_length(12)])
    postcode = StringField("Postcode", validators=[optional(), postcode_format],
                           render_kw={"autocomplete": "postal-code"})
    offers = MultiCheckboxField("Waarmee wilt u helpen? (voor vrijwilligers)", coerce=int,
                                description="Kies wat u graag doet; u kunt het later aanpassen.")
    radius_km = DutchDecimalField("Hoe ver wilt u hiervoor gaan? (km, voor vrijwilligers)", places=1, default=3,
                                  minimum="0.5", maximum=50, range_message="Kies een afstand tussen 0,5 en 50 km.",
                                  validators=[optional(), NumberRange(min=0.5, max=50,
                                                                      message="Kies een afstand tussen 0,5 en 50 km.")])
    motivation = TextAreaField("Wat wilt u ons nog vertellen? (voor vrijwilligers)",
                               validators=[optional(), max_length(2000)])


class ForgotForm(Form):
    email = StringField("E-mailadres", validators=[required("uw e-mailadres"), max_length(254)],
                        render_kw={"autocomplete": "email", "type": "email"})


class ResetForm(NewPasswordMixin, Form):
    pass


class ChangePasswordForm(NewPasswordMixin, Form):
    pass


class TwoStepCodeForm(Form):
    """The six digits from the app, or (with `recovery`) one of the printed recovery codes."""
    code = StringField("Code uit uw app", validators=[required("de code"), max_length(20)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false",
                                  "autocapitalize": "off"})

    def __init__(self, *args, recovery: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if recovery:
            self.code.label.text = "Herstelcode"
            self.code.render_kw = {**self.code.render_kw, "inputmode": "text", "autocomplete": "off"}


class PasswordAgainForm(Form):
    """The password typed again before a change to e-mail, phone or password."""
    password = PasswordField("Uw wachtwoord", validators=[required("uw wachtwoord")],
                             render_kw={"autocomplete": "current-password"})


class ContactForm(Form):
    email = StringField("E-mailadres (hiermee logt u in)",
                        validators=[required("uw e-mailadres"), email_format, max_length(254)],
                        render_kw={"autocomplete": "email", "type": "email", "spellcheck": "false"})
    phone = StringField("Telefoonnummer", validators=[optional(), phone_format],
                        render_kw={"autocomplete": "tel", "type": "tel"})


class ConfirmForm(Form):
    """A form with only the CSRF token, for buttons that change something."""
    confirm = BooleanField(default=True)
