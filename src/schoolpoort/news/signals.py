"""What bumps the news version of the cached feed (``access.cached_part``, news/views.py): every
save and delete of a post, its groups and its files, and a user's own read marks. Code that
writes these rows around the signals (``queryset.update()`` of what a card shows,
``bulk_create``) calls ``versions.content_changed("news")`` itself; ``update()`` of the
notification moments (``notified_at``, ``reminded_at``) needs none: no card shows them. A change
of a user's name shows on the cards of their posts within the reach cache's seconds."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from schoolpoort.core.versions import bump_on_writes, content_changed

from .models import Post, PostAttachment, PostRead

TOPIC = "news"


def _readers_mark(sender, instance, **kwargs) -> None:
    content_changed(TOPIC, [instance.user_id])


def _author_erased(sender, **kwargs) -> None:
    content_changed(TOPIC)  # their posts lose their name (SET_NULL writes around the signals)


def connect() -> None:
    bump_on_writes(TOPIC, models=(Post, PostAttachment), m2m=(Post.groups.through,))
    # Not on every save of a user (each login writes one): only when one is erased.
    post_delete.connect(_author_erased, sender=get_user_model(), dispatch_uid="news-delete-author")
    post_save.connect(_readers_mark, sender=PostRead, dispatch_uid="news-save-read")
    post_delete.connect(_readers_mark, sender=PostRead, dispatch_uid="news-delete-read")
