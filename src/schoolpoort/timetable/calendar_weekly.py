"""The timetable on the calendar (found by name through lib/weekly.py): every entry of the
current groups the user sees, as a weekly activity the calendar shows on its pages and in the
agenda feed. One query. The timetable is the one source: change gym here and the calendar follows."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.text import capfirst

from schoolpoort.lib.weekly import WeeklyEntry

from .models import TimetableEntry

DEFAULT_LENGTH = datetime.timedelta(minutes=45)  # an entry without an end time


def _end(entry: TimetableEntry) -> datetime.time:
    if entry.ends_at:
        return entry.ends_at
    end = datetime.datetime.combine(datetime.date(2000, 1, 3), entry.starts_at) + DEFAULT_LENGTH
    return min(end, datetime.datetime.combine(datetime.date(2000, 1, 3), datetime.time(23, 59))).time()


def weekly_entries(user, group_ids=None) -> list[WeeklyEntry]:
    entries = TimetableEntry.objects.visible_to(user).select_related("group__school_year")
    if group_ids is not None:
        entries = entries.filter(group_id__in=group_ids)
    return [
        WeeklyEntry(
            key=f"timetable.entry:{entry.pk}",
            title=capfirst(entry.title),
            school_id=entry.group.school_id,
            group_id=entry.group_id,
            group_name=entry.group.name,
            weekday=entry.weekday,
            starts_at=entry.starts_at,
            ends_at=_end(entry),
            first_day=entry.group.school_year.starts_on,
            last_day=entry.group.school_year.ends_on,
            url=reverse("timetable:group", args=[entry.group_id]),
            description=entry.reminder,
            category="sports" if entry.activity in ("gym", "swimming") else "other",
            updated_at=entry.updated_at,
        )
        for entry in entries.order_by("weekday", "starts_at", "pk")
    ]
