"""The agenda feed: every event a user may see as one RFC 5545 calendar, for Google, Apple and
Outlook to subscribe to, and the same VEVENT for the download of a single event.

Other apps add their own items (a booked parent-teacher conference, say) through the kernel's
feed protocol (``schoolpoort.lib.feed``), without the calendar and them importing each other."""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
import uuid
import zlib
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.cache import caches
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Timezone, vCategory, vDDDTypes, vDuration, vInt, vRecur, vText, vUri
from icalendar import Event as VEvent
from icalendar.timezone import tzid_from_dt, tzid_from_tzinfo

from schoolpoort.core.access import guardian_group_ids, taught_group_ids
from schoolpoort.core.models import Group
from schoolpoort.lib.days_off import days_off_by_school
from schoolpoort.lib.feed import WINDOW_AHEAD_DAYS, WINDOW_PAST_DAYS, FeedItem, provided_items
from schoolpoort.lib.text import plain_line, plain_text
from schoolpoort.lib.weekly import WeeklyEntry, weekly_days, weekly_entries

from . import recurrence
from .models import Event
from .visibility import usable_school_ids

logger = logging.getLogger(__name__)

REFRESH = datetime.timedelta(hours=1)
CACHE_ALIAS = "default"
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


# --- The window ----------------------------------------------------------------------------------
#
# The feed holds what is useful in an agenda on a phone: from about three months back to twelve
# months ahead. An event is in it when one of its days falls in the window; a repeating event is
# written whole (its RRULE and EXDATEs unchanged, so it stays one valid VEVENT) when at least one
# occurrence falls in the window. Items of other apps follow the same window.


def feed_window(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=WINDOW_PAST_DAYS), today + datetime.timedelta(days=WINDOW_AHEAD_DAYS)


def feed_events(user, window: tuple[datetime.date, datetime.date] | None = None):
    """The events that may have a day in the window (repeating ones are checked by ``_occurs``)."""
    first, last = window or feed_window()
    return Event.objects.visible_to(user).between(first, last)


def _occurs(event, first: datetime.date, last: datetime.date, days_off: dict) -> bool:
    """Whether a repeating event that began before the window has an occurrence in it."""
    if not event.rrule or event.starts_on >= first:
        return True
    return bool(recurrence.occurrences(event, first, last, recurrence.skipped_days(event, days_off)))


def feed_weekly(user) -> list[WeeklyEntry]:
    """The weekly activities (gym, from the timetable through lib/weekly.py) of the user's own
    groups: their children's and the ones they teach, where the calendar is usable. One query."""
    groups = Group.objects.filter(
        Q(pk__in=guardian_group_ids(user)) | Q(pk__in=taught_group_ids(user)), school_id__in=usable_school_ids(user)
    ).values("pk")
    return weekly_entries(user, groups)


def _days_off(events, window: tuple[datetime.date, datetime.date], weekly=()) -> dict[int, set[datetime.date]]:
    """The days off of the feed's schools, from the first day of its earliest repeating event
    (or the window's start) to the window's end: the pages skip them, so the feed writes them as
    EXDATEs. Asked for every school in the feed, so a feed costs the same queries with or
    without repeating events."""
    skipping = [event for event in events if recurrence.skips_days_off(event)]
    first = min([window[0], *(event.starts_on for event in skipping)])
    schools = {event.school_id for event in events if event.school_id} | {entry.school_id for entry in weekly}
    return days_off_by_school(schools, first, window[1])


def _item_in_window(item: FeedItem, first: datetime.date, last: datetime.date) -> bool:
    start, end = item.start, item.end
    if isinstance(start, datetime.datetime):
        start, end = timezone.localtime(start).date(), timezone.localtime(end).date()
    return start <= last and end >= first


# --- The version of a feed ------------------------------------------------------------------------
#
# One query tells whether a feed changed: the id, last change and sequence of every event in it,
# with the names its "For:" line shows (board, school, groups; a group can be renamed without the
# event changing). With the items of other apps (one query each), the user, the language, the
# token and FEED_FORMAT, that is every input of the body: the hash of it is the ETag and the
# cache key, so a cached body can never be another user's or an older one.

