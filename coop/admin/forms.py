from wtforms import SelectField, StringField, TextAreaField

from coop.core.forms import Form, choices, max_length, optional, required
from coop.core.models import TaskCategory


class CategoryForm(Form):
    name = StringField("Naam", validators=[required("een naam"), max_length(80)])
    code = StringField("Code (kleine letters, zonder spaties)", validators=[required("een code"), max_length(40)])
    rule = SelectField("Wie mag dit doen?",
                       choices=choices((r, TaskCategory.RULE_LABELS[r]) for r in TaskCategory.RULES))
    description = TextAreaField("Uitleg", validators=[optional(), max_length(1000)])
