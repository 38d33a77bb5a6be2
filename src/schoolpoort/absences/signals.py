"""What bumps the absences version of the cached home block (``access.cached_part``,
absences/home.py): every save and delete of an absence and of the school's absence settings.
Confirming an absence writes around the signals (``update()``) and bumps itself."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from schoolpoort.core.versions import content_changed

from .models import Absence, AbsenceSettings

TOPIC = "absences"


def _everyone(sender, **kwargs) -> None:
    content_changed(TOPIC)


def connect() -> None:
    for model in (Absence, AbsenceSettings):
        post_save.connect(_everyone, sender=model, dispatch_uid=f"absences-save-{model.__name__}")
        post_delete.connect(_everyone, sender=model, dispatch_uid=f"absences-delete-{model.__name__}")
