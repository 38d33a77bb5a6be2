"""News on the home page: the latest few posts of the feed."""

from __future__ import annotations

from django.utils import timezone

from schoolpoort.core.access import reach_of

from .listing import feed_posts, mark
from .models import Post
from .scope import NewsScope, news_scope


def latest_posts(user, limit: int = 3, *, reach=None, scope: NewsScope | None = None) -> list[Post] | None:
    """The newest published posts of the user's feed (pinned ones first), marked new or not;
    None when news is not usable for the user anywhere. A fixed number of queries: one, when the
    caller passes the request's ``reach`` and the ``scope`` (the home page has both at hand)."""
    scope = news_scope(user) if scope is None else scope
    if not scope:
        return None
    now = timezone.now()
    reach = reach_of(user) if reach is None else reach
    posts = list(feed_posts(user, reach, scope, now).filter(publish_at__lte=now)[:limit])
    return mark(posts, user, now)
