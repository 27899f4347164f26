"""A volunteer's private iCalendar feed of their respite shifts and the activities they help at.

The URL carries a random token; only its SHA-256 is stored, so a database leak does not
leak feeds. Making a new link revokes the old one. A wrong or revoked token is a plain 404.

The feed carries the standard Europe/Amsterdam VTIMEZONE (two yearly rules), not the list of
dates icalendar generates: readers that build the zone from the feed itself (dateutil's
tzical, and the calendars built on it) read that list wrongly and put every shift after the
change to summer time an hour late.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vDuration, vRecur
from sqlalchemy import select

from coop.activities import queries as activities
from coop.core import audit
from coop.core import roles as R
from coop.core.clock import LOCAL, local_now, now
from coop.core.models import AuditLog, User
from coop.core.validation import display_phone
from coop.extensions import db
from coop.respite.models import CalendarFeed, RespiteShift

HISTORY = timedelta(days=60)
REFRESH = timedelta(hours=1)  # how often a subscribed calendar should fetch the feed again


class _Rule(vRecur):
    """An RRULE written in the order of the tz database's own VTIMEZONE files."""

    canonical_order = ("FREQ", "BYMONTH", "BYDAY")  # type: ignore[assignment]  # a prefix of icalendar's own order


def amsterdam_timezone() -> Timezone:
    """Europe/Amsterdam as every reader understands it: CET from the last Sunday of October
    03:00, CEST from the last Sunday of March 02:00, every year."""
    tz = Timezone()
    tz.add("tzid", LOCAL.key)
    for part, start, month, before, after, name in (
            (TimezoneStandard(), datetime(1970, 10, 25, 3, 0), 10, 2, 1, "CET"),
            (TimezoneDaylight(), datetime(1970, 3, 29, 2, 0), 3, 1, 2, "CEST")):
        part.add("dtstart", start)
        part.add("rrule", _Rule({"FREQ": "YEARLY", "BYMONTH": month, "BYDAY": "-1SU"}))
        part.add("tzoffsetfrom", timedelta(hours=before))
        part.add("tzoffsetto", timedelta(hours=after))
        part.add("tzname", name)
        tz.add_component(part)
    return tz


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


def webcal(feed_url: str) -> str:
    """The same address as webcal://, which a phone opens in its calendar app to subscribe."""
    return "webcal://" + feed_url.split("://", 1)[1]


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


def log_fetch(user: User) -> None:
    """The volunteer's calendar read the feed (the carers' and cared-for people's names, address
    and phone left for another system): written to the audit log once a day, and again that day
    when the shifts in it changed; a calendar asks every hour or more often."""
    shifts = shifts_for(user)
    if not shifts:
        return
    detail = "respijtkeren " + ",".join(str(s.id) for s in shifts)
    midnight = local_now().replace(hour=0, minute=0, second=0, microsecond=0)
    last = db.session.scalar(select(AuditLog.detail).where(
        AuditLog.actor_id == user.id, AuditLog.action == "calendar.fetched", AuditLog.at >= midnight)
        .order_by(AuditLog.id.desc()).limit(1))
    if last == detail:
        return
    audit.record("calendar.fetched", actor=user, role=R.VOLUNTEER, detail=detail,
                 subjects=[p for s in shifts
                           for p in (s.respite_request.carer_id, s.respite_request.care_recipient_id)])
    db.session.commit()


def build_ics(user: User) -> bytes:
    """The feed: one VEVENT per booked shift with a stable UID, in Europe/Amsterdam time.

    The entry names the person cared for and their address (where the volunteer goes) and the
    carer as the contact."""
    cal = Calendar()
    cal.add("prodid", f"-//{user.village.cooperative_name}//respijtrooster//NL")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Respijt – {user.village.cooperative_name}")
    cal.add("x-wr-timezone", LOCAL.key)
    cal.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    cal.add_component(amsterdam_timezone())
    stamp = now()
    for shift in shifts_for(user):
        respite_request = shift.respite_request
        home, carer = respite_request.care_recipient, respite_request.carer
        event = Event()
        event.add("uid", f"respite-shift-{shift.id}@{user.village.slug}.coop")
        event.add("dtstamp", stamp)
        event.add("last-modified", shift.changed_at)
        event.add("dtstart", shift.starts_at.astimezone(LOCAL))
        event.add("dtend", shift.ends_at.astimezone(LOCAL))
        event.add("summary", f"Respijt bij {home.full_name}")
        event.add("location", home.address_line)
        contact = carer.full_name + (f", {display_phone(carer.phone)}" if carer.phone else "")
        # Personal notes stay in the app: a phone calendar is often synced to a third party.
        event.add("description", f"Contactpersoon: {contact} (mantelzorger). Wat u moet weten staat in "
                                 "Mijn rooster. Vragen? Bel de dorpsondersteuner: "
                                 f"{display_phone(user.village.coordinator_phone)}.")
        cal.add_component(event)
    for activity in activities.helping(user):
        cal.add_component(_activity_event(activity, user, stamp))
    return cal.to_ical()


def _activity_event(activity, user: User, stamp: datetime) -> Event:
    """An activity the volunteer helps at: where and when, no names of who signed up."""
    event = Event()
    event.add("uid", f"activity-{activity.id}@{user.village.slug}.coop")
    event.add("dtstamp", stamp)
    event.add("last-modified", activity.updated_at)
    event.add("dtstart", activity.starts_at)
    event.add("dtend", activity.ends_at)
    event.add("summary", f"Helpen bij {activity.title}")
    event.add("location", activity.address_line)
    event.add("description", f"{activity.kind_label}, {len(activity.signed_up)} aangemeld. Vragen? Bel de "
                             f"dorpsondersteuner: {display_phone(user.village.coordinator_phone)}.")
    return event
