"""Which of a post's attachments a user gets: every file, and the images that the one image
consent rule (``core.consent``) lets them see. Staff of the post's school (or board) and its
author see every image; another family sees an image once staff tagged the children in it (none
of them without portal consent, unless their own) or marked that no child is recognisable."""

from __future__ import annotations

from django.db.models import Q

from schoolpoort.core.consent import image_q
from schoolpoort.core.models import Group

from .models import Post, PostAttachment


def shown_attachment_q(user) -> Q:
    return Q(kind=PostAttachment.Kind.FILE) | image_q(
        user, PostAttachment, school_field="post__school_id", board_field="post__board_id",
        uploader_field="post__author",
    )


def shown_attachments(user):
    """A queryset of the attachments the user may see, to filter or prefetch with."""
    return PostAttachment.objects.filter(shown_attachment_q(user)).order_by("pk")


def audience_groups(post: Post):
    """The groups whose pupils a photo of the post can show (for tagging)."""
    if post.audience == Post.Audience.GROUPS:
        return Group.objects.filter(news_posts=post)
    if post.audience == Post.Audience.SCHOOL:
        return Group.objects.filter(school_id=post.school_id)
    return Group.objects.filter(school__board_id=post.board_id)
