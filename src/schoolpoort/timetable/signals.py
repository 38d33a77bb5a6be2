"""What bumps the timetable version of the cached home block (``access.cached_part``,
timetable/home.py): every save and delete of a timetable entry."""

from __future__ import annotations

from schoolpoort.core.versions import bump_on_writes

from .models import TimetableEntry


def connect() -> None:
    bump_on_writes("timetable", models=(TimetableEntry,))
