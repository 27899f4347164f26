"""How the activities' messages are written (mail, and the in-app copy), and the groups the
coordinator can write to: the sign-ups of each coming activity."""
from __future__ import annotations

from functools import partial

from flask import url_for

from coop.activities import notify, queries
from coop.activities.models import Activity
from coop.core import audit_text, dutch
from coop.core.audit_text import Wording
from coop.core.mail import render_message
from coop.core.models import Village
from coop.core.outbox import FollowUp, Message, Obsolete, message_builder, recipient_of
from coop.core.registry import RecipientGroup, recipient_groups
from coop.extensions import db

# A subject shows on a locked phone: the kind of message and the day, never the typed title.
SUBJECTS = {
    notify.SIGNED_UP: "U bent aangemeld",
    notify.WAITING: "U staat op de wachtlijst",
    notify.MOVED_UP: "Er is een plaats voor u vrijgekomen",
    notify.REMINDER: "Morgen: uw activiteit van {date}",
    notify.CANCELLED: "De activiteit van {date} gaat niet door",
    notify.CHANGED: "Er is iets veranderd aan uw activiteit",
}
ABOUT = {
    notify.SIGNED_UP: "een aanmelding voor een activiteit",
    notify.WAITING: "de wachtlijst van een activiteit",
    notify.MOVED_UP: "een plaats bij een activiteit die vrijkwam",
    notify.REMINDER: "de activiteit van morgen",
    notify.CANCELLED: "een activiteit die niet doorgaat",
    notify.CHANGED: "een activiteit die veranderd is",
}


def _build(row: FollowUp) -> Message:
    user = recipient_of(row)
    activity = db.session.get(Activity, row.payload.get("activity_id"))
    if activity is None:
        raise Obsolete("de activiteit bestaat niet meer")
    link = url_for("activities.mine_show", activity_id=activity.id, _external=True)
    subject = SUBJECTS[row.kind].format(date=dutch.date(activity.on_date, "EEEE d MMMM"))
    return render_message("activity", subject=subject, village=user.village, user=user,
                          text=row.payload.get("text", ""), link=link, activity=activity,
                          cost=dutch.money(activity.cost) if activity.cost else "gratis")


for _kind in notify.KINDS:
    message_builder(_kind, about=ABOUT[_kind])(_build)


@recipient_groups
def coming_activity_signups(village: Village) -> list[RecipientGroup]:
    """One group per coming activity: the people with a place."""
    return [RecipientGroup(key=f"activiteit-{a.id}", label=f"Aanmeldingen {a.title} ({dutch.date(a.on_date)})",
                           people=partial(queries.people_signed_up, a.id))
            for a in queries.coming_planned(village.id)]


# How the audit log reads the activities' codes (core's table, added to as requests' timeline
# labels are: this module is loaded in every process).
audit_text.WORDINGS.update({
    "activity.created": Wording("activiteit gepland", "plande een activiteit"),
    "activity.changed": Wording("activiteit gewijzigd", "wijzigde een activiteit"),
    "activity.cancelled": Wording("activiteit afgezegd", "zegde een activiteit af",
                                  "zegde een activiteit af waarvoor u was aangemeld"),
    "activity.signed_up": Wording("aangemeld voor een activiteit", "meldde u aan voor een activiteit"),
    "activity.withdrawn": Wording("afgemeld voor een activiteit", "meldde u af voor een activiteit"),
    "activity.moved_up": Wording("van de wachtlijst naar een plaats", "gaf u een plaats bij een activiteit, "
                                 "van de wachtlijst"),
    "activity.helper_added": Wording("vrijwilliger bij een activiteit gezet", "vroeg u te helpen bij een activiteit"),
    "activity.helper_removed": Wording("vrijwilliger van een activiteit gehaald", "haalde u van een activiteit af"),
    "activity.attendance": Wording("aanwezigheid vastgelegd", "legde vast wie er bij een activiteit was",
                                   "legde vast of u bij een activiteit was"),
    "activity.viewed": Wording("activiteit bekeken", "bekeek uw aanmelding voor een activiteit",
                               "bekeek een activiteit waarvoor u bent aangemeld"),
    "activity.printed": Wording("lijst van een activiteit geopend om te printen",
                                "opende de lijst van een activiteit om te printen",
                                "opende de lijst van een activiteit om te printen, waarop u stond"),
    "activity.form_opened": Wording("aanmelden voor een activiteit geopend",
                                    "opende het aanmelden voor een activiteit namens u"),
})
