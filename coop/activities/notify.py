"""What the activities queue in the outbox. Each row has the sign-up as its subject, so
withdrawing cancels what no longer holds. A mail to
someone without an e-mail address becomes a call on the bellijst (coop.core.outbox.queue)."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from coop.core import dutch
from coop.core import outbox as O
from coop.core.clock import LOCAL

SIGNED_UP, WAITING, MOVED_UP = "activity.signed_up", "activity.waiting", "activity.moved_up"
REMINDER, CANCELLED, CHANGED = "activity.reminder", "activity.cancelled", "activity.changed"
KINDS = (SIGNED_UP, WAITING, MOVED_UP, REMINDER, CANCELLED, CHANGED)
REMINDER_HOUR = time(10, 0)  # the reminder goes out from 10:00 the day before


def when(activity) -> str:
    """"dinsdag 17 maart 2026 van 17:30 tot 19:30"."""
    return f"{dutch.date(activity.on_date, dutch.WEEKDAY_DATE)} van {dutch.time(activity.start_time)} " \
           f"tot {dutch.time(activity.end_time)}"


def reminder_due(activity) -> datetime:
    return datetime.combine(activity.on_date - timedelta(days=1), REMINDER_HOUR, tzinfo=LOCAL)


def tell(kind: str, signup, text: str, *, dedupe_key: str | None = None) -> O.FollowUp | None:
    """A mail to the person of `signup` (the bellijst when they have no e-mail address)."""
    return O.queue(kind, signup.person, payload={"activity_id": signup.activity_id, "text": text},
                   subject=signup, village_id=signup.village_id, dedupe_key=dedupe_key)


def confirm(signup) -> None:
    """Someone who signed up with an e-mail address gets it in writing; the person the
    coordinator signs up by phone hears it on the phone, so no call is added for them."""
    if not signup.person.email:
        return
    activity = signup.activity
    if signup.status == "signed_up":
        text = f"U bent aangemeld voor {activity.title}: {when(activity)}, {activity.address_line}."
        tell(SIGNED_UP, signup, text)
    else:
        text = (f"{activity.title} op {when(activity)} is vol. U staat op de wachtlijst; komt er een plaats "
                "vrij, dan krijgt u bericht.")
        tell(WAITING, signup, text)


def moved_up(signup) -> None:
    activity = signup.activity
    text = (f"Er is een plaats vrijgekomen: u kunt mee met {activity.title}, {when(activity)}, "
            f"{activity.address_line}.")
    if signup.lift_request_id:
        text += " Wij regelen dat u wordt opgehaald."
    tell(MOVED_UP, signup, text)


def cancelled(signup) -> None:
    activity = signup.activity
    tell(CANCELLED, signup, f"{activity.title} op {when(activity)} gaat helaas niet door.")


def changed(signup, before: str) -> None:
    activity = signup.activity
    tell(CHANGED, signup, f"{activity.title} is veranderd. Het was: {before}. Het wordt: {when(activity)}, "
                          f"{activity.address_line}.")

