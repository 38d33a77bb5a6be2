"""What bumps the albums version of the cached home block (``access.cached_part``, albums/home.py):
every save and delete of an album, a photo and a photo's tag. Code that writes these rows around
the signals (``queryset.update()``, ``bulk_create``: publishing, a photo made ready, tagging)
calls ``versions.content_changed("albums")`` itself."""

from __future__ import annotations

from schoolpoort.core.versions import bump_on_writes

from .models import Album, Photo, PhotoTag


def connect() -> None:
    bump_on_writes("albums", models=(Album, Photo, PhotoTag))
