"""Repeating events: the RFC 5545 rule as stored, its validation, and the expansion of events
into the occurrences a page shows.

A rule is stored as the value of an RRULE property ("FREQ=WEEKLY;BYDAY=TU") with one deviation:
UNTIL is always a DATE, the last local day on which the event may take place. The agenda feed
turns it into what RFC 5545 wants (a DATE for all-day events, a UTC time for timed ones).
Expansion works on wall-clock times in Europe/Amsterdam, so gym at 08:30 stays at 08:30 when
the clocks change."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from dateutil.rrule import rrule, rrulestr
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from icalendar import vRecur

from schoolpoort.lib import dates
from schoolpoort.lib.days_off import days_off_by_school
from schoolpoort.lib.weekly import WeeklyEntry, weekly_days

FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
SUPPORTED_PARTS = {
    "FREQ", "INTERVAL", "UNTIL", "COUNT", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "BYYEARDAY", "BYWEEKNO", "WKST",
}
MAX_COUNT = 500
MAX_INTERVAL = 99
# Events of these categories are the days off themselves: they never skip them.
OFF_CATEGORIES = ("vacation", "study_day", "free_day")
MAX_YEARS = 10  # a rule may not reach further than this beyond its first day
ICAL_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


class RecurrenceError(ValueError):
    """A rule or an exception that cannot be used; the message is for the user, ``part`` says
    what is wrong: "rule" or "exdates"."""

    def __init__(self, message: str, part: str = "rule"):
        super().__init__(message)
        self.message, self.part = message, part


def local_zone():
    return timezone.get_default_timezone()


# --- The rule as stored -------------------------------------------------------------------------


def _until_day(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(local_zone())
        return value.date()
    return value


def normalise_rrule(text: str) -> str:
    """The stored form of a rule typed by a person or sent by the API: no "RRULE:" prefix, the
    parts in canonical order, UNTIL as a local date. Empty for no rule."""
    text = (text or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:"):].strip()
    if not text:
        return ""
    try:
        recur = vRecur.from_ical(text)
    except (ValueError, TypeError):
        raise RecurrenceError(_("This is not a repeat rule we can read (RFC 5545 RRULE).")) from None
    parts = {key.upper() for key in recur}
    if not parts:
        raise RecurrenceError(_("This is not a repeat rule we can read (RFC 5545 RRULE)."))
    if unsupported := parts - SUPPORTED_PARTS:
        raise RecurrenceError(
            _("The repeat rule has parts we do not support: %(parts)s.") % {"parts": ", ".join(sorted(unsupported))}
        )
    freq = recur.get("FREQ") or []
    if len(freq) != 1 or str(freq[0]).upper() not in FREQUENCIES:
        raise RecurrenceError(_("A repeat rule must repeat daily, weekly, monthly or yearly (FREQ)."))
    if "UNTIL" in recur and "COUNT" in recur:
        raise RecurrenceError(_("Give either an end date (UNTIL) or a number of times (COUNT), not both."))
    if "COUNT" in recur and not 1 <= int(recur["COUNT"][0]) <= MAX_COUNT:
        raise RecurrenceError(_("The number of times (COUNT) must be between 1 and %(max)d.") % {"max": MAX_COUNT})
    if "INTERVAL" in recur and not 1 <= int(recur["INTERVAL"][0]) <= MAX_INTERVAL:
        raise RecurrenceError(_("The interval must be between 1 and %(max)d.") % {"max": MAX_INTERVAL})
    if "UNTIL" in recur:
        recur["UNTIL"] = [_until_day(recur["UNTIL"][0])]
    canonical = vRecur(recur).to_ical().decode()
    try:
        _rule(canonical, datetime.date(2001, 1, 1), None)
    except (ValueError, TypeError):
        raise RecurrenceError(_("This is not a repeat rule we can read (RFC 5545 RRULE).")) from None
    return canonical


def rule_parts(text: str) -> dict[str, Any]:
    """The parts of a stored rule, single values unwrapped: {"FREQ": "WEEKLY", "INTERVAL": 2}."""
    return {key.upper(): values[0] if len(values) == 1 else values for key, values in vRecur.from_ical(text).items()}


def _rule(text: str, starts_on: datetime.date, start_time: datetime.time | None) -> rrule:
    """The dateutil rule on naive local wall-clock times; UNTIL includes its whole day."""
    recur = vRecur.from_ical(text)
    until = recur.pop("UNTIL", None)
    dtstart = datetime.datetime.combine(starts_on, start_time or datetime.time.min)
    rule = rrulestr(vRecur(recur).to_ical().decode(), dtstart=dtstart)
    if until:
        rule = rule.replace(until=datetime.datetime.combine(_until_day(until[0]), datetime.time.max))
    return rule


def _has_end(text: str) -> bool:
    parts = rule_parts(text)
    return "UNTIL" in parts or "COUNT" in parts


def check_rule(
    text: str, starts_on: datetime.date, start_time: datetime.time | None, exdates: list[datetime.date]
) -> None:
    """Raise RecurrenceError unless the first day is an occurrence of the rule, the rule ends
    within MAX_YEARS, and every exception is one of its occurrences."""
    rule = _rule(text, starts_on, start_time)
    dtstart = datetime.datetime.combine(starts_on, start_time or datetime.time.min)
    if rule.after(dtstart, inc=True) != dtstart:
        raise RecurrenceError(
            _("The first day (%(day)s) is not a day on which this rule repeats; choose a first day that fits it.")
            % {"day": dates.style(starts_on, "weekday_year")}
        )
    parts = rule_parts(text)
    if "UNTIL" in parts and _until_day(parts["UNTIL"]) < starts_on:
        raise RecurrenceError(_("The repeat end date is before the first day."))
    if "UNTIL" in parts and _until_day(parts["UNTIL"]) > starts_on + datetime.timedelta(days=366 * MAX_YEARS):
        raise RecurrenceError(_("A repeating event may run for at most %(years)d years.") % {"years": MAX_YEARS})
    for day in exdates:
        moment = datetime.datetime.combine(day, start_time or datetime.time.min)
        if rule.after(moment, inc=True) != moment:
            raise RecurrenceError(
                _("%(day)s is not one of the days this event takes place.") % {"day": dates.style(day, "weekday_year")},
                part="exdates",
            )


def last_day_of(event) -> datetime.date | None:
    """The last day any occurrence covers; None for a rule without end."""
    if not event.rrule:
        return event.ends_on
    if not _has_end(event.rrule):
        return None
    span = event.ends_on - event.starts_on
    last = None
    for last in _rule(event.rrule, event.starts_on, event.start_time):  # noqa: B007 (ends: UNTIL or COUNT)
        pass
    return (last.date() if last else event.starts_on) + span


def describe(event) -> str:
    """"Every week on Tuesday, until 16 July 2027" for a person."""
    if not event.rrule:
        return ""
    parts = rule_parts(event.rrule)
    freq, interval = str(parts["FREQ"]).upper(), int(parts.get("INTERVAL", 1))
    if interval == 1:
        text = {"DAILY": _("Every day"), "WEEKLY": _("Every week"), "MONTHLY": _("Every month"),
                "YEARLY": _("Every year")}[freq]
    else:
        text = {
            "DAILY": ngettext("Every %(n)d day", "Every %(n)d days", interval),
            "WEEKLY": ngettext("Every %(n)d week", "Every %(n)d weeks", interval),
            "MONTHLY": ngettext("Every %(n)d month", "Every %(n)d months", interval),
            "YEARLY": ngettext("Every %(n)d year", "Every %(n)d years", interval),
        }[freq] % {"n": interval}
    if freq == "WEEKLY":
        byday = parts.get("BYDAY") or ICAL_DAYS[event.starts_on.weekday()]
        codes = byday if isinstance(byday, list) else [byday]
        names = [str(WEEKDAYS[ICAL_DAYS.index(code[-2:].upper())]) for code in codes if code[-2:].upper() in ICAL_DAYS]
        if names:
            text = _("%(rule)s on %(days)s") % {"rule": text, "days": ", ".join(names)}
    if "UNTIL" in parts:
        text = _("%(rule)s, until %(day)s") % {"rule": text, "day": dates.style(_until_day(parts["UNTIL"]), "day")}
    elif "COUNT" in parts:
        count = int(parts["COUNT"])
        text = _("%(rule)s, %(times)s") % {"rule": text, "times": ngettext("%(n)d time", "%(n)d times", count) % {
            "n": count}}
    return text


def exdate_days(event) -> list[datetime.date]:
    return sorted(datetime.date.fromisoformat(day) for day in event.exdates or [])


# --- Occurrences --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Occurrence:
    """One time an event takes place: its days, and for a timed event its local start and end."""

    event: Any
    first_day: datetime.date
    last_day: datetime.date
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None

    @property
    def all_day(self) -> bool:
        return self.start is None

    @property
    def is_multi_day(self) -> bool:
        return self.last_day > self.first_day

    def covers(self, day: datetime.date) -> bool:
        return self.first_day <= day <= self.last_day

    @property
    def url(self) -> str:
        """Where the row links: the event's page, or the page of the module that provided it."""
        return getattr(self.event, "url", "") or reverse("calendar:detail", args=[self.event.pk])

    @property
    def sort_key(self):
        return (self.first_day, not self.all_day, self.start or datetime.datetime.min.replace(tzinfo=datetime.UTC),
                self.event.title, str(self.event.pk or 0).zfill(20))

    def _label(self, day_style: str) -> str:
        if self.all_day:
            if self.is_multi_day:
                return f"{dates.style(self.first_day, day_style)} – {dates.style(self.last_day, day_style)}"
            return dates.style(self.first_day, day_style)
        start, end = timezone.localtime(self.start), timezone.localtime(self.end)
        if self.is_multi_day:
            return (f"{dates.style(self.first_day, day_style)} {dates.style(start, 'time')} – "
                    f"{dates.style(self.last_day, day_style)} {dates.style(end, 'time')}")
        return f"{dates.style(self.first_day, day_style)}, {dates.style(start, 'time')}–{dates.style(end, 'time')}"

    @property
    def short_label(self) -> str:
        """"Tue 13 Oct, 08:30–09:15" or "Sat 17 Oct – Sun 25 Oct"."""
        return self._label("short")

    @property
    def full_label(self) -> str:
        """As ``short_label`` with the day and month written out and the year."""
        label = self._label("weekday_year")
        if self.all_day and not self.is_multi_day:
            label = _("%(day)s, all day") % {"day": label}
        return label

    @property
    def time_label(self) -> str:
        """What a row under a day heading says about the time."""
        if self.all_day:
            if self.is_multi_day:
                return _("until %(day)s") % {"day": dates.style(self.last_day, "short")}
            return _("all day")
        start, end = timezone.localtime(self.start), timezone.localtime(self.end)
        if self.is_multi_day:
            return _("%(start)s until %(day)s %(end)s") % {
                "start": dates.style(start, 'time'), "day": dates.style(self.last_day, "short"),
                "end": dates.style(end, "time")}
        return f"{dates.style(start, 'time')}–{dates.style(end, 'time')}"