FEED_FORMAT = 3  # raise whenever what the feed writes changes, so cached bodies are not reused
VERSION_FIELDS = (
    "pk",
    "updated_at",
    "sequence",
    "audience",
    "board__name",
    "school__name",
    "groups__name",
    "groups__grades",
    "rrule",
    "starts_on",
    "ends_on",
    "all_day",
    "start_time",
    "end_time",
    "exdates",
    "school_id",
    "category",
    "during_holidays",
)


@dataclass(frozen=True)
class _Row:
    pk: int
    updated_at: datetime.datetime
    sequence: int
    audience: str
    board_name: str | None
    school_name: str | None
    group_name: str | None
    group_grades: str | None
    rrule: str
    starts_on: datetime.date
    ends_on: datetime.date
    all_day: bool
    start_time: datetime.time | None
    end_time: datetime.time | None
    exdates: list
    school_id: int | None
    category: str
    during_holidays: bool


@dataclass(frozen=True)
class FeedVersion:
    key: str  # 64 hex characters
    window: tuple[datetime.date, datetime.date]
    events: dict[int, tuple[datetime.datetime, int]]  # pk -> (updated_at, sequence)
    labels: dict[int, str]  # pk -> who the event is for
    items: tuple[FeedItem, ...]
    days_off: dict[int, set[datetime.date]]
    weekly: tuple[WeeklyEntry, ...] = ()


def feed_version(user, token=None) -> FeedVersion:
    """What ``user``'s feed consists of now, without building it. ``token`` (a FeedToken) puts the
    link's state in the key."""
    window = feed_window()
    events: dict[int, tuple[datetime.datetime, int]] = {}
    labels: dict[int, str] = {}
    groups: dict[int, list[tuple[str, str]]] = {}
    left_out: set[int] = set()
    # One row per event and group (a LEFT JOIN): the names of an event's groups come along.
    rows = [_Row(*values) for values in feed_events(user, window).order_by().values_list(*VERSION_FIELDS)]
    weekly = feed_weekly(user)
    days_off = _days_off(rows, window, weekly)
    for row in rows:
        if row.pk in left_out:
            continue
        if row.pk not in events:
            if not _occurs(row, *window, days_off):
                left_out.add(row.pk)
                continue
            events[row.pk] = (row.updated_at, row.sequence)
            labels[row.pk] = {Event.Audience.BOARD: row.board_name, Event.Audience.SCHOOL: row.school_name}.get(
                row.audience
            ) or ""
        if row.audience == Event.Audience.GROUPS and row.group_name is not None:
            groups.setdefault(row.pk, []).append((row.group_grades, row.group_name))
    for pk, names in groups.items():
        labels[pk] = ", ".join(name for _grades, name in sorted(names))  # as Event.audience_label
    items = tuple(item for item in provided_items(user) if _item_in_window(item, *window))
    state = (
        FEED_FORMAT,
        user.pk,
        user.language,
        translation.get_language(),
        settings.SITE_URL,
        settings.TIME_ZONE,
        (token.pk, token.token_hash) if token is not None else None,
        sorted((pk, stamp.isoformat(), sequence, labels[pk]) for pk, (stamp, sequence) in events.items()),
        items,
        sorted((pk, sorted(days)) for pk, days in days_off.items()),
        weekly,
    )
    key = hashlib.sha256(repr(state).encode()).hexdigest()
    return FeedVersion(key=key, window=window, events=events, labels=labels, items=items, days_off=days_off,
                       weekly=tuple(weekly))


# --- Writing the calendar -------------------------------------------------------------------------
#
# The components are built with icalendar and serialised by its ``to_ical()`` (valid RFC 5545:
# escaping, line folding, parameters). That costs about half a millisecond per event, which is
# paid only when a feed changes: the body is cached under its version (see "Serving it"). Within
# one build, what is the same for every event (labels, texts, the detail URL, the VTIMEZONE) is
# made once, and the time zones used are noted while adding (``_Calendar.zone``), so the tree is
# never walked for TZIDs (Calendar.get_used_tzids and add_missing_timezones walk all of it).


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


