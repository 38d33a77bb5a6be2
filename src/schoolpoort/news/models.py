"""News (nieuws): posts to the whole board, one school or some groups of one school, with images
and attachments, and who has read them. Who may see a post lives in ``access.py`` and is reached
through ``Post.objects.visible_to(user)``; who receives it in ``audience.py``."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.scopes import school_scoped
from schoolpoort.lib.db import split_joined
from schoolpoort.lib.text import html_text

from . import access
from .rendering import HTML, MARKDOWN, plain_excerpt, render_body, searchable_text


class PostQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(access.visible_post_q(user))

    def published(self, now=None):
        return self.filter(publish_at__lte=now or timezone.now())

    def feed_order(self):
        return self.order_by("-pinned", "-publish_at", "-pk")


class Post(models.Model):
    class Audience(models.TextChoices):
        BOARD = "board", _("the whole board")
        SCHOOL = "school", _("the school")
        GROUPS = "groups", _("groups")

    # The board is always set (the school's board for school and group posts), so that a board
    # admin's posts are one filter; the school is set for school and group posts.
    audience = models.CharField(_("audience"), max_length=10, choices=Audience)
    board = models.ForeignKey("core.Board", on_delete=models.CASCADE, related_name="news_posts")
    school = models.ForeignKey(
        "core.School", on_delete=models.CASCADE, null=True, blank=True, related_name="news_posts"
    )
    groups = models.ManyToManyField("core.Group", blank=True, related_name="news_posts", verbose_name=_("groups"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="news_posts"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)  # as written: editor HTML, or Markdown (older posts)
    # How ``body`` is written: the editor's HTML for posts written in it; Markdown for the posts of
    # before (the default, so that they and anything that writes a body as text keep rendering).
    body_format = models.CharField(
        max_length=10, choices=[(HTML, "HTML"), (MARKDOWN, "Markdown")], default=MARKDOWN, editable=False
    )
    body_html = models.TextField(editable=False, blank=True)  # rendered and sanitised on save
    # The feed's plain-text excerpt, made on save so that a page of 20 posts does not strip and
    # truncate 20 bodies. The database default lets bulk loads (bench/generate.py) leave it out;
    # an empty excerpt of a non-empty body is then made when read (see ``excerpt``).
    excerpt_text = models.TextField(editable=False, blank=True, db_default="")
    # The body as the reader sees it, one line of plain text, for the search and its GIN index
    # (news/search.py): matching the source would find "strong" or "img" in every post.
    search_text = models.TextField(editable=False, blank=True, db_default="")
    publish_at = models.DateTimeField(_("publish at"), default=timezone.now)
    pinned = models.BooleanField(_("pinned"), default=False, help_text=_("Stays at the top of the news."))
    urgent = models.BooleanField(
        _("urgent message"), default=False, help_text=_("Highlighted, and sent at once even at quiet hours.")
    )
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = school_scoped(PostQuerySet, school="school", board="board")

    class Meta:
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")
        ordering = ["-pinned", "-publish_at", "-pk"]
        indexes = [
            # The feed: posts of some schools or boards, published by now, newest first.
            models.Index(fields=["school", "publish_at"], name="news_post_school_published"),
            models.Index(fields=["board", "audience", "publish_at"], name="news_post_board_published"),
            models.Index(fields=["author", "publish_at"], name="news_post_author"),
            # The feed's order: PostgreSQL reads it backwards from now and stops after a page.
            models.Index(fields=["-pinned", "-publish_at", "-id"], name="news_post_feed_order"),
            # The next scheduled post: until then a cached feed stays true (news/listing.py).
            models.Index(fields=["publish_at"], name="news_post_publish_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience="board", school__isnull=True)
                | Q(audience__in=["school", "groups"], school__isnull=False),
                name="news_post_audience_has_its_school",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = render_body(self.body, self.body_format)
        self.excerpt_text = plain_excerpt(self.body_html)
        self.search_text = searchable_text(self.body_html)
        if self.school_id is not None:
            self.board_id = self.school.board_id
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_format", "body_html", "excerpt_text", "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("news:detail", args=[self.pk])

    @property
    def notification_key(self) -> str:
        return f"news.post:{self.pk}"

    @property
    def is_published(self) -> bool:
        return self.publish_at <= timezone.now()

    @property
    def excerpt(self) -> str:
        """The first words of the body as plain text, for the feed."""
        if self.excerpt_text or not self.body_html:
            return self.excerpt_text
        return plain_excerpt(self.body_html)

    @property
    def body_text(self) -> str:
        """The body as plain text, for e-mail, push and exports: lists as "- ", links as "text (url)"."""
        return html_text(self.body_html)

    @property
    def audience_label(self) -> str:
        """Who it is for, e.g. "Groep 3, Groep 4 · OBS De Regenboog". Uses the groups read with the
        post (``listing.group_names``) or else prefetched ones."""
        if self.audience == self.Audience.BOARD:
            return self.board.name
        if self.audience == self.Audience.SCHOOL:
            return self.school.name
        if hasattr(self, "group_names"):
            pairs = sorted((grades, name) for grades, name in split_joined(self.group_names))
        else:
            pairs = sorted((group.grades, group.name) for group in self.groups.all())
        names = ", ".join(name for _grades, name in pairs)
        return f"{names} · {self.school.name}"


def attachment_path(instance: PostAttachment, filename: str) -> str:
    """A random name under news/: the original name is kept in the row, never in the path."""
    suffix = PurePath(filename).suffix.lower()
    return f"news/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class PostAttachment(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("image")
        FILE = "file", _("file")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=10, choices=Kind)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    # A photo placed in the text (the editor): shown there, not again among the post's photos.
    inline = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Who is in an image (image consent): deleted with the attachment.
    image_tags = GenericRelation("core.ImageTag")

    objects = school_scoped(school="post__school", board="post__board")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("news:attachment", args=[self.post_id, self.pk])

    @property
    def is_image(self) -> bool:
        return self.kind == self.Kind.IMAGE


class PostRead(models.Model):
    """A user opened the post. A family has read it when any of its guardians has."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="news_reads")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reads")
    read_at = models.DateTimeField(default=timezone.now)

    objects = school_scoped(school="post__school", board="post__board")

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="news_read_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.post_id}"


class SchoolNewsSettings(models.Model):
    """The school's choices for its news; no row: the defaults."""

    school = models.OneToOneField("core.School", on_delete=models.CASCADE, related_name="news_settings")
    reactions = models.BooleanField(
        _("parents may react to news"),
        default=False,
        help_text=_("A short reaction on a news post: 👍 ❤️ 🙏 or “thanks”. Parents see how many; staff see who."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = school_scoped(school="school")

    class Meta:
        verbose_name = _("news settings")
        verbose_name_plural = _("news settings")

    def __str__(self) -> str:
        return f"news settings of {self.school_id}"


class PostReaction(models.Model):
    """A parent's short reaction on a post, one of a fixed few; taken back by deleting it."""

    class Kind(models.TextChoices):
        THUMBS = "thumbs", "👍"
        HEART = "heart", "❤️"
        PRAY = "pray", "🙏"
        THANKS = "thanks", _("thanks")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="news_reactions")
    kind = models.CharField(max_length=10, choices=Kind)
    created_at = models.DateTimeField(default=timezone.now)

    objects = school_scoped(school="post__school", board="post__board")

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["post", "user", "kind"], name="news_reaction_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} on {self.post_id}"
