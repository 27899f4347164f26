"""Shared form pieces: Dutch messages and fields that normalise what people type.

Every form refuses text with control characters (and single-line text with a line break),
numbers that are not finite or lie outside the field's bounds, and dates outside the field's
window, each with a Dutch message: nonsense never reaches a service or the database.
"""
from __future__ import annotations

import calendar
import functools
import secrets
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from babel import support
from flask import g, has_request_context
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    Field,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, after the stubs
from wtforms.form import BaseForm
from wtforms.i18n import messages_path
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation, ValidationError

from coop.core.clock import local_now
from coop.core.errors import DomainError, DomainErrors
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


CONTROL_MESSAGE = ("Hier staat een onzichtbaar stuurteken dat we niet kunnen bewaren. "
                   "Typ de tekst opnieuw, of plak hem zonder opmaak.")
ONE_LINE_MESSAGE = "Gebruik hier één regel, zonder Enter."
# Text fields that name no length of their own still get one: a megabyte in a name field is
# a mistake (or an attack), and PostgreSQL refuses text longer than its column.
SINGLE_LINE_CAP, MULTI_LINE_CAP = 500, 5000
LINE_BREAKS = frozenset("\r\n\u2028\u2029\x85\x0b\x0c")
MULTI_LINE_ALLOWED = frozenset("\r\n\t")


def text_problem(value: str, *, multi_line: bool) -> str | None:
    """The Dutch message for text no field may hold, or None.

    NUL and the other control characters are refused everywhere (PostgreSQL refuses NUL, mail
    headers and CSV cells break on the rest); a single-line field also refuses a line break.
    Tabs and line breaks are fine in a multi-line field.
    """
    for ch in value:
        if multi_line and ch in MULTI_LINE_ALLOWED:
            continue
        if ch in LINE_BREAKS and not multi_line:
            return ONE_LINE_MESSAGE
        if unicodedata.category(ch) == "Cc":
            return CONTROL_MESSAGE
    return None


def _cleaned(value: str, *, multi_line: bool) -> str:
    """The text without what it may not hold: a line break becomes a space, the rest goes."""
    out = []
    for ch in value:
        if multi_line and ch in MULTI_LINE_ALLOWED:
            out.append(ch)
        elif ch in LINE_BREAKS:
            out.append(" ")
        elif unicodedata.category(ch) != "Cc":
            out.append(ch)
    return "".join(out)


@functools.cache
def _wtforms_dutch() -> support.NullTranslations:
    """WTForms' own messages in Dutch, read once per process. Flask-WTF would read and parse the
    catalogue again in every request that makes a form; the interface speaks only Dutch."""
    return support.Translations.load(messages_path(), ["nl"], domain="wtforms")


class Form(FlaskForm):
    """Base form: refuses control characters in text, shows a DomainError from a service on the
    right field.

    When a request's write did not get through because the database stayed busy, the view
    runs once more to show the form again as typed; then no form validates (see
    coop.core.transaction), so nothing is attempted a second time.
    """

    class Meta(FlaskForm.Meta):
        def get_translations(self, form: Any) -> support.NullTranslations:
            return _wtforms_dutch()

    def validate_on_submit(self, extra_validators: dict[str, list[Any]] | None = None) -> bool:
        if has_request_context() and g.get("save_failed"):
            return False
        return super().validate_on_submit(extra_validators)

    def validate(self, extra_validators: Any = None) -> bool:
        refused: dict[str, str] = {}
        for field in self:
            if not isinstance(field, StringField) or not isinstance(field.data, str):
                continue
            if field.short_name == "form_token":
                continue  # run_once refuses a malformed token with its own message
            multi_line = isinstance(field, TextAreaField)
            problem = text_problem(field.data, multi_line=multi_line)
            if problem is None and not any(isinstance(v, Length) for v in field.validators):
                cap = MULTI_LINE_CAP if multi_line else SINGLE_LINE_CAP
                if len(field.data) > cap:
                    problem = f"Gebruik hier hoogstens {cap} tekens."
            if problem is not None:
                refused[field.name] = problem
                # What is shown again is the text without the characters we cannot keep.
                field.data = _cleaned(field.data, multi_line=multi_line)
        valid = super().validate(extra_validators)
        for field in self:
            if field.name in refused:
                field.errors = [refused[field.name]]
        return valid and not refused

    def attach(self, err: DomainError) -> None:
        if isinstance(err, DomainErrors):
            for one in err.errors:
                self.attach(one)
            return
        field = getattr(self, err.field, None) if err.field else None
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors or []) + [err.message]
        else:
            self.form_errors.append(err.message)

    @property
    def all_messages(self) -> list[str]:
        return [message for _, message in self.all_errors]

    @property
    def all_errors(self) -> list[tuple[str | None, str]]:
        """(field id or None, message) pairs for the error summary at the top."""
        out: list[tuple[str | None, str]] = [(None, msg) for msg in self.form_errors]
        for field in self:
            # A list of fields (several dates) has its errors per entry.
            for entry in getattr(field, "entries", None) or [field]:
                for msg in entry.errors or []:
                    if isinstance(msg, str):
                        out.append((entry.id, msg))
        return out


