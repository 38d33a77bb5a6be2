"""The agenda feed: every event a user may see as one RFC 5545 calendar, for Google, Apple and
Outlook to subscribe to, and the same VEVENT for the download of a single event.

Other apps add their own items (a booked parent-teacher conference, say) without the calendar
importing them: an app with a ``calendar_feed.py`` module that defines
``feed_items(user) -> list[FeedItem]`` is found by name, the way web/blocks.py finds home blocks.
A provider returns only what ``user`` may see. ``register_feed_provider`` does the same without
a module (tests, plugins)."""

from __future__ import annotations

import datetime
import hashlib
import importlib
import importlib.util
import logging
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Timezone, vDuration, vRecur
from icalendar import Event as VEvent

from . import recurrence
from .models import Event

logger = logging.getLogger(__name__)

REFRESH = datetime.timedelta(hours=1)
PAST_DAYS = 365  # events that ended longer ago are left out of the feed
PRODID = "-//Schoolpoort//Schoolpoort calendar//EN"

# Europe/Amsterdam as most agenda programs write it: two yearly rules. (icalendar's own
# VTIMEZONE lists every change as RDATEs, which some readers, vobject among them, ignore.)
AMSTERDAM_VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Amsterdam
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""


@dataclass(frozen=True)
class FeedItem:
    """One item another app puts in a user's feed. ``start`` and ``end`` are dates for an all-day
    item (``end`` is the last day, inclusive) and aware datetimes otherwise. ``uid`` must stay the
    same for ever; raise ``sequence`` on every change; ``stamp`` is when the item last changed
    (DTSTAMP; the start when not given)."""

    uid: str
    summary: str
    start: datetime.date | datetime.datetime
    end: datetime.date | datetime.datetime
    all_day: bool = False
    location: str = ""
    description: str = ""
    sequence: int = 0
    cancelled: bool = False
    url: str = ""
    stamp: datetime.datetime | None = None


FeedProvider = Callable[[object], list[FeedItem]]
_registered: list[FeedProvider] = []


def register_feed_provider(provider: FeedProvider) -> FeedProvider:
    """Add ``provider(user) -> list[FeedItem]`` to every feed; usable as a decorator."""
    if provider not in _registered:
        _registered.append(provider)
    return provider


def unregister_feed_provider(provider: FeedProvider) -> None:
    if provider in _registered:
        _registered.remove(provider)


@cache
def _discovered() -> tuple[FeedProvider, ...]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("schoolpoort."):
            continue
        name = f"{config.name}.calendar_feed"
        if importlib.util.find_spec(name) is not None:
            module = importlib.import_module(name)
            if hasattr(module, "feed_items"):
                found.append(module.feed_items)
    return tuple(found)


def feed_providers() -> list[FeedProvider]:
    return [*_discovered(), *_registered]


def provided_items(user) -> list[FeedItem]:
    """The items of every provider; one that fails is logged and left out, the feed goes on."""
    items: list[FeedItem] = []
    for provider in feed_providers():
        try:
            items.extend(provider(user))
        except Exception:
            logger.exception("calendar feed provider %r failed", provider)
    return items


# --- Tokens --------------------------------------------------------------------------------------


