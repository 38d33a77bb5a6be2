"""A school's days off (vacations, study days) as the modules that know them say: an app with a
``days_off.py`` defining ``days_off(school, first, last) -> set[date]`` is asked by name (the
calendar answers from its vacation and study-day events). Without such an app, no day is off.

``days_off_by_school`` asks for many schools at once (a page with events of several schools):
a provider that defines ``days_off_by_school(school_ids, first, last, boards=None)`` answers in
one query; one that does not is asked school by school. ``boards`` ({school id: board id}), when
the caller has the schools at hand, spares the provider a look-up of the boards.

Within a request (``RememberDaysOffMiddleware``) an answer is kept: a later question about the
same schools in a window inside an earlier one (the home page's timetable reminders after its
calendar block) costs no query. Days off change by hand, a few times a year; a page that
changes them redirects, and the next request asks again."""

from __future__ import annotations

import datetime
import sys
from collections.abc import Iterable
from contextvars import ContextVar

from .providers import module_hooks

# (school ids, first, last, answer) of this request; None outside a request (tasks ask anew)
_answers: ContextVar[list | None] = ContextVar("schoolpoort_days_off", default=None)


class RememberDaysOffMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _answers.set([])
        try:
            return self.get_response(request)
        finally:
            _answers.reset(token)


def days_off(school, first: datetime.date, last: datetime.date) -> set[datetime.date]:
    days: set[datetime.date] = set()
    for provider in module_hooks("days_off", "days_off"):
        days |= provider(school, first, last)
    return days


def days_off_by_school(
    school_ids: Iterable[int], first: datetime.date, last: datetime.date, *, boards: dict[int, int] | None = None
) -> dict[int, set[datetime.date]]:
    """{school id: its days off from ``first`` to ``last``} for every id given (empty sets too)."""
    ids = sorted(set(school_ids))
    if not ids:
        return {}
    answers = _answers.get()
    for known_ids, known_first, known_last, known in answers or ():
        if known_first <= first and last <= known_last and known_ids.issuperset(ids):
            return {pk: {day for day in known[pk] if first <= day <= last} for pk in ids}
    found = _ask(ids, first, last, boards)
    if answers is not None:
        answers.append((frozenset(ids), first, last, found))
    return {pk: set(days) for pk, days in found.items()}


def remember(school_ids: Iterable[int], first: datetime.date, last: datetime.date,
             found: dict[int, set[datetime.date]]) -> None:
    """Keeps days off that a page read along with its own rows (the home page's calendar block)
    for the rest of the request, as if ``days_off_by_school`` had asked them."""
    answers = _answers.get()
    if answers is not None:
        ids = frozenset(school_ids)
        answers.append((ids, first, last, {pk: set(found.get(pk, ())) for pk in ids}))


def _ask(ids: list[int], first, last, boards) -> dict[int, set[datetime.date]]:
    found: dict[int, set[datetime.date]] = {pk: set() for pk in ids}
    for provider in module_hooks("days_off", "days_off"):
        many = getattr(sys.modules[provider.__module__], "days_off_by_school", None)
        if many is not None:
            hint = {"boards": boards} if boards is not None and set(boards) >= set(ids) else {}
            for pk, days in many(ids, first, last, **hint).items():
                found.setdefault(pk, set()).update(days)
            continue
        from django.apps import apps  # a provider that answers school by school

        for school in apps.get_model("core", "School").objects.filter(pk__in=ids):
            found[school.pk] |= provider(school, first, last)
    return found