def optional() -> Optional:
    return Optional()


class PostcodeField(StringField):
    pass


# --- one-time tokens for forms that create something ----------------------------------------

def new_form_token() -> str:
    return secrets.token_urlsafe(24)


class CreateForm(Form):
    """A form that creates something: it carries a one-time token, so the same rendered form
    sent twice (a double click, a reload, a flaky connection) makes one row. The view sends
    it through `coop.core.once.run_once`; `hidden_tag()` renders the token."""

    form_token = HiddenField(default=new_form_token, render_kw={"id": False})  # several on a page


# --- numbers --------------------------------------------------------------------------------

def dutch_number(value: int | Decimal) -> str:
    """1000.5 -> "1.000,5", for messages."""
    text = f"{value:,}" if isinstance(value, int) else f"{Decimal(value).normalize():,f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


class _Bounded:
    """Bounds of a number field, checked before any other validator: a value outside them (NaN
    and infinity included) stops validation with one Dutch message."""

    data: Any
    minimum: Any
    maximum: Any
    range_message: str
    not_finite_message: str
    not_a_number: str

    def _setup_bounds(self, minimum: Any, maximum: Any, range_message: str | None) -> None:
        self.minimum, self.maximum = minimum, maximum
        self.range_message = range_message or (
            f"Vul een getal tussen {dutch_number(minimum)} en {dutch_number(maximum)} in.")
        self.not_finite_message = self.range_message

    def pre_validate(self, form: BaseForm) -> None:
        if self.data is None:
            return
        # NaN and infinity lie in no range: they get the range's message, or their own.
        if not _finite(self.data):
            self.data = None
            raise StopValidation(self.not_finite_message)
        if not (self.minimum <= self.data <= self.maximum):
            self.data = None
            raise StopValidation(self.range_message)


def _finite(value: object) -> bool:
    return not isinstance(value, Decimal) or value.is_finite()


