"""The date and time styles of every page, e-mail, notification and file: one name per style, so a
style is changed here once and nowhere else. Aware datetimes are shown in the school's time zone
(Europe/Amsterdam, settings.TIME_ZONE).

    style      Dutch                          English
    short      di 8 dec.                      Tue 8 Dec
    weekday    dinsdag 8 december             Tuesday 8 December
    day        8 december 2026                8 December 2026
    day_time   8 december 2026 om 10:30       8 December 2026 at 10:30
    time       10:30                          10:30
    long       dinsdag 8 december (+ the year when the day is outside the current school year)
    relative   vandaag / morgen / gisteren, else as "long"

Weekday and month names are lower case in Dutch, as they are mid-sentence. Where a date starts a
sentence or a heading, capitalise it explicitly: ``{{ day|when:"weekday"|capfirst }}`` in a
template, ``dates.style(day, "weekday", start=True)`` in Python (never CSS text-transform, which
screen readers and copies do not see).

Python: ``dates.style(value, "day")``; templates: ``{% load dates %}{{ value|when:"day" }}``.
Machine formats (ISO 8601 in ``<time datetime>``, URLs, CSV, iCalendar) are not styles: they use
``|date:"c"``, ``|date:"Y-m-d"`` or ``isoformat()``.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext, pgettext_lazy

# Django's format character "N" is the abbreviated month; our nl catalogue writes it the Dutch way
# ("jan.", "mrt.", "mei", "dec."). These lines keep those msgids in the catalogue (makemessages).
DUTCH_ABBREVIATED_MONTHS = [
    pgettext_lazy("abbrev. month", "Jan."), pgettext_lazy("abbrev. month", "Feb."),
    pgettext_lazy("abbrev. month", "March"), pgettext_lazy("abbrev. month", "April"),
    pgettext_lazy("abbrev. month", "May"), pgettext_lazy("abbrev. month", "June"),
    pgettext_lazy("abbrev. month", "July"), pgettext_lazy("abbrev. month", "Aug."),
    pgettext_lazy("abbrev. month", "Sept."), pgettext_lazy("abbrev. month", "Oct."),
    pgettext_lazy("abbrev. month", "Nov."), pgettext_lazy("abbrev. month", "Dec."),
]

# Per language: style → Django date format. Backslash-escaped letters are literal ("om", "at").
FORMATS: dict[str, dict[str, str]] = {
    "nl": {
        "short": "D j N",  # di 8 dec.
        "short_time": r"D j N \o\m H:i",  # di 8 dec. om 10:30
        "day_month_short": "j N",  # 8 dec.
        "day": "j F Y",  # 8 december 2026
        "day_time": r"j F Y \o\m H:i",  # 8 december 2026 om 10:30
        "day_month": "j F",  # 8 december
        "day_month_time": r"j F \o\m H:i",  # 8 december om 10:30
        "weekday": "l j F",  # dinsdag 8 december
        "weekday_year": "l j F Y",  # dinsdag 8 december 2026
        "weekday_time": r"l j F \o\m H:i",  # dinsdag 8 december om 10:30
        "weekday_year_time": r"l j F Y \o\m H:i",  # dinsdag 8 december 2026 om 10:30
        "compact": "j N Y",  # 8 dec. 2026 (tables)
        "compact_time": r"j N Y \o\m H:i",  # 8 dec. 2026 om 10:30
        "month": "F Y",  # december 2026
        "month_name": "F",  # december
        "weekday_name": "l",  # dinsdag
        "weekday_abbr": "D",  # di
        "time": "H:i",  # 10:30
        "at_time": r"\o\m H:i",  # om 10:30 (after "vandaag")
        "numeric": "j-n-Y",  # 8-12-2026
        "day_month_numeric": "j-n",  # 8-12 (chart axes)
        "sortable": "Y-m-d H:i",  # 2026-12-08 10:30 (CSV exports and transcripts: sorts as text)
        "formal": "j F Y",  # as a letter writes a date
    },
    "en": {
        "short": "D j M",  # Tue 8 Dec
        "short_time": r"D j M \a\t H:i",  # Tue 8 Dec at 10:30
        "day_month_short": "j M",  # 8 Dec
        "day": "j F Y",  # 8 December 2026
        "day_time": r"j F Y \a\t H:i",  # 8 December 2026 at 10:30
        "day_month": "j F",  # 8 December
        "day_month_time": r"j F \a\t H:i",  # 8 December at 10:30
        "weekday": "l j F",  # Tuesday 8 December
        "weekday_year": "l j F Y",  # Tuesday 8 December 2026
        "weekday_time": r"l j F \a\t H:i",  # Tuesday 8 December at 10:30
        "weekday_year_time": r"l j F Y \a\t H:i",  # Tuesday 8 December 2026 at 10:30
        "compact": "j M Y",  # 8 Dec 2026
        "compact_time": r"j M Y \a\t H:i",  # 8 Dec 2026 at 10:30
        "month": "F Y",  # December 2026
        "month_name": "F",  # December
        "weekday_name": "l",  # Tuesday
        "weekday_abbr": "D",  # Tue
        "time": "H:i",  # 10:30
        "at_time": r"\a\t H:i",  # at 10:30 (after "today")
        "numeric": "d/m/Y",  # 08/12/2026
        "day_month_numeric": "j/n",  # 8/12
        "sortable": "Y-m-d H:i",  # 2026-12-08 10:30
        "formal": "j F Y",  # 8 December 2026
    },
}
STYLES = FORMATS["en"]  # the names of the styles; "long" and "relative" below choose among them
SMART = ("long", "long_time", "relative", "relative_time")


def school_year_of(day: datetime.date) -> int:
    """The first calendar year of the (Dutch) school year of ``day``: it runs from 1 August."""
    return day.year if day.month >= 8 else day.year - 1


def _formats() -> dict[str, str]:
    language = (get_language() or "nl").split("-")[0]
    return FORMATS.get(language, FORMATS["en"])


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _smart(value, name: str, today: datetime.date) -> str:
    day = value.date() if isinstance(value, datetime.datetime) else value
    with_time = name.endswith("_time") and isinstance(value, datetime.datetime)
    if name.startswith("relative"):
        words = {0: gettext("today"), 1: gettext("tomorrow"), -1: gettext("yesterday")}
        word = words.get((day - today).days)
        if word:
            return f"{word} {date_format(value, _formats()['at_time'])}" if with_time else word
    base = "weekday" if school_year_of(day) == school_year_of(today) else "weekday_year"
    return date_format(value, _formats()[f"{base}_time" if with_time else base])


def style(value: datetime.date | datetime.datetime | None, name: str, *, start: bool = False,
          today: datetime.date | None = None) -> str:
    """``value`` in the style ``name`` (a key of FORMATS, or "long", "long_time", "relative",
    "relative_time"), in the active language and the school's time zone; "" for None.
    ``start=True`` capitalises the first letter, for a date that begins a sentence or heading."""
    if value is None or value == "":
        return ""
    value = _local(value)
    if isinstance(value, datetime.time):  # a time of day: only the time styles apply
        text = time_format(value, _formats()[name])
    elif name in SMART:
        text = _smart(value, name, today or timezone.localdate())
    else:
        text = date_format(value, _formats()[name])
    return capfirst(text) if start else text
