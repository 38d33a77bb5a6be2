"""Weekly school activities on the calendar: gym on Tuesday and Thursday at 10:30 lives in the
timetable, and the calendar shows it (pages, home page, agenda feed) without the two importing
each other. An app with a ``calendar_weekly.py`` module that defines
``weekly_entries(user, group_ids=None) -> list[WeeklyEntry]`` is found by name; a provider returns
only what ``user`` may see (``group_ids`` narrows it to those groups, for one child's calendar).

Days off are skipped here, once, for every asker: ``weekly_days`` leaves out the school's
vacations and study days (lib/days_off.py) and the days outside the entry's school year."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from .providers import module_hooks


@dataclass(frozen=True)
class WeeklyEntry:
    """One weekly activity of a group. ``key`` stays the same for ever ("timetable.entry:12");
    ``url`` is a path on this site that the user may open."""

    key: str
    title: str
    school_id: int
    group_id: int
    group_name: str
    weekday: int  # 0 = Monday
    starts_at: datetime.time
    ends_at: datetime.time
    first_day: datetime.date  # the school year of the group
    last_day: datetime.date
    url: str
    description: str = ""
    location: str = ""
    category: str = "sports"
    updated_at: datetime.datetime | None = None


def weekly_entries(user, group_ids: Iterable[int] | None = None) -> list[WeeklyEntry]:
    """``group_ids``: ids, or a queryset of ids (then the provider reads it as a subquery)."""
    entries: list[WeeklyEntry] = []
    for provider in module_hooks("calendar_weekly", "weekly_entries"):
        entries.extend(provider(user, group_ids=group_ids))
    return entries


def weekly_days(
    entry: WeeklyEntry, first: datetime.date, last: datetime.date, days_off: set[datetime.date]
) -> list[datetime.date]:
    """The days from ``first`` to ``last`` on which the entry takes place."""
    day = max(first, entry.first_day)
    day += datetime.timedelta(days=(entry.weekday - day.weekday()) % 7)
    found = []
    while day <= min(last, entry.last_day):
        if day not in days_off:
            found.append(day)
        day += datetime.timedelta(days=7)
    return found
