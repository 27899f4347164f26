"""How the respite follow-ups are written (mail), registered with the outbox by kind, and
the open shifts of the coming week in the coordinator's weekly digest."""
from __future__ import annotations

from flask import render_template, url_for
from sqlalchemy import select

from coop.core.mail import render_message
from coop.core.outbox import FollowUp, Message, message_builder, recipient_of
from coop.core.registry import digest_section
from coop.extensions import db
from coop.respite import digest, notify, rules
from coop.respite.models import RespiteShift

SUBJECTS = {
    notify.BOOKED: "Respijt is geregeld",
    notify.CHANGED: "Er is iets veranderd in uw respijt",
    notify.CANCELLED: "Respijt afgezegd",
    notify.REMINDER: "Morgen: respijt",
    notify.REMINDER_CARER: "Morgen komt er iemand voor u",
}


def _build(row: FollowUp) -> Message:
    ids = row.payload.get("shift_ids") or []
    shifts = list(db.session.scalars(select(RespiteShift).where(RespiteShift.id.in_(ids))
                                     .order_by(RespiteShift.starts_at))) if ids else []
    user = recipient_of(row)
    role = row.payload.get("role", "volunteer")
    link = url_for("respite.my_roster" if role == "volunteer" else "respite.my_respite", _external=True)
    ctx = {"user": user, "village": user.village, "kind": row.kind, "shifts": shifts, "role": role,
           "text": row.payload.get("text", ""), "link": link}
    return Message(subject=SUBJECTS[row.kind],
                   text=render_template("mail/respite_shift.txt", **ctx),
                   html=render_template("mail/respite_shift.html", **ctx))


ABOUT = {
    notify.BOOKED: "een geboekte respijtdienst",
    notify.CHANGED: "een gewijzigde respijtdienst",
    notify.CANCELLED: "een afgezegde respijtdienst",
    notify.REMINDER: "de respijtdienst van morgen",
    notify.REMINDER_CARER: "de respijtdienst van morgen",
}
for _kind in notify.KINDS:
    message_builder(_kind, about=ABOUT[_kind])(_build)


@message_builder(rules.CARER_CHECKIN, about="hoe het gaat met de mantelzorg")
def carer_checkin(row: FollowUp) -> Message:
    return render_message("carer_checkin", subject="Hoe gaat het met u als mantelzorger?",
                          village=recipient_of(row).village, user=row.recipient,
                          url=url_for("respite.checkin", _external=True))


digest_section()(digest.open_shifts)
