"""The school's days off as its calendar has them (found by name through lib/days_off.py):
events of the categories vacation, study day and day off for the school or its board, not
cancelled. One query, for one school or for many."""

from __future__ import annotations

import datetime

from django.db.models import Q

from schoolpoort.core.models import School

from .models import Event
from .recurrence import OFF_CATEGORIES


def days_off(school, first: datetime.date, last: datetime.date) -> set[datetime.date]:
    return days_off_by_school([school.pk], first, last, boards={school.pk: school.board_id})[school.pk]


def days_off_by_school(
    school_ids, first: datetime.date, last: datetime.date, boards: dict[int, int] | None = None
) -> dict[int, set[datetime.date]]:
    """{school id: days off}; the schools' boards come from a subquery unless given."""
    ids = list(school_ids)
    found: dict[int, set[datetime.date]] = {pk: set() for pk in ids}
    if not ids:
        return found
    board_q = Q(board_id__in=list(set(boards.values()))) if boards is not None else Q(
        board_id__in=School.objects.filter(pk__in=ids).values("board_id")
    )
    spans = (
        Event.objects.filter(category__in=OFF_CATEGORIES, cancelled=False, starts_on__lte=last, ends_on__gte=first)
        .filter(Q(audience="school", school_id__in=ids) | (Q(audience="board") & board_q))
        .values_list("school_id", "board_id", "starts_on", "ends_on")
    )
    board_of = boards
    rows = list(spans)
    if boards is None and any(row[1] is not None for row in rows):
        board_of = dict(School.objects.filter(pk__in=ids).values_list("pk", "board_id"))
    return days_of_spans(rows, board_of or {}, first, last, found)


def is_day_off(event) -> bool:
    """An event that makes its school's (or its board's) days off: what the query above reads."""
    return event.category in OFF_CATEGORIES and not event.cancelled and event.audience in ("school", "board")


def days_of_spans(rows, board_of: dict[int, int], first: datetime.date, last: datetime.date,
                  found: dict[int, set[datetime.date]]) -> dict[int, set[datetime.date]]:
    """Adds to ``found`` ({school id: days}) the days from ``first`` to ``last`` of each
    (school id, board id, starts_on, ends_on) of ``rows``: a board's span to each of its schools."""
    for school_id, board_id, starts_on, ends_on in rows:
        if school_id is not None:
            targets = [school_id] if school_id in found else []
        else:
            targets = [pk for pk in found if board_of.get(pk) == board_id]
        day = max(starts_on, first)
        while day <= min(ends_on, last):
            for target in targets:
                found[target].add(day)
            day += datetime.timedelta(days=1)
    return found