@cache
def _vtimezone(tzid: str) -> Timezone | None:
    """The VTIMEZONE of a zone, made once per process and shared by every calendar (it is only
    read). None for a zone icalendar does not know, which add_missing_timezones also leaves out."""
    if tzid == "Europe/Amsterdam":
        return Timezone.from_ical(AMSTERDAM_VTIMEZONE)
    try:
        return Timezone.from_tzid(tzid)
    except ValueError:
        logger.warning("calendar feed: no VTIMEZONE for %s", tzid)
        return None


class _Calendar:
    """A VCALENDAR being built, and the TZIDs its components use."""

    def __init__(self, name: str, uid: str):
        cal = Calendar.new(
            name=plain_line(name),
            description=_("School calendar from Schoolpoort"),
            prodid=PRODID,
            refresh_interval=REFRESH,
            uid=uid,
        )
        cal["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"  # required by RFC 7986
        cal.add("calscale", "GREGORIAN")
        cal.add("x-published-ttl", vDuration(REFRESH))
        cal.add("x-wr-timezone", settings.TIME_ZONE)
        self.cal = cal
        self.tzids: set[str] = set()

    def zone(self, value) -> None:
        """Note the zone of a DATE-TIME that icalendar writes with a TZID (not UTC, not a DATE)."""
        if isinstance(value, datetime.datetime):
            tzid = tzid_from_dt(value)
            if tzid and tzid != "UTC":
                self.tzids.add(tzid)

    def to_ical(self) -> bytes:
        # VTIMEZONEs come first, as add_missing_timezones puts them.
        zones = [_vtimezone(tzid) for tzid in sorted(self.tzids)]
        self.cal.subcomponents[:0] = [zone for zone in zones if zone is not None]
        return self.cal.to_ical()


class _EventWriter:
    """Adds VEVENTs to a calendar; what is the same for every event is looked up once."""

    def __init__(self, cal: _Calendar, days_off: dict[int, set[datetime.date]] | None = None):
        self.cal = cal
        self.days_off = days_off or {}  # {school id: days off} that repeating events skip
        self.zone = recurrence.local_zone()
        self.local_tzid = tzid_from_tzinfo(self.zone)
        # Values every event shares are made once: icalendar only reads them when writing.
        self.categories = {value: vCategory([str(label)]) for value, label in Event.Category.choices}
        self.status = {cancelled: vText("CANCELLED" if cancelled else "CONFIRMED") for cancelled in (True, False)}
        self.transp = {all_day: vText("TRANSPARENT" if all_day else "OPAQUE") for all_day in (True, False)}
        self.cancelled = _("Cancelled: %(title)s")
        self.audience = _("For: %(audience)s")
        marker = 987654321987654321  # a detail URL with a stand-in id, reversed once
        self.url = absolute_url(reverse("calendar:detail", args=[marker])).replace(str(marker), "{}")
        self.host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]

    def event(self, event, label: str) -> None:
        """The VEVENT of one event; a repeating event keeps its rule and exceptions."""
        zone = self.zone
        if event.all_day:
            start, end = event.starts_on, event.ends_on + datetime.timedelta(days=1)
        else:
            start = datetime.datetime.combine(event.starts_on, event.start_time, tzinfo=zone)
            end = datetime.datetime.combine(event.ends_on, event.end_time, tzinfo=zone)
            if self.local_tzid:
                self.cal.tzids.add(self.local_tzid)
        # Values are given as icalendar's types, so Component.add does not infer them (and not
        # through Event.new's property setters, which cost as much again); to_ical() writes the
        # properties in RFC order whatever the order here.
        updated = vDDDTypes(event.updated_at.astimezone(datetime.UTC))  # DTSTAMP and the like in UTC
        vevent = VEvent()
        title = plain_line(event.title)
        vevent.add("summary", vText(self.cancelled % {"title": title} if event.cancelled else title))
        vevent.add("dtstart", vDDDTypes(start))
        vevent.add("dtend", vDDDTypes(end))
        vevent.add("dtstamp", updated)
        vevent.add("uid", vText(str(event.uid)))
        vevent.add("sequence", vInt(event.sequence))
        if event.rrule:
            self._rule(vevent, event)
        category = self.categories.get(event.category) or vCategory([event.category])
        vevent.add("categories", category)
        vevent.add("created", vDDDTypes(event.created_at.astimezone(datetime.UTC)))
        description = plain_text(event.description).strip()
        lines = [description] if description else []
        lines.append(self.audience % {"audience": label})
        vevent.add("description", vText("\n\n".join(lines)))
        vevent.add("last-modified", updated)
        if event.location:
            vevent.add("location", vText(plain_line(event.location)))
        vevent.add("status", self.status[event.cancelled])
        vevent.add("transp", self.transp[event.all_day])
        vevent.add("url", vUri(self.url.format(event.pk)))
        self.cal.cal.add_component(vevent)

    def _rule(self, vevent: VEvent, event) -> None:
        """RRULE with UNTIL as RFC 5545 wants it (a DATE for all-day events, else UTC), and EXDATE."""
        zone = self.zone
        recur = vRecur.from_ical(event.rrule)
        if "UNTIL" in recur:
            until = recurrence.rule_parts(event.rrule)["UNTIL"]
            recur["UNTIL"] = [
                until
                if event.all_day
                else datetime.datetime.combine(until, datetime.time(23, 59, 59), tzinfo=zone).astimezone(datetime.UTC)
            ]
        vevent.add("rrule", recur)
        days = sorted({*recurrence.exdate_days(event),
                       *recurrence.days_off_hit(event, recurrence.skipped_days(event, self.days_off))})
        if days:
            if event.all_day:
                vevent.add("exdate", days)
            else:
                vevent.add("exdate", [datetime.datetime.combine(day, event.start_time, tzinfo=zone) for day in days])

    def weekly(self, entry: WeeklyEntry, window: tuple[datetime.date, datetime.date]) -> None:
        """A weekly activity as one repeating VEVENT over the window and its school year, with
        the days off it skips as EXDATEs: the same days the pages show (``weekly_days``)."""
        off = self.days_off.get(entry.school_id, set())
        days = weekly_days(entry, *window, off)
        if not days:
            return
        zone = self.zone
        first, last = days[0], days[-1]
        skipped = [day for day in weekly_days(entry, first, last, set()) if day in off]
        if self.local_tzid:
            self.cal.tzids.add(self.local_tzid)
        stamp = vDDDTypes((entry.updated_at or datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)).astimezone(
            datetime.UTC))
        vevent = VEvent()
        vevent.add("summary", vText(plain_line(f"{entry.title} ({entry.group_name})")))
        vevent.add("dtstart", vDDDTypes(datetime.datetime.combine(first, entry.starts_at, tzinfo=zone)))
        vevent.add("dtend", vDDDTypes(datetime.datetime.combine(first, entry.ends_at, tzinfo=zone)))
        vevent.add("dtstamp", stamp)
        vevent.add("uid", vText(f"{entry.key}@{self.host}"))
        until = datetime.datetime.combine(last, datetime.time(23, 59, 59), tzinfo=zone).astimezone(datetime.UTC)
        vevent.add("rrule", vRecur({"FREQ": ["WEEKLY"], "UNTIL": [until]}))
        if skipped:
            vevent.add("exdate", [datetime.datetime.combine(day, entry.starts_at, tzinfo=zone) for day in skipped])
        vevent.add("categories", self.categories.get(entry.category) or vCategory([entry.category]))
        lines = [plain_text(entry.description).strip()] if entry.description else []
        lines.append(self.audience % {"audience": entry.group_name})
        vevent.add("description", vText("\n\n".join(lines)))
        vevent.add("last-modified", stamp)
        if entry.location:
            vevent.add("location", vText(plain_line(entry.location)))
        vevent.add("status", self.status[False])
        vevent.add("transp", self.transp[False])
        vevent.add("url", vUri(absolute_url(entry.url)))
        self.cal.cal.add_component(vevent)

    def item(self, item: FeedItem) -> None:
        """The VEVENT of another app's item."""
        if item.all_day:
            start, end = _as_date(item.start), _as_date(item.end) + datetime.timedelta(days=1)
            stamp = item.stamp or datetime.datetime.combine(start, datetime.time.min, tzinfo=datetime.UTC)
        else:
            start, end = item.start, item.end
            stamp = item.stamp or start
            self.cal.zone(start)
            self.cal.zone(end)
        vevent = VEvent()
        summary = plain_line(item.summary)
        vevent.add("summary", self.cancelled % {"title": summary} if item.cancelled else summary)
        vevent.add("dtstart", start)
        vevent.add("dtend", end)
        vevent.add("dtstamp", stamp)
        vevent.add("uid", item.uid)
        vevent.add("sequence", item.sequence)
        if item.description:
            vevent.add("description", plain_text(item.description))
        if item.location:
            vevent.add("location", plain_line(item.location))
        vevent.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        if item.url:
            vevent.add("url", item.url)
        self.cal.cal.add_component(vevent)


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _feed_uid(user) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/feed/{user.pk}"))


