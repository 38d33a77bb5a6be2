"""School days and school vacations, for the leave rules: which days count as school days, and when
the summer vacation of a region ends.

The vacation dates are the government's (Rijksoverheid) as kept in the calendar app's data file;
this module reads that file (data, not code: the apps stay independent) and works without it, for
a school year the file does not have, with weekdays and public holidays only."""

from __future__ import annotations

import datetime
import json
from functools import cache
from pathlib import Path

from dateutil.easter import easter

VACATIONS_FILE = Path(__file__).resolve().parent.parent / "core" / "data" / "schoolvakanties.json"


@cache
def _vacation_data() -> dict:
    try:
        return json.loads(VACATIONS_FILE.read_text(encoding="utf-8"))["school_years"]
    except (OSError, ValueError, KeyError):
        return {}


def school_year_name(day: datetime.date) -> str:
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}-{first + 1}"


def vacations(school_year: str, region: str) -> list[tuple[str, datetime.date, datetime.date]]:
    """(key, first day, last day) of the vacations of a school year in a region; empty when unknown."""
    rows = _vacation_data().get(school_year, [])
    result = []
    for row in rows:
        if region in row:
            first, last = (datetime.date.fromisoformat(value) for value in row[region])
            result.append((row["key"], first, last))
    return result


def summer_vacation_end(school_year: str, region: str) -> datetime.date | None:
    """The last day of the summer vacation before ``school_year`` (it is in the previous school
    year's list), or None when unknown."""
    first = int(school_year[:4])
    previous = f"{first - 1}-{first}"
    for key, _first_day, last_day in vacations(previous, region):
        if key == "zomervakantie":
            return last_day
    return None


def first_school_weeks(school_year: str, region: str, weeks: int = 2) -> tuple[datetime.date, datetime.date] | None:
    """The first ``weeks`` weeks of the school year after the summer vacation, or None when unknown."""
    end = summer_vacation_end(school_year, region)
    if end is None:
        return None
    first = end + datetime.timedelta(days=1)
    return first, first + datetime.timedelta(days=7 * weeks - 1)


@cache
def public_holidays(year: int) -> frozenset[datetime.date]:
    """Dutch public holidays on which schools are closed (Liberation Day falls in the May vacation)."""
    easter_sunday = easter(year)
    kings_day = datetime.date(year, 4, 27)
    if kings_day.weekday() == 6:  # on a Sunday it moves to the Saturday before
        kings_day -= datetime.timedelta(days=1)
    return frozenset({
        datetime.date(year, 1, 1),
        easter_sunday + datetime.timedelta(days=1),  # Easter Monday
        kings_day,
        easter_sunday + datetime.timedelta(days=39),  # Ascension Day
        easter_sunday + datetime.timedelta(days=50),  # Whit Monday
        datetime.date(year, 12, 25),
        datetime.date(year, 12, 26),
    })


def _vacation_days(first: datetime.date, last: datetime.date, region: str) -> set[datetime.date]:
    days: set[datetime.date] = set()
    for year in {school_year_name(first), school_year_name(last)}:
        for _key, start, end in vacations(year, region):
            day = max(start, first)
            while day <= min(end, last):
                days.add(day)
                day += datetime.timedelta(days=1)
    return days


def school_days(first: datetime.date, last: datetime.date, region: str) -> int:
    """School days from ``first`` to ``last`` (inclusive): weekdays outside the school vacations of
    the region and the public holidays."""
    if last < first:
        return 0
    off = _vacation_days(first, last, region)
    count, day = 0, first
    while day <= last:
        if day.weekday() < 5 and day not in off and day not in public_holidays(day.year):
            count += 1
        day += datetime.timedelta(days=1)
    return count


def full_school_week(from_day: datetime.date, region: str) -> tuple[datetime.date, datetime.date]:
    """The first Monday to Friday from ``from_day`` on with five school days, outside the first two
    weeks of a school year: a week that holiday leave may be asked for (the demo's, the tests')."""
    monday = from_day + datetime.timedelta(days=(7 - from_day.weekday()) % 7)
    for _week in range(60):
        friday = monday + datetime.timedelta(days=4)
        weeks = first_school_weeks(school_year_name(monday), region)
        in_first_weeks = weeks is not None and monday <= weeks[1] and friday >= weeks[0]
        if school_days(monday, friday, region) == 5 and not in_first_weeks:
            return monday, friday
        monday += datetime.timedelta(days=7)
    return monday, monday + datetime.timedelta(days=4)
