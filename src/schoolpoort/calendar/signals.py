"""What bumps the calendar version of the cached home blocks (``access.cached_part``: the calendar's
next events and the timetable's reminders, which skip the days off): every save and delete of an
event and every change of its groups."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from schoolpoort.core.versions import content_changed

from .models import Event

TOPIC = "calendar"


def _everyone(sender, **kwargs) -> None:
    content_changed(TOPIC)


def _groups_changed(sender, action, **kwargs) -> None:
    if action.startswith("post_"):
        content_changed(TOPIC)


def connect() -> None:
    post_save.connect(_everyone, sender=Event, dispatch_uid="calendar-save-Event")
    post_delete.connect(_everyone, sender=Event, dispatch_uid="calendar-delete-Event")
    m2m_changed.connect(_groups_changed, sender=Event.groups.through, dispatch_uid="calendar-groups")
