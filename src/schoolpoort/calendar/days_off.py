"""The school's vacations as its calendar has them, for other modules' working-day counts (found
by name through lib/days_off.py): events of the category "vacation" for the school or its board,
not cancelled. One query."""

from __future__ import annotations

import datetime

from django.db.models import Q

from .models import Event


def days_off(school, first: datetime.date, last: datetime.date) -> set[datetime.date]:
    spans = (
        Event.objects.filter(category="vacation", cancelled=False, starts_on__lte=last, ends_on__gte=first)
        .filter(Q(audience="school", school_id=school.pk) | Q(audience="board", board_id=school.board_id))
        .values_list("starts_on", "ends_on")
    )
    days: set[datetime.date] = set()
    for starts_on, ends_on in spans:
        day = max(starts_on, first)
        while day <= min(ends_on, last):
            days.add(day)
            day += datetime.timedelta(days=1)
    return days
