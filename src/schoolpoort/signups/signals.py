"""What bumps the sign-ups version of the cached home block (``access.cached_part``,
signups/home.py): every save and delete of a form and of a response. Publishing writes around the
signals (``update()``) and bumps itself; the places taken (``Option.taken``) are not on the block."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from schoolpoort.core.versions import content_changed

from .models import Form, Response

TOPIC = "signups"


def _everyone(sender, **kwargs) -> None:
    content_changed(TOPIC)


def connect() -> None:
    for model in (Form, Response):
        post_save.connect(_everyone, sender=model, dispatch_uid=f"signups-save-{model.__name__}")
        post_delete.connect(_everyone, sender=model, dispatch_uid=f"signups-delete-{model.__name__}")
