"""The date and time styles of every page, e-mail and file: one name per style, so a style is
changed here once and nowhere else. In Dutch, "day" reads "8 december 2026" and "weekday"
"dinsdag 8 december"; aware datetimes are shown in the school's time zone (Europe/Amsterdam).

Python: ``dates.style(value, "day")``; templates: ``{% load dates %}{{ value|when:"day" }}``."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.formats import date_format

STYLES = {
    "day": "j F Y",  # 8 december 2026
    "day_time": "j F Y, H:i",  # 8 december 2026, 10:30
    "day_month": "j F",  # 8 december
    "day_month_time": "j F, H:i",  # 8 december, 10:30
    "weekday": "l j F",  # dinsdag 8 december
    "weekday_year": "l j F Y",  # dinsdag 8 december 2026
    "weekday_time": "l j F, H:i",  # dinsdag 8 december, 10:30
    "weekday_year_time": "l j F Y, H:i",
    "short": "D j M",  # di 8 dec
    "short_time": "D j M H:i",  # di 8 dec 10:30
    "compact": "j M Y",  # 8 dec 2026 (tables)
    "compact_time": "j M Y, H:i",
    "month": "F Y",  # december 2026
    "time": "H:i",  # 10:30
    "numeric": "SHORT_DATE_FORMAT",  # 08-12-2026
    "formal": "DATE_FORMAT",  # as the language writes a date in a letter
}


def style(value: datetime.date | datetime.datetime | None, name: str) -> str:
    """``value`` in the style ``name`` (a key of STYLES), in the active language; "" for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, STYLES[name])
