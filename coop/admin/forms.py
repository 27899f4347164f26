from wtforms import BooleanField, StringField, TextAreaField

from coop.core.forms import CreateForm, DutchSelectField, choices, max_length, optional, required
from coop.core.models import TaskCategory


class CategoryForm(CreateForm):
    name = StringField("Naam", validators=[required("een naam"), max_length(80)])
    code = StringField("Code (kleine letters, zonder spaties)", validators=[required("een code"), max_length(40)])
    rule = DutchSelectField("Wie mag dit doen?", what="wie dit mag doen",
                            choices=choices((r, TaskCategory.RULE_LABELS[r]) for r in TaskCategory.RULES))
    description = TextAreaField("Uitleg", validators=[optional(), max_length(1000)])
    members_only = BooleanField("Alleen voor leden",
                                description="Wie geen lid is, hoort hoe hij lid wordt; de dorpsondersteuner kan "
                                            "iemand meteen lid maken.")


class DestinationForm(CreateForm):
    """A place to refer requests to, added to the village's list."""
    name = StringField("Naam (bijvoorbeeld: Wmo-loket, huisarts, Thuiszorg Heuvelrug)",
                       validators=[required("een naam"), max_length(80)])
