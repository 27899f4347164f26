"""A volunteer's private iCalendar feed of their respite shifts.

The URL carries a random token; only its SHA-256 is stored, so a database leak does not
leak feeds. Making a new link revokes the old one. A wrong or revoked token is a plain 404.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from icalendar import Calendar, Event
from sqlalchemy import select

from coop.core import audit
from coop.core.clock import LOCAL, now
from coop.core.models import User
from coop.extensions import db
from coop.respite.models import CalendarFeed, RespiteShift

HISTORY = timedelta(days=60)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def active_feed(user: User) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id,
                                                        CalendarFeed.revoked_at.is_(None)))


def revoke(user: User) -> bool:
    feed = active_feed(user)
    if feed is None:
        return False
    feed.revoked_at = now()
    db.session.flush()
    audit.record("calendar.revoked", actor=user, subject=user)
    return True


def create_feed(user: User) -> str:
    """A fresh secret token for `user` (the old link stops working). Shown once."""
    revoke(user)
    token = secrets.token_urlsafe(32)
    db.session.add(CalendarFeed(user_id=user.id, token_hash=_hash(token)))
    db.session.flush()
    audit.record("calendar.created", actor=user, subject=user)
    return token


def user_for_token(token: str) -> User | None:
    if not token or len(token) > 100:
        return None
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token),
                                                        CalendarFeed.revoked_at.is_(None)))
    if feed is None or not feed.user.active:
        return None
    return feed.user


def shifts_for(user: User) -> list[RespiteShift]:
    return list(db.session.scalars(select(RespiteShift).where(
        RespiteShift.volunteer_id == user.id, RespiteShift.status == RespiteShift.BOOKED,
        RespiteShift.ends_at > now() - HISTORY).order_by(RespiteShift.starts_at)))


def build_ics(user: User) -> bytes:
    """The feed: one VEVENT per booked shift with a stable UID, in Europe/Amsterdam time."""
    cal = Calendar()
    cal.add("prodid", f"-//{user.village.cooperative_name}//respijtrooster//NL")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Respijt – {user.village.cooperative_name}")
    cal.add("x-wr-timezone", "Europe/Amsterdam")
    stamp = now()
    for shift in shifts_for(user):
        request = shift.request
        event = Event()
        event.add("uid", f"respite-shift-{shift.id}@{user.village.slug}.coop")
        event.add("dtstamp", stamp)
        event.add("last-modified", shift.changed_at)
        event.add("dtstart", shift.starts_at.astimezone(LOCAL))
        event.add("dtend", shift.ends_at.astimezone(LOCAL))
        event.add("summary", f"Respijt bij {request.carer.first_name} ({request.care_recipient.first_name})")
        event.add("location", request.care_recipient.address_line)
        # Personal notes stay in the app: a phone calendar is often synced to a third party.
        event.add("description", "Wat u moet weten staat in Mijn rooster. Vragen? Bel "
                                 f"de dorpsondersteuner: {user.village.coordinator_phone}.")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
