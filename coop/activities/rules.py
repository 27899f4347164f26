"""The periodic rule of activities: a reminder the day before, from 10:00, to everyone with a
place; once per sign-up and day (a moved activity reminds again for its new day). Someone
without an e-mail address gets it as a call on the bellijst (coop.core.outbox.queue)."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from coop.activities import notify
from coop.activities.models import PLANNED, SIGNED_UP, Activity, Signup
from coop.core.clock import LOCAL
from coop.core.registry import periodic_rule
from coop.extensions import db


@periodic_rule
def activity_reminders(at: datetime) -> int:
    local = at.astimezone(LOCAL)
    days = [local.date()]
    if local.time() >= notify.REMINDER_HOUR:
        days.append(local.date() + timedelta(days=1))
    queued = 0
    rows = db.session.scalars(select(Signup).join(Activity, Activity.id == Signup.activity_id)
                              .options(contains_eager(Signup.activity))
                              .where(Activity.status == PLANNED, Activity.on_date.in_(days),
                                     Signup.status == SIGNED_UP).order_by(Signup.id))
    for signup in rows:
        activity = signup.activity
        if activity.starts_at <= at or notify.reminder_due(activity) > at:
            continue
        text = f"Tot morgen! {activity.title}: {notify.when(activity)}, {activity.address_line}."
        if signup.lift_request_id:
            text += " U wordt opgehaald; wij laten het weten als er iets verandert."
        queued += notify.tell(notify.REMINDER, signup, text,
                              dedupe_key=f"activity:reminder:{signup.id}:{activity.on_date.isoformat()}") is not None
    return queued