def build_calendar(user, version: FeedVersion) -> tuple[bytes, bool]:
    """The body of ``user``'s feed as ``version`` describes it. Returns the body and whether it
    is exactly that version (an event may change between the two queries; such a body is served
    but not cached under the version's key)."""
    first, last = version.window
    fields = (
        "uid",
        "title",
        "description",
        "location",
        "category",
        "all_day",
        "starts_on",
        "ends_on",
        "start_time",
        "end_time",
        "rrule",
        "exdates",
        "school",
        "during_holidays",
        "cancelled",
        "sequence",
        "created_at",
        "updated_at",
    )
    events = [
        event
        for event in feed_events(user, version.window).only(*fields).order_by("starts_on", "pk")
        if _occurs(event, first, last, version.days_off)
    ]
    exact = {event.pk: (event.updated_at, event.sequence) for event in events} == version.events
    cal = _Calendar("Schoolpoort", _feed_uid(user))
    writer = _EventWriter(cal, version.days_off)
    for event in events:
        writer.event(event, version.labels.get(event.pk, ""))
    for entry in version.weekly:
        writer.weekly(entry, version.window)
    for item in version.items:
        writer.item(item)
    return cal.to_ical(), exact


def user_calendar(user) -> bytes:
    """The whole feed of ``user``: their events in the window and the items of other apps."""
    return build_calendar(user, feed_version(user))[0]


