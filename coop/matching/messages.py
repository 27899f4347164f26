"""How matching's follow-ups are written (in-app and mail): a new proposal, a made match.

Subjects are built from the category and the date only: a subject shows on a locked phone's
screen, and the resident's own words ("... naar het toilet ...") must not.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import render_template, url_for

from coop.core import dutch
from coop.core.outbox import FollowUp, Message, Obsolete, message_builder, recipient_of
from coop.extensions import db
from coop.matching.models import Proposal


def _context(row: FollowUp) -> dict[str, Any]:
    from coop.matching.service import proposal_view
    proposal = db.session.get(Proposal, row.payload["proposal_id"])
    if proposal is None:
        raise Obsolete("het voorstel bestaat niet meer")
    user = recipient_of(row)
    return {"user": user, "village": user.village, "proposal": proposal, "view": proposal_view(proposal),
            "url": url_for("matching.proposal", proposal_id=proposal.id, _external=True),
            "home": url_for("core.home", _external=True)}


def _day(proposal: Proposal) -> str:
    req = proposal.help_request
    day: date | datetime
    if req.window_start is not None:
        day = req.window_start  # dutch.date shows a stored UTC time on its Amsterdam day
    elif req.on_date is not None and not req.flexible:
        day = req.on_date
    else:
        return ", dag in overleg"
    return " op " + dutch.date(day, "EEEE d MMMM")


@message_builder("proposal.new", about="een nieuwe hulpvraag")
def proposal_new(row: FollowUp) -> Message:
    ctx = _context(row)
    return Message(subject=f"Wilt u helpen? {ctx['view']['category']}{_day(ctx['proposal'])}",
                   text=render_template("mail/matching_proposal_new.txt", **ctx),
                   html=render_template("mail/matching_proposal_new.html", **ctx))


@message_builder("request.matched", about="de helper die gevonden is")
def request_matched(row: FollowUp) -> Message:
    ctx = _context(row)
    ctx["to_resident"] = row.payload.get("to") == "resident"
    subject = "Er is een helper voor uw vraag" if ctx["to_resident"] else "U bent gekoppeld: dank u wel!"
    return Message(subject=subject, text=render_template("mail/matching_request_matched.txt", **ctx),
                   html=render_template("mail/matching_request_matched.html", **ctx))
