"""What bumps the albums version of the cached home block (``access.cached_part``, albums/home.py):
every save and delete of an album, a photo and a photo's tag. Code that writes these rows around
the signals (``queryset.update()``, ``bulk_create``: publishing, a photo made ready, tagging)
calls ``versions.content_changed("albums")`` itself."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from schoolpoort.core.versions import content_changed

from .models import Album, Photo, PhotoTag

TOPIC = "albums"


def _everyone(sender, **kwargs) -> None:
    content_changed(TOPIC)


def connect() -> None:
    for model in (Album, Photo, PhotoTag):
        post_save.connect(_everyone, sender=model, dispatch_uid=f"albums-save-{model.__name__}")
        post_delete.connect(_everyone, sender=model, dispatch_uid=f"albums-delete-{model.__name__}")
