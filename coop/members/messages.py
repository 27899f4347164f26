"""How the members' letters are written (the notice before a debit, the request to pay by
transfer, the reminder, a message to a group), and the group "Alle leden" that the message
page offers beside the other features' groups."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coop.core.clock import local_now
from coop.core.mail import render_message
from coop.core.models import User, Village
from coop.core.outbox import FollowUp, Message, Obsolete, message_builder, recipient_of
from coop.core.registry import RecipientGroup, recipient_groups
from coop.extensions import db
from coop.members import service
from coop.members.models import PAID, Broadcast, Contribution, Household, Member

SUBJECTS = {
    service.PRENOTICE: "Uw contributie: wij schrijven het bedrag binnenkort af",
    service.INVOICE: "Uw contributie: wilt u het bedrag overmaken?",
    service.REMINDER: "Herinnering: uw contributie",
}
ABOUT = {
    service.PRENOTICE: "de contributie die binnenkort wordt afgeschreven (bedrag en datum)",
    service.INVOICE: "de contributie die het lid zelf overmaakt (bedrag, rekening en omschrijving)",
    service.REMINDER: "de contributie die nog niet betaald is",
}


def _masked(iban: str | None) -> str:
    return f"eindigend op {iban[-4:]}" if iban else "bij ons bekend"


def _contribution(row: FollowUp) -> Message:
    user = recipient_of(row)
    c = db.session.get(Contribution, row.payload.get("contribution_id"))
    if c is None:
        raise Obsolete("de contributie bestaat niet meer")
    if row.kind != service.PRENOTICE and c.status == PAID:
        raise Obsolete("de contributie is al betaald")
    settings = service.settings_for(c.village_id)
    mandate = c.household.mandate
    return render_message("members_contribution", subject=SUBJECTS[row.kind], village=user.village, user=user,
                          kind=row.kind, c=c, account=_masked(mandate.iban if mandate else None),
                          creditor_id=settings.creditor_id or "", payee=settings.account_name or
                          user.village.cooperative_name, payee_iban=settings.iban or "(vraag de dorpsondersteuner)")


for _kind in SUBJECTS:
    message_builder(_kind, about=ABOUT[_kind])(_contribution)


@message_builder(service.BROADCAST, about="een bericht van de coöperatie aan een groep")
def broadcast(row: FollowUp) -> Message:
    user = recipient_of(row)
    message = db.session.get(Broadcast, row.payload.get("broadcast_id"))
    if message is None:
        raise Obsolete("het bericht bestaat niet meer")
    return render_message("members_broadcast", subject=message.subject, village=user.village, user=user,
                          message=message)


def member_people(village_id: int) -> list[User]:
    """Everyone in a household that is a member today."""
    today = local_now().date()
    return list(db.session.scalars(
        select(User).join(Member, Member.user_id == User.id).join(Household, Household.id == Member.household_id)
        .where(Household.village_id == village_id, Household.starts_on <= today,
               (Household.ends_on.is_(None)) | (Household.ends_on >= today))
        .options(joinedload(User.village)).order_by(User.last_name, User.first_name)))


@recipient_groups
def all_members(village: Village) -> list[RecipientGroup]:
    village_id = village.id
    return [RecipientGroup("leden", "Alle leden", lambda: member_people(village_id))]
