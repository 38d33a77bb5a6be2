"""The feed's query and its pages, shared by the feed page and the home page's block.

The posts a user may see are filtered by the access rule (``access.post_q``) read from the request's
plain id lists (``core.access.ReachIds``), and ordered by
the ``news_post_feed_order`` index, so PostgreSQL reads the newest posts and stops after a page;
the pages have "newer" and "older" links instead of a count of every post the user may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat
from django.http import Http404
from django.utils import timezone

from schoolpoort.core.access import ReachIds, get_visible_or_404
from schoolpoort.core.files import send_file
from schoolpoort.core.scopes import fence_within
from schoolpoort.lib.db import UNIT, JoinedText

from .access import post_q
from .images import shown_attachments
from .models import Post, PostRead
from .scope import NewsScope


def feed_posts(user, reach, scope: NewsScope, now=None) -> QuerySet:
    """The user's feed, newest first with pinned posts on top, each with ``is_read``; only the
    attachments the user may see (image consent) are counted on a card."""
    now = now or timezone.now()
    # Where the request's school fence is inside the schools where news is usable, it is the filter.
    usable = Q() if fence_within(scope.school_ids) else scope.q()
    return (
        Post.objects.filter(post_q(ReachIds(user, reach, scope.modules), now))
        .filter(usable)
        .select_related("school", "board", "author")
        .prefetch_related(Prefetch("attachments", queryset=shown_attachments(user)))
        .annotate(group_names=group_names())  # the card's "Groep 3, Groep 4" in the row, no query of its own
        .defer("body")  # the feed shows the stored excerpt, never the Markdown source
        .annotate(is_read=Exists(PostRead.objects.filter(user=user, post=OuterRef("pk"))))
        .feed_order()
    )


def group_names() -> Subquery:
    """Each post's groups as "grades, name" pairs in one text column (``Post.audience_label``
    sorts and joins them): a correlated subquery on the post's own few rows of the groups table."""
    Through = Post.groups.through
    joined = JoinedText(Concat("group__grades", Value(UNIT), "group__name"))
    return Subquery(Through.objects.filter(post=OuterRef("pk")).order_by().values("post").annotate(
        names=joined).values("names"))


def readable_post_or_404(user, post_id: int, scope: NewsScope) -> Post:
    """The post, if the user may see it and the module is usable for them there (``scope``), with
    the attachments the user may see (image consent). The post page and the API read it here."""
    queryset = Post.objects.select_related("school", "board", "author").prefetch_related(
        "groups", Prefetch("attachments", queryset=shown_attachments(user))
    )
    post = get_visible_or_404(queryset, user, pk=post_id)
    if not scope.includes(post):
        raise Http404
    return post


def send_attachment(request, post: Post, attachment_id: int):
    """A file of a post read by ``readable_post_or_404`` (only the attachments the user may see),
    photos inline, documents as a download; 404 for any other. The post page and the API send it here."""
    item = next((a for a in post.attachments.all() if a.pk == attachment_id), None)
    if item is None:
        raise Http404
    return send_file(
        request, item.file, filename=item.original_name, inline=item.is_image, content_type=item.content_type
    )


def next_publish_moment(now):
    """When the next scheduled post comes out (of any school: a feed cached until then misses
    none), or None."""
    return Post.objects.filter(publish_at__gt=now).order_by("publish_at").values_list("publish_at", flat=True).first()


def mark(posts, user, now) -> list[Post]:
    for post in posts:
        post.is_new = not post.is_read and post.author_id != user.pk and post.publish_at <= now
        post.is_scheduled = post.publish_at > now
    return posts


@dataclass
class FeedPage:
    """One page of the feed, read as ``per_page + 1`` rows: the extra row only tells whether
    an older page exists. Iterates like a Django ``Page``."""

    object_list: list
    number: int
    has_next: bool

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def page_number(value) -> int:
    """The page asked for; anything that is not a page number is the first page."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return number if number >= 1 else 1


def feed_page(posts: QuerySet, number: int, per_page: int) -> FeedPage:
    start = (number - 1) * per_page
    rows = list(posts[start : start + per_page + 1])
    return FeedPage(rows[:per_page], number, has_next=len(rows) > per_page)