def new_token() -> str:
    """43 characters of base64url: 32 random bytes."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_url(token: str) -> str:
    return settings.SITE_URL + reverse("calendar:feed", kwargs={"token": token})


def webcal_url(token: str) -> str:
    url = feed_url(token)
    return "webcal://" + url.split("://", 1)[1]


# --- Building the calendar ----------------------------------------------------------------------


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC)


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def _new_calendar(name: str, uid: str) -> Calendar:
    cal = Calendar.new(
        name=name,
        description=_("School calendar from Schoolpoort"),
        prodid=PRODID,
        refresh_interval=REFRESH,
        uid=uid,
    )
    cal["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"  # required by RFC 7986
    cal.add("calscale", "GREGORIAN")
    cal.add("x-published-ttl", vDuration(REFRESH))
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def _finish(cal: Calendar) -> bytes:
    if settings.TIME_ZONE == "Europe/Amsterdam" and "Europe/Amsterdam" in cal.get_used_tzids():
        cal.subcomponents.insert(0, Timezone.from_ical(AMSTERDAM_VTIMEZONE))
    cal.add_missing_timezones()  # any other zone a provider's item uses
    return cal.to_ical()


def _description(event) -> str:
    lines = [event.description.strip()] if event.description.strip() else []
    lines.append(_("For: %(audience)s") % {"audience": event.audience_label})
    return "\n\n".join(lines)


def event_vevent(event) -> VEvent:
    """The VEVENT of one event; repeating events keep their rule and exceptions."""
    zone = recurrence.local_zone()
    if event.all_day:
        start, end = event.starts_on, event.ends_on + datetime.timedelta(days=1)
    else:
        start = datetime.datetime.combine(event.starts_on, event.start_time, tzinfo=zone)
        end = datetime.datetime.combine(event.ends_on, event.end_time, tzinfo=zone)
    vevent = VEvent.new(
        uid=str(event.uid),
        summary=(_("Cancelled: %(title)s") % {"title": event.title}) if event.cancelled else event.title,
        start=start,
        end=end,
        stamp=_utc(event.updated_at),
        created=_utc(event.created_at),
        last_modified=_utc(event.updated_at),
        sequence=event.sequence,
        description=_description(event),
        location=event.location or None,
        url=absolute_url(reverse("calendar:detail", args=[event.pk])),
        categories=[str(event.get_category_display())],
    )
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    vevent.add("transp", "TRANSPARENT" if event.all_day else "OPAQUE")
    if event.rrule:
        recur = vRecur.from_ical(event.rrule)
        if "UNTIL" in recur:
            until = recurrence.rule_parts(event.rrule)["UNTIL"]
            recur["UNTIL"] = [until if event.all_day else _utc(
                datetime.datetime.combine(until, datetime.time(23, 59, 59), tzinfo=zone))]
        vevent.add("rrule", recur)
        days = recurrence.exdate_days(event)
        if days:
            vevent.add("exdate", days if event.all_day else [
                datetime.datetime.combine(day, event.start_time, tzinfo=zone) for day in days])
    return vevent


def item_vevent(item: FeedItem) -> VEvent:
    if item.all_day:
        start, end = _as_date(item.start), _as_date(item.end) + datetime.timedelta(days=1)
        stamp = item.stamp or datetime.datetime.combine(start, datetime.time.min, tzinfo=datetime.UTC)
    else:
        start, end = item.start, item.end
        stamp = item.stamp or start
    vevent = VEvent.new(
        uid=item.uid,
        summary=(_("Cancelled: %(title)s") % {"title": item.summary}) if item.cancelled else item.summary,
        start=start,
        end=end,
        stamp=_utc(stamp),
        sequence=item.sequence,
        description=item.description or None,
        location=item.location or None,
        url=item.url or None,
    )
    vevent.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    return vevent


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def feed_events(user):
    """The events of a user's feed: everything visible, but not what ended a year ago."""
    since = timezone.localdate() - datetime.timedelta(days=PAST_DAYS)
    return (
        Event.objects.visible_to(user)
        .between(since, datetime.date.max)
        .select_related("school", "board")
        .prefetch_related("groups")
        .order_by("starts_on", "pk")
    )


def user_calendar(user) -> bytes:
    """The whole feed of ``user``: their events and the items of other apps."""
    cal = _new_calendar("Schoolpoort", str(uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/feed/{user.pk}")))
    for event in feed_events(user):
        cal.add_component(event_vevent(event))
    for item in provided_items(user):
        cal.add_component(item_vevent(item))
    return _finish(cal)


def event_calendar(event) -> bytes:
    """One event as a calendar file to download and open."""
    cal = _new_calendar(event.title, str(uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/event/{event.uid}")))
    cal.add_component(event_vevent(event))
    return _finish(cal)
