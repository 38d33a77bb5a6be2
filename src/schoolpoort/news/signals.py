"""What bumps the news version of the cached feed (``access.cached_part``, news/views.py): every
save and delete of a post, its groups and its files, and a user's own read marks. Code that
writes these rows around the signals (``queryset.update()`` of what a card shows,
``bulk_create``) calls ``versions.content_changed("news")`` itself; ``update()`` of the
notification moments (``notified_at``, ``reminded_at``) needs none: no card shows them. A change
of a user's name shows on the cards of their posts within the reach cache's seconds."""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save

from schoolpoort.core.versions import content_changed

from .models import Post, PostAttachment, PostRead

TOPIC = "news"


def _everyone(sender, **kwargs) -> None:
    content_changed(TOPIC)


def _groups_changed(sender, action, **kwargs) -> None:
    if action.startswith("post_"):
        content_changed(TOPIC)


def _readers_mark(sender, instance, **kwargs) -> None:
    content_changed(TOPIC, [instance.user_id])


def connect() -> None:
    for model in (Post, PostAttachment):
        post_save.connect(_everyone, sender=model, dispatch_uid=f"news-save-{model.__name__}")
        post_delete.connect(_everyone, sender=model, dispatch_uid=f"news-delete-{model.__name__}")
    m2m_changed.connect(_groups_changed, sender=Post.groups.through, dispatch_uid="news-groups")
    post_save.connect(_readers_mark, sender=PostRead, dispatch_uid="news-save-read")
    post_delete.connect(_readers_mark, sender=PostRead, dispatch_uid="news-delete-read")
    # An author erased: their posts lose their name (SET_NULL writes around the signals).
    post_delete.connect(_everyone, sender=settings.AUTH_USER_MODEL, dispatch_uid="news-delete-author")