def _occurrence(event, day: datetime.date) -> Occurrence:
    last = day + (event.ends_on - event.starts_on)
    if event.all_day:
        return Occurrence(event, day, last)
    zone = local_zone()
    return Occurrence(
        event, day, last,
        datetime.datetime.combine(day, event.start_time, tzinfo=zone),
        datetime.datetime.combine(last, event.end_time, tzinfo=zone),
    )


def first_occurrence(event) -> Occurrence:
    return _occurrence(event, event.starts_on)


def skips_days_off(event) -> bool:
    """A repeating event skips its school's vacations and study days unless it is marked "also
    during holidays"; a day off itself (a repeating study day, say) never skips. A board's
    event belongs to no one school and has no days off of its own."""
    return (
        bool(event.rrule)
        and not getattr(event, "during_holidays", False)
        and event.category not in OFF_CATEGORIES
        and getattr(event, "school_id", None) is not None
    )


def days_off_for(events, first_day: datetime.date, last_day: datetime.date) -> dict[int, set[datetime.date]]:
    """{school id: days off} for the schools of the events, through the kernel's days-off
    protocol (lib/days_off.py): one query whenever there are school events (whether or not one
    repeats, so a page costs the same queries with more data), none without. The schools' boards
    go along when the events carry their school (``select_related``): no look-up of them then."""
    school_ids = {event.school_id for event in events if event.school_id}
    boards = {
        event.school_id: event.school.board_id
        for event in events
        if event.school_id and _school_loaded(event)
    }
    return days_off_by_school(school_ids, first_day, last_day, boards=boards)


