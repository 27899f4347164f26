"""Shared form pieces: Dutch messages and fields that normalise what people type."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DecimalField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from coop.core.errors import DomainError
from coop.core.validation import normalise_email, normalise_phone, normalise_postcode


def required(what: str = "dit veld"):
    return DataRequired(message=f"Vul {what} in.")


def chosen(what: str):
    return InputRequired(message=f"Kies {what}.")


def max_length(n: int):
    return Length(max=n, message=f"Gebruik hier hoogstens {n} tekens.")


def _normalising(fn):
    def validator(form, field):
        if field.data:
            try:
                field.data = fn(field.data)
            except DomainError as err:
                raise ValidationError(err.message) from None
    return validator


email_format = _normalising(normalise_email)
phone_format = _normalising(normalise_phone)
postcode_format = _normalising(normalise_postcode)


class Form(FlaskForm):
    """Base form: shows a DomainError from a service on the right field."""

    def attach(self, err: DomainError) -> None:
        field = getattr(self, err.field, None) if err.field else None
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors or []) + [err.message]
        else:
            self.form_errors.append(err.message)

    @property
    def all_errors(self) -> list[tuple[str | None, str]]:
        """(field id or None, message) pairs for the error summary at the top."""
        out = [(None, msg) for msg in self.form_errors]
        for field in self:
            for msg in field.errors or []:
                if isinstance(msg, str):
                    out.append((field.id, msg))
        return out


def optional():
    return Optional()


class PostcodeField(StringField):
    pass


class DutchDecimalField(DecimalField):
    """A number as Dutch people type it: "2,5" as well as "2.5"."""

    def process_formdata(self, valuelist):
        if valuelist:
            valuelist = [valuelist[0].strip().replace(" ", "").replace(",", ".")]
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError("Vul een getal in, bijvoorbeeld 2,5.") from None


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]
