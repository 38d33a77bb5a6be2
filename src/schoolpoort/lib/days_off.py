"""A school's days off (vacations, study days) as the modules that know them say: an app with a
``days_off.py`` defining ``days_off(school, first, last) -> set[date]`` is asked by name (the
calendar answers from its vacation events). Without such an app, no day is off."""

from __future__ import annotations

import datetime

from .providers import module_hooks


def days_off(school, first: datetime.date, last: datetime.date) -> set[datetime.date]:
    days: set[datetime.date] = set()
    for provider in module_hooks("days_off", "days_off"):
        days |= provider(school, first, last)
    return days
