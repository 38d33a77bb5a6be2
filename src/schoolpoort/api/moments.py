"""A moment a caller gives (``?since=``): any ISO 8601 date and time, read in the school's time
zone when it names none. A moment the database cannot hold (an offset beyond ±14 hours, a year
before 1900 or after 9000) is refused with a 422 that says why, rather than failing in the query."""

from __future__ import annotations

import datetime
from typing import Annotated

from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import AfterValidator, Field

LARGEST_OFFSET = datetime.timedelta(hours=14)  # UTC+14, Kiribati: the largest in use


def _storable(value: datetime.datetime) -> datetime.datetime:
    if not 1900 <= value.year <= 9000:
        raise ValueError(_("Give a moment between the years 1900 and 9000."))
    if value.tzinfo is None:
        value = timezone.make_aware(value)
    elif abs(value.utcoffset()) > LARGEST_OFFSET:
        raise ValueError(_("Give a time zone offset between -14:00 and +14:00."))
    return value.astimezone(datetime.UTC)


Moment = Annotated[datetime.datetime, AfterValidator(_storable)]


def clock(value: datetime.time | None) -> str | None:
    """A time of day as the API answers it: "08:30", the school's local time. (JSON Schema's
    ``time`` format wants an offset, which a time of a school day has not.)"""
    return value.isoformat(timespec="minutes") if value is not None else None


ClockTime = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", examples=["08:30"])]