class DutchDecimalField(_Bounded, DecimalField):
    """A number as Dutch people type it: "2,5" as well as "2.5"; phones show a number pad.

    `minimum` and `maximum` bound it (NaN and infinity are no numbers here); `range_message`
    says so in the field's own words, `not_finite` for NaN and infinity when the field has its own.
    """

    not_a_number = "Vul een getal in, bijvoorbeeld 2,5."

    def __init__(self, *args: Any, minimum: int | float | str = 0, maximum: int | float | str = 1_000_000,
                 range_message: str | None = None, not_finite: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(*args, **kwargs)
        self._setup_bounds(Decimal(str(minimum)), Decimal(str(maximum)), range_message)
        if not_finite:
            self.not_finite_message = not_finite

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist:
            valuelist = [valuelist[0].strip().replace(" ", "").replace(",", ".")]
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(self.not_a_number) from None

    def _value(self) -> str:
        # A value stored before the bounds existed (infinity) must not break the page showing it.
        if self.raw_data is None and isinstance(self.data, Decimal) and not self.data.is_finite():
            return ""
        try:
            return str(super()._value())  # type: ignore[misc]  # not in the WTForms stubs
        except (InvalidOperation, OverflowError, ValueError):
            return ""


class DutchIntegerField(_Bounded, IntegerField):
    """A whole number between `minimum` and `maximum` (the database's integers end somewhere)."""

    not_a_number = "Vul een heel getal in."

    def __init__(self, *args: Any, minimum: int = 0, maximum: int = 2**31 - 1, range_message: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_bounds(minimum, maximum, range_message)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist:
            valuelist = [valuelist[0].strip()]
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(self.not_a_number) from None


# --- dates ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class DateWindow:
    """The dates a field accepts, counted in days from today (Europe/Amsterdam).

    `past` days back and `future` days ahead (0: not before or after today). Each side has its
    own Dutch message, which names the window.
    """
    past: int
    future: int
    too_early: str
    too_late: str

    def check(self, value: date) -> str | None:
        today = local_now().date()
        if value < today - timedelta(days=self.past):
            return self.too_early
        if value > today + timedelta(days=self.future):
            return self.too_late
        return None


# No field of ours means a date a century away; this keeps date arithmetic in range everywhere.
ANY_SANE_DATE = DateWindow(36500, 36500, "Deze datum ligt te ver in het verleden.",
                           "Deze datum ligt te ver in de toekomst.")


class DutchDateField(DateField):
    """A date typed as 14-03-2026 or picked as 2026-03-14, within the field's `window`."""

    parse_message = "Vul een geldige datum in, zoals 14-03-2026."

    def __init__(self, *args: Any, window: DateWindow = ANY_SANE_DATE, **kwargs: Any) -> None:
        kwargs.setdefault("format", ["%Y-%m-%d", "%d-%m-%Y"])
        super().__init__(*args, **kwargs)
        self.window = window

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(self.parse_message) from None

    def pre_validate(self, form: BaseForm) -> None:
        if self.data is not None:
            problem = self.window.check(self.data)
            if problem and isinstance(self, DatePartsField):
                self.wrong_parts = DATE_PARTS
            if problem:
                self.data = None
                raise StopValidation(problem)


MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")
DATE_PARTS = ("day", "month", "year")
PART_NAMES = {"day": "een dag", "month": "een maand", "year": "een jaar"}


def parse_date_parts(day: str, month: str, year: str) -> tuple[date | None, str | None, tuple[str, ...]]:
    """(date, None, ()) or (None, the Dutch message, the parts it is about) for three typed boxes."""
    typed = {"day": day.strip(), "month": month.strip(), "year": year.strip()}
    missing = tuple(p for p in DATE_PARTS if not typed[p])
    if missing:
        names = [PART_NAMES[p] for p in missing]
        said = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} en {names[-1]}"
        return None, f"De datum moet {said} hebben.", missing
    if not all(typed[p].isascii() and typed[p].isdigit() for p in DATE_PARTS):
        wrong = tuple(p for p in DATE_PARTS if not (typed[p].isascii() and typed[p].isdigit()))
        return None, "Vul de datum in met cijfers, bijvoorbeeld 14 3 2026.", wrong
    d, m, y = int(typed["day"]), int(typed["month"]), int(typed["year"])
    if len(typed["year"]) != 4:
        return None, "Het jaar moet vier cijfers hebben, bijvoorbeeld 2026.", ("year",)
    if not 1 <= m <= 12:
        return None, "De maand moet tussen 1 en 12 liggen.", ("month",)
    last = calendar.monthrange(y, m)[1]
    if not 1 <= d <= last:
        return None, f"Deze datum bestaat niet: {MONTHS[m - 1]} {y} heeft {last} dagen.", ("day",)
    return date(y, m, d), None, ()


class DatePartsField(DutchDateField):
    """A date in three boxes, day, month and year (the GOV.UK date input): `{name}-day`,
    `{name}-month`, `{name}-year`. A single `{name}` value (14-03-2026) is still read."""

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        super().process(formdata, data, extra_filters)
        self.parts = {p: "" for p in DATE_PARTS}
        self.wrong_parts: tuple[str, ...] = ()
        if isinstance(self.data, date):
            self.parts = {"day": str(self.data.day), "month": str(self.data.month), "year": str(self.data.year)}
        keys = [f"{self.name}-{p}" for p in DATE_PARTS]
        if formdata is None or not any(k in formdata for k in keys):
            return
        self.parts = {p: str(formdata.get(f"{self.name}-{p}") or "")[:10] for p in DATE_PARTS}
        self.process_errors = []
        self.data = None
        if not any(v.strip() for v in self.parts.values()):
            self.raw_data = [""]
            return
        self.raw_data = ["-".join(self.parts[p] for p in DATE_PARTS)]
        self.data, problem, self.wrong_parts = parse_date_parts(**self.parts)
        if problem:
            self.process_errors.append(problem)


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
        typed = any(isinstance(v, str) and v.strip() for v in self.raw_data or [])
        if empty and not typed and any(isinstance(v, (InputRequired, DataRequired)) for v in self.validators):
            return  # nothing chosen: the required-validator says so
        # An empty value is fine where the list offers one ("geen rol").
        if not any(selected for _value, _label, selected, _render_kw in self.iter_choices()):
            raise StopValidation(f"Kies {self.what} uit de lijst." if self.what
                                 else "Kies een van de mogelijkheden.")


class DutchSelectField(_DutchChoice, SelectField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.type = "SelectField"  # rendered by the form macros as a select


class DutchRadioField(_DutchChoice, RadioField):
    pass


class DutchMultipleField(SelectMultipleField):
    """Several choices; values that are not in the list get a Dutch message."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError("Kies alleen uit de lijst.") from None

    def pre_validate(self, form: BaseForm) -> None:
        if self.data and self.validate_choice:
            allowed = {getattr(choice, "value", None) for choice in self.iter_choices()}
            if any(value not in allowed for value in self.data):
                raise StopValidation("Kies alleen uit de lijst.")


def id_or_none(value: Any) -> int | None:
    """A choice field's coerce for ids with an empty "– kies –" choice."""
    return None if value in (None, "") else int(value)


def choices(pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]
