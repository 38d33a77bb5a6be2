"""A school's days off (vacations, study days) as the modules that know them say: an app with a
``days_off.py`` defining ``days_off(school, first, last) -> set[date]`` is asked by name (the
calendar answers from its vacation and study-day events). Without such an app, no day is off.

``days_off_by_school`` asks for many schools at once (a page with events of several schools):
a provider that defines ``days_off_by_school(school_ids, first, last)`` answers in one query;
one that does not is asked school by school."""

from __future__ import annotations

import datetime
import sys
from collections.abc import Iterable

from .providers import module_hooks


def days_off(school, first: datetime.date, last: datetime.date) -> set[datetime.date]:
    days: set[datetime.date] = set()
    for provider in module_hooks("days_off", "days_off"):
        days |= provider(school, first, last)
    return days


def days_off_by_school(
    school_ids: Iterable[int], first: datetime.date, last: datetime.date
) -> dict[int, set[datetime.date]]:
    """{school id: its days off from ``first`` to ``last``} for every id given (empty sets too)."""
    ids = sorted(set(school_ids))
    found: dict[int, set[datetime.date]] = {pk: set() for pk in ids}
    if not ids:
        return found
    for provider in module_hooks("days_off", "days_off"):
        many = getattr(sys.modules[provider.__module__], "days_off_by_school", None)
        if many is not None:
            for pk, days in many(ids, first, last).items():
                found.setdefault(pk, set()).update(days)
            continue
        from django.apps import apps  # a provider that answers school by school

        for school in apps.get_model("core", "School").objects.filter(pk__in=ids):
            found[school.pk] |= provider(school, first, last)
    return found
