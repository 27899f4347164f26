"""How the reminders of a loan are written (mail, or what the coordinator says on the phone)."""
from __future__ import annotations

from datetime import date

from coop.aids.models import LENT, AidLoan
from coop.aids.service import DUE_SOON, OVERDUE
from coop.core.mail import render_message
from coop.core.outbox import FollowUp, Message, Obsolete, message_builder, recipient_of
from coop.extensions import db


def _reminder(row: FollowUp) -> Message:
    user = recipient_of(row)
    loan = db.session.get(AidLoan, row.payload.get("loan_id"))
    # Returned or extended since it was queued: this reminder says something no longer true.
    if loan is None or loan.status != LENT or loan.due_on.isoformat() != row.payload.get("due_on"):
        raise Obsolete("de uitlening is veranderd")
    overdue = row.kind == OVERDUE
    what = f"een {loan.item.kind_label} ({loan.item.label})"
    subject = "Wilt u het hulpmiddel terugbrengen?" if overdue else "Herinnering: hulpmiddel terugbrengen"
    return render_message("aid_reminder", subject=subject, village=user.village, user=user, what=what,
                          due_on=date.fromisoformat(row.payload["due_on"]), overdue=overdue)


message_builder(DUE_SOON, about="een geleend hulpmiddel dat bijna terug moet")(_reminder)
message_builder(OVERDUE, about="een geleend hulpmiddel dat te laat terug is")(_reminder)
