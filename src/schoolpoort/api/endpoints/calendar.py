"""The calendar: every occurrence of the events the caller may see in a window of days, repeating
events expanded and skipping days off, as on the calendar pages (calendar.views.calendar_scope)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from schoolpoort.calendar import recurrence
from schoolpoort.calendar.views import calendar_scope

from ..errors import ERRORS

router = Router(tags=["calendar"])
MAX_DAYS = 366


class OccurrenceOut(Schema):
    event_id: int
    uid: str
    title: str
    description: str
    location: str
    category: str
    audience: str
    school_id: int | None
    all_day: bool
    first_day: datetime.date
    last_day: datetime.date
    start: datetime.datetime | None
    end: datetime.datetime | None
    cancelled: bool
    url: str


class OccurrenceList(Schema):
    items: list[OccurrenceOut]


@router.get("/calendar/events", response={200: OccurrenceList, **ERRORS}, url_name="calendar_events",
            summary="Events in a window of days")
def calendar_events(request, start: datetime.date | None = None, end: datetime.date | None = None):
    """From ``start`` (default today) to ``end`` (default 30 days on), both included; at most a year."""
    request.auth.require("calendar:read")
    start = start or timezone.localdate()
    end = end or start + datetime.timedelta(days=30)
    if end < start or (end - start).days > MAX_DAYS:
        raise HttpError(400, _("Choose an end on or after the start, at most a year later."))
    scope = calendar_scope(request)
    found = recurrence.expand(scope.fetch(start, end), start, end)
    return {"items": [
        {
            "event_id": o.event.pk, "uid": str(o.event.uid), "title": o.event.title,
            "description": o.event.description, "location": o.event.location, "category": o.event.category,
            "audience": o.event.audience, "school_id": o.event.school_id, "all_day": o.all_day,
            "first_day": o.first_day, "last_day": o.last_day, "start": o.start, "end": o.end,
            "cancelled": o.event.cancelled, "url": settings.SITE_URL + o.url,
        }
        for o in sorted(found, key=lambda o: o.sort_key)
    ]}
