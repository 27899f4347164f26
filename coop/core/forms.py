"""Shared form pieces: Dutch messages and fields that normalise what people type."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import g, has_request_context
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, Field, IntegerField, RadioField, SelectField, StringField, TimeField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, after the stubs
from wtforms.form import BaseForm
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation, ValidationError

from coop.core.errors import DomainError
from coop.core.validation import normalise_email, normalise_phone, normalise_postcode


def required(what: str = "dit veld") -> DataRequired:
    return DataRequired(message=f"Vul {what} in.")


def chosen(what: str) -> InputRequired:
    return InputRequired(message=f"Kies {what}.")


def max_length(n: int) -> Length:
    return Length(max=n, message=f"Gebruik hier hoogstens {n} tekens.")


def _normalising(fn: Callable[[str], str]) -> Callable[[BaseForm, Field], None]:
    def validator(form: BaseForm, field: Field) -> None:
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
    """Base form: shows a DomainError from a service on the right field.

    When a request's write did not get through because the database stayed busy, the view
    runs once more to show the form again as typed; then no form validates (see
    coop.core.transaction), so nothing is attempted a second time.
    """

    def validate_on_submit(self, extra_validators: dict[str, list[Any]] | None = None) -> bool:
        if has_request_context() and g.get("save_failed"):
            return False
        return super().validate_on_submit(extra_validators)

    def attach(self, err: DomainError) -> None:
        field = getattr(self, err.field, None) if err.field else None
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors or []) + [err.message]
        else:
            self.form_errors.append(err.message)

    @property
    def all_errors(self) -> list[tuple[str | None, str]]:
        """(field id or None, message) pairs for the error summary at the top."""
        out: list[tuple[str | None, str]] = [(None, msg) for msg in self.form_errors]
        for field in self:
            for msg in field.errors or []:
                if isinstance(msg, str):
                    out.append((field.id, msg))
        return out


def optional() -> Optional:
    return Optional()


class PostcodeField(StringField):
    pass


class DutchDecimalField(DecimalField):
    """A number as Dutch people type it: "2,5" as well as "2.5"; phones show a number pad."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist:
            valuelist = [valuelist[0].strip().replace(" ", "").replace(",", ".")]
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError("Vul een getal in, bijvoorbeeld 2,5.") from None


class DutchIntegerField(IntegerField):
    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError("Vul een heel getal in.") from None


class DutchDateField(DateField):
    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError("Vul een geldige datum in, zoals 14-03-2026.") from None


class DutchTimeField(TimeField):
    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError("Vul een geldige tijd in, zoals 14:00.") from None


class _DutchChoice(SelectField):
    """A choice field whose unknown or malformed value gets a Dutch message.

    `what` names the choice ("een soort hulp" → "Kies een soort hulp uit de lijst.").
    An empty value is left to the field's own required-validator when it has one.
    """

    def __init__(self, *args: Any, what: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("validate_choice", True)
        super().__init__(*args, **kwargs)
        self.what = what

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None

    def pre_validate(self, form: BaseForm) -> None:
        if not self.validate_choice:
            return  # the service checks these values and names the field
        empty = self.data in (None, "")
        if empty and any(isinstance(v, (InputRequired, DataRequired)) for v in self.validators):
            return
        if empty or not any(selected for _value, _label, selected, _render_kw in self.iter_choices()):
            raise StopValidation(f"Kies {self.what} uit de lijst." if self.what
                                 else "Kies een van de mogelijkheden.")


class DutchSelectField(_DutchChoice, SelectField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.type = "SelectField"  # rendered by the form macros as a select


class DutchRadioField(_DutchChoice, RadioField):
    pass


def choices(pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]