def event_calendar(event) -> bytes:
    """One event as a calendar file to download and open (whatever its dates)."""
    cal = _Calendar(event.title, str(uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/event/{event.uid}")))
    days_off = {}
    if recurrence.skips_days_off(event):
        last = event.last_day or event.starts_on + datetime.timedelta(days=366 * recurrence.MAX_YEARS)
        days_off = recurrence.days_off_for([event], event.starts_on, last)
    _EventWriter(cal, days_off).event(event, event.audience_label)
    return cal.to_ical()


# --- Serving it -----------------------------------------------------------------------------------
#
# The body is cached under its version key, compressed (an .ics shrinks about tenfold), so a
# poll of an unchanged feed costs the version queries and a cache read. Nothing but the key
# decides what is served: a stopped link never reaches the cache (the token is looked up first).

CACHE_TIMEOUT = 24 * 60 * 60  # a day: an idle family's body leaves the cache; the window moves daily anyway


def _cache_key(version: FeedVersion) -> str:
    return f"calendar:feed:{version.key}"


def cached_calendar(user, version: FeedVersion) -> bytes:
    """The body of ``version`` from the cache, or built and stored there."""
    key = _cache_key(version)
    try:
        stored = caches[CACHE_ALIAS].get(key)
    except Exception:  # a cache that is down must not take the feed with it
        logger.exception("calendar feed cache unavailable")
        stored = None
    if stored is not None:
        return zlib.decompress(stored)
    body, exact = build_calendar(user, version)
    if exact:
        try:
            caches[CACHE_ALIAS].set(key, zlib.compress(body, 6), CACHE_TIMEOUT)
        except Exception:
            logger.exception("calendar feed cache unavailable")
    return body
