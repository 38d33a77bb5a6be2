"""What bumps the calendar version of the cached home blocks (``access.cached_part``: the calendar's
next events and the timetable's reminders, which skip the days off): every save and delete of an
event and every change of its groups."""

from __future__ import annotations

from schoolpoort.core.versions import bump_on_writes

from .models import Event


def connect() -> None:
    bump_on_writes("calendar", models=(Event,), m2m=(Event.groups.through,))