def _school_loaded(event) -> bool:
    descriptor = getattr(type(event), "school", None)
    return descriptor is not None and hasattr(descriptor, "is_cached") and descriptor.is_cached(event)


def skipped_days(event, days_off: dict[int, set[datetime.date]]) -> set[datetime.date]:
    """The days off an event's occurrences skip."""
    return days_off.get(event.school_id, set()) if skips_days_off(event) else set()


def days_off_hit(event, days_off: set[datetime.date]) -> list[datetime.date]:
    """The days of ``days_off`` on which the repeating event would take place (the agenda feed
    writes them as EXDATEs, so agendas skip what the pages skip)."""
    if not days_off or not event.rrule:
        return []
    rule = _rule(event.rrule, event.starts_on, event.start_time)
    first, last = min(days_off), max(days_off)
    window = (datetime.datetime.combine(first, datetime.time.min), datetime.datetime.combine(last, datetime.time.max))
    listed = {datetime.date.fromisoformat(day) for day in event.exdates or []}
    return sorted({m.date() for m in rule.between(*window, inc=True)} & set(days_off) - listed)


def occurrences(
    event, first_day: datetime.date, last_day: datetime.date, days_off: set[datetime.date] | frozenset = frozenset()
) -> list[Occurrence]:
    """The occurrences of ``event`` that cover a day from ``first_day`` to ``last_day``; a
    repeating event leaves out its exceptions and ``days_off`` (see ``skipped_days``)."""
    span = event.ends_on - event.starts_on
    if not event.rrule:
        days = [event.starts_on]
    else:
        rule = _rule(event.rrule, event.starts_on, event.start_time)
        skipped = {datetime.date.fromisoformat(day) for day in event.exdates or []} | set(days_off)
        window = (
            datetime.datetime.combine(first_day - span, datetime.time.min),
            datetime.datetime.combine(last_day, datetime.time.max),
        )
        days = [moment.date() for moment in rule.between(*window, inc=True) if moment.date() not in skipped]
    return [
        _occurrence(event, day) for day in days if day <= last_day and day + span >= first_day
    ]


