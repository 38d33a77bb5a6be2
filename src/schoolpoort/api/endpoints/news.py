"""News: the feed (newest first, pinned on top, cursor pagination) and one post, through the same
access rule and scope as the news pages (news.listing)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from ninja import Router, Schema

from schoolpoort.core.access import request_reach
from schoolpoort.news.listing import feed_posts, readable_post_or_404
from schoolpoort.news.rendering import body_for
from schoolpoort.news.scope import news_scope

from .. import cursors
from ..errors import ERRORS

router = Router(tags=["news"])
PAGE_SIZE = 20
MAX_PAGE_SIZE = 50


class PostOut(Schema):
    id: int
    title: str
    audience: str
    audience_label: str
    school_id: int | None
    publish_at: datetime.datetime
    pinned: bool
    urgent: bool
    excerpt: str
    url: str


class PostListItem(PostOut):
    is_read: bool


class PostPage(Schema):
    items: list[PostListItem]
    next_cursor: str | None


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    is_image: bool
    url: str


class PostDetail(PostOut):
    body_html: str
    attachments: list[AttachmentOut]


def _scope(request):
    scope = news_scope(request.auth.user)
    if not scope:
        raise Http404
    return scope


def _post(post) -> dict:
    return {
        "id": post.pk, "title": post.title, "audience": post.audience, "audience_label": post.audience_label,
        "school_id": post.school_id, "publish_at": post.publish_at, "pinned": post.pinned, "urgent": post.urgent,
        "excerpt": post.excerpt, "url": request_url(post.get_absolute_url()),
    }


def request_url(path: str) -> str:
    return settings.SITE_URL + path


def _after(values) -> Q:
    """The posts after ``(pinned, publish_at, id)`` in the feed's order."""
    pinned, published, pk = values
    published = parse_datetime(published) if isinstance(published, str) else None
    if not isinstance(pinned, bool) or published is None or not isinstance(pk, int):
        raise cursors.invalid()
    return (
        Q(pinned__lt=pinned)
        | Q(pinned=pinned, publish_at__lt=published)
        | Q(pinned=pinned, publish_at=published, pk__lt=pk)
    )


@router.get("/news", response={200: PostPage, **ERRORS}, url_name="news", summary="The news feed")
def news(request, cursor: str | None = None, limit: int = PAGE_SIZE):
    user = request.auth.user
    request.auth.require("news:read")
    scope = _scope(request)
    posts = feed_posts(user, request_reach(request), scope, timezone.now())
    if (after := cursors.decode(cursor, 3)) is not None:
        posts = posts.filter(_after(after))
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    rows = list(posts[: limit + 1])
    page, more = rows[:limit], len(rows) > limit
    last = page[-1] if page else None
    return {
        "items": [{**_post(post), "is_read": post.is_read} for post in page],
        "next_cursor": cursors.encode([last.pinned, last.publish_at.isoformat(), last.pk]) if more else None,
    }


@router.get("/news/{post_id}", response={200: PostDetail, **ERRORS}, url_name="news_post", summary="One news post")
def news_post(request, post_id: int):
    request.auth.require("news:read")
    post = readable_post_or_404(request.auth.user, post_id, _scope(request))
    attachments = list(post.attachments.all())
    return {
        **_post(post),
        "body_html": body_for(post, {a.pk for a in attachments}),
        "attachments": [
            {"id": a.pk, "name": a.original_name, "content_type": a.content_type, "is_image": a.is_image,
             "url": request_url(a.get_absolute_url())}
            for a in attachments if not a.inline
        ],
    }
