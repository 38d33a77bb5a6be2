"""What bumps the conferences version of the cached home block (``access.cached_part``,
conferences/home.py): every save and delete of a round (and its groups), a conversation evening
and a booking. Booking writes its rows in bulk (``booking.book``) and bumps itself."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from schoolpoort.core.versions import content_changed

from .models import Booking, Round, Session

TOPIC = "conferences"


def _everyone(sender, **kwargs) -> None:
    content_changed(TOPIC)


def _groups_changed(sender, action, **kwargs) -> None:
    if action.startswith("post_"):
        content_changed(TOPIC)


def connect() -> None:
    for model in (Round, Session, Booking):
        post_save.connect(_everyone, sender=model, dispatch_uid=f"conferences-save-{model.__name__}")
        post_delete.connect(_everyone, sender=model, dispatch_uid=f"conferences-delete-{model.__name__}")
    m2m_changed.connect(_groups_changed, sender=Round.groups.through, dispatch_uid="conferences-groups")