def expand(
    events, first_day: datetime.date, last_day: datetime.date, days_off: dict[int, set[datetime.date]] | None = None
) -> list[Occurrence]:
    """Every occurrence of ``events`` between the two days, in order; repeating events skip
    their school's days off (looked up here in one query unless given)."""
    events = list(events)
    if days_off is None:
        days_off = days_off_for(events, first_day, last_day)
    found = [
        occurrence
        for event in events
        for occurrence in occurrences(event, first_day, last_day, skipped_days(event, days_off))
    ]
    return sorted(found, key=lambda o: o.sort_key)


@dataclass
class WeeklyItem:
    """A weekly activity of another module (gym, from the timetable) where a page expects an
    event: what the calendar's rows read of one."""

    entry: WeeklyEntry
    for_children: list = field(default_factory=list)
    cancelled: bool = False
    all_day: bool = False

    @property
    def pk(self) -> str:
        return self.entry.key

    @property
    def title(self) -> str:
        return self.entry.title

    @property
    def category(self) -> str:
        return self.entry.category

    @property
    def location(self) -> str:
        return self.entry.location

    @property
    def audience_label(self) -> str:
        return self.entry.group_name

    @property
    def url(self) -> str:
        return self.entry.url


def weekly_occurrences(
    items: list[WeeklyItem], first_day: datetime.date, last_day: datetime.date, days_off: dict[int, set[datetime.date]]
) -> list[Occurrence]:
    """The occurrences of weekly activities between the two days, skipping their school's days off."""
    zone = local_zone()
    return [
        Occurrence(
            item, day, day,
            datetime.datetime.combine(day, item.entry.starts_at, tzinfo=zone),
            datetime.datetime.combine(day, item.entry.ends_at, tzinfo=zone),
        )
        for item in items
        for day in weekly_days(item.entry, first_day, last_day, days_off.get(item.entry.school_id, set()))
    ]


def by_day(found: list[Occurrence], first_day: datetime.date, last_day: datetime.date) -> dict:
    """{day: [occurrences covering that day]} for every day of the range."""
    days = {first_day + datetime.timedelta(n): [] for n in range((last_day - first_day).days + 1)}
    for occurrence in found:
        day = max(occurrence.first_day, first_day)
        while day <= min(occurrence.last_day, last_day):
            days[day].append(occurrence)
            day += datetime.timedelta(days=1)
    return days
