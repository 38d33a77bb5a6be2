"""News on the home page: the latest few posts of the feed."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils import timezone

from .models import Post, PostRead
from .scope import news_scope


def latest_posts(user, limit: int = 3) -> list[Post] | None:
    """The newest published posts of the user's feed (pinned ones first), marked new or not;
    None when news is not usable for the user anywhere. A fixed number of queries."""
    scope = news_scope(user)
    if not scope:
        return None
    now = timezone.now()
    posts = list(
        Post.objects.visible_to(user)
        .filter(scope.q(), publish_at__lte=now)
        .select_related("school", "board", "author")
        .prefetch_related("groups", "attachments")
        .annotate(is_read=Exists(PostRead.objects.filter(user=user, post=OuterRef("pk"))))
        .feed_order()[:limit]
    )
    for post in posts:
        post.is_new = not post.is_read and post.author_id != user.pk
        post.is_scheduled = False
    return posts
