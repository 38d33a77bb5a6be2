"""What bumps the timetable version of the cached home block (``access.cached_part``,
timetable/home.py): every save and delete of a timetable entry."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from schoolpoort.core.versions import content_changed

from .models import TimetableEntry

TOPIC = "timetable"


def _everyone(sender, **kwargs) -> None:
    content_changed(TOPIC)


def connect() -> None:
    post_save.connect(_everyone, sender=TimetableEntry, dispatch_uid="timetable-save-TimetableEntry")
    post_delete.connect(_everyone, sender=TimetableEntry, dispatch_uid="timetable-delete-TimetableEntry")
