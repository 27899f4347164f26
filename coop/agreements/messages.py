"""How the agreements' follow-up is written: the reminder before a review date."""
from __future__ import annotations

from datetime import date

from coop.agreements.rules import AGREEMENT_REVIEW
from coop.core import dutch
from coop.core import outbox as O
from coop.core.mail import render_message
from coop.followups.messages import inapp, link


@O.message_builder(AGREEMENT_REVIEW)
def agreement_review(row: O.FollowUp) -> O.Message:
    review_on = date.fromisoformat(row.payload["review_on"])
    # The title is typed by people: it goes in the text, never in the subject.
    subject = f"Afspraken met de gemeente herzien voor {dutch.short_date(review_on)}"
    url = link("agreements.show", agreement_id=row.payload["agreement_id"])
    if row.channel == O.INAPP:
        return inapp(subject, f"De afspraken met de gemeente worden op {dutch.short_date(review_on)} "
                              f"herzien. {url}")
    return render_message("agreement_review", subject=subject, village=O.recipient_of(row).village,
                          user=row.recipient, title=row.payload["title"], review_on=review_on, url=url)
