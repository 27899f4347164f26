"""The first coordinator's welcome: a link to choose a password."""
from __future__ import annotations

from flask import render_template, url_for

from coop.auth.service import reset_token
from coop.core.outbox import FollowUp, Message, message_builder, recipient_of
from coop.villages.service import WELCOME


@message_builder(WELCOME)
def welcome(row: FollowUp) -> Message:
    user = recipient_of(row)
    ctx = {"user": user, "village": user.village,
           "url": url_for("auth.reset_password", token=reset_token(user), _external=True)}
    return Message(subject=f"Welkom bij {user.village.cooperative_name}: kies uw wachtwoord",
                   text=render_template("mail/account_welcome.txt", **ctx),
                   html=render_template("mail/account_welcome.html", **ctx))
