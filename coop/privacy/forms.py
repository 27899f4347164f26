from __future__ import annotations

from wtforms.validators import InputRequired

from coop.core.forms import DutchIntegerField, Form
from coop.privacy.models import BOUNDS, REQUEST_MONTHS


def _period(label: str, name: str, unit: str, bounds: tuple[int, int] | None = None) -> DutchIntegerField:
    low, high = bounds or BOUNDS[name]
    return DutchIntegerField(label, minimum=low, maximum=high,
                             range_message=f"Kies een getal van {low} tot en met {high} {unit}.",
                             validators=[InputRequired(message="Vul een getal in.")])


class RetentionForm(Form):
    retention_months = _period("Hulpvragen: maanden na het afronden", "retention_months", "maanden", REQUEST_MONTHS)
    carer_notes_months = _period("Wat de vrijwilliger moet weten: maanden na de laatste keer respijt",
                                 "carer_notes_months", "maanden")
    carerqol_months = _period("CarerQol-antwoorden: maanden", "carerqol_months", "maanden")
    outbox_body_days = _period("Tekst van berichten: dagen na het versturen", "outbox_body_days", "dagen")
    login_attempt_days = _period("Pogingen om in te loggen: dagen", "login_attempt_days", "dagen")
    audit_years = _period("Logboek: jaren", "audit_years", "jaar")
