"""Events for tests: ``make_event`` says only what matters and fills in the rest."""

import datetime

from django.utils import timezone

from schoolpoort.calendar.models import Event
from schoolpoort.calendar.recurrence import normalise_rrule


def soon(days: int = 7) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def make_event(*, school=None, board=None, groups=(), **fields) -> Event:
    """A saved event; the audience follows from what is given: a board, groups, or a school."""
    fields.setdefault("title", "Event")
    fields.setdefault("starts_on", soon())
    fields.setdefault("ends_on", fields["starts_on"])
    if "start_time" in fields:
        fields.setdefault("end_time", (datetime.datetime.combine(fields["starts_on"], fields["start_time"])
                                       + datetime.timedelta(hours=1)).time())
        fields["all_day"] = False
    else:
        fields["all_day"] = True
    if fields.get("rrule"):
        fields["rrule"] = normalise_rrule(fields["rrule"])
    if board is not None:
        audience = Event.Audience.BOARD
    elif groups:
        audience = Event.Audience.GROUPS
        school = school or groups[0].school
    else:
        audience = Event.Audience.SCHOOL
    event = Event.objects.create(audience=audience, board=board, school=school, **fields)
    if groups:
        event.groups.set(groups)
    return event
