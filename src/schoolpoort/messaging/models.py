"""Messages (berichten): conversations between parents and school, one-to-one or in a group.

Membership is the access rule: a conversation is visible to its active participants, and to no
one else, except that the director or board admin of the school may read the teacher–parent
conversations of that school when the school switched that on (every such reading is audited).
Who may see what lives in ``access.py`` and is reached through
``Conversation.objects.visible_to(user)``; whom a user may write to lives in ``recipients.py``."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.counts import CountedQuerySet
from schoolpoort.core.scopes import school_scoped
from schoolpoort.lib.encryption import EncryptedTextField, encrypted_storage

from . import access


def person_name(user) -> str:
    """A person as others see them: by name only, never by e-mail address or phone number."""
    if user is None:
        return gettext("Former user")
    return user.full_name or gettext("Unnamed user")


class ConversationQuerySet(CountedQuerySet):
    counted_users = "participants__user_id"  # the inbox's unread counts (core/counts.py)

    def visible_to(self, user):
        """Conversations the user takes part in, and for a director or board admin the
        teacher–parent ones of their school when the school allows that (read with an audit)."""
        return self.filter(access.conversation_q(user))

    def of_participant(self, user):
        """Only the user's own conversations: the inbox, the search, the unread counts."""
        return self.filter(access.participant_q(user))


class Conversation(models.Model):
    class Kind(models.TextChoices):
        DIRECT = "direct", _("conversation")
        GROUP = "group", _("group conversation")

    school = models.ForeignKey("core.School", on_delete=models.CASCADE, related_name="conversations")
    subject = models.CharField(_("subject"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.DIRECT)
    # Parents among themselves (only with the school's permission and both parents' consent):
    # never readable by the school's leadership, never in an export.
    between_parents = models.BooleanField(default=False, editable=False)
    group = models.ForeignKey(
        "core.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("group")
    )
    about_student = models.ForeignKey(
        "core.Student", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("about")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = school_scoped(ConversationQuerySet, school="school")

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at", "-pk"]
        indexes = [models.Index(fields=["school", "last_message_at"], name="messaging_conv_school_last")]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("messaging:conversation", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def notification_prefix(self) -> str:
        """Every notification about this conversation has a key starting with this."""
        return f"messaging.conversation:{self.pk}:"


class Participant(models.Model):
    class Role(models.TextChoices):
        GUARDIAN = "guardian", _("parent")
        TEACHER = "teacher", _("teacher")
        OFFICE = "office", _("school office")
        STAFF = "staff", _("school staff")

    STAFF_ROLES = (Role.TEACHER, Role.OFFICE, Role.STAFF)

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messaging_participations"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role)
    # The child through whom a parent takes part (shown as "parent of Noor").
    student = models.ForeignKey("core.Student", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    joined_at = models.DateTimeField(default=timezone.now)
    last_read_at = models.DateTimeField(null=True, blank=True)
    muted = models.BooleanField(_("muted"), default=False)
    left_at = models.DateTimeField(null=True, blank=True)

    objects = school_scoped(CountedQuerySet, school="conversation__school")

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="messaging_participant_once")
        ]
        indexes = [models.Index(fields=["user", "left_at"], name="messaging_participant_user")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.conversation_id}"

    @property
    def is_staff(self) -> bool:
        return self.role in self.STAFF_ROLES

    @property
    def name(self) -> str:
        return person_name(self.user)

    @property
    def label(self) -> str:
        """The role as others see it: "teacher", "school office", "parent of Noor"."""
        if self.role == self.Role.GUARDIAN and self.student_id:
            return gettext("parent of %(child)s") % {"child": self.student.first_name}
        return str(self.get_role_display())

    def is_unread(self, last_message_at) -> bool:
        return last_message_at is not None and (self.last_read_at is None or self.last_read_at < last_message_at)


UNREAD = Q(conversation__last_message_at__isnull=False) & (
    Q(last_read_at__isnull=True) | Q(last_read_at__lt=F("conversation__last_message_at"))
)


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="messaging_messages"
    )
    body = models.TextField(_("message"))  # plain text; shown escaped, with links made clickable
    auto_reply = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = school_scoped(school="conversation__school")

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["conversation", "created_at"], name="messaging_message_conv")]

    def __str__(self) -> str:
        return f"{self.sender_id} in {self.conversation_id} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def notification_key(self) -> str:
        return f"messaging.conversation:{self.conversation_id}:message:{self.pk}"

    @property
    def sender_name(self) -> str:
        return person_name(self.sender)


def attachment_path(instance: MessageAttachment, filename: str) -> str:
    """A random name under messages/: the original name is kept in the row, never in the path."""
    suffix = PurePath(filename).suffix.lower()
    return f"messages/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class MessageAttachment(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("image")
        FILE = "file", _("file")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=10, choices=Kind)
    file = models.FileField(upload_to=attachment_path, storage=encrypted_storage, max_length=200)  # encrypted at rest
    original_name = EncryptedTextField(_("file name"), max_length=255)  # encrypted at rest, as the file
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    # Who is in an image (image consent): deleted with the attachment.
    image_tags = GenericRelation("core.ImageTag")

    objects = school_scoped(school="message__conversation__school")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("messaging:attachment", args=[self.message.conversation_id, self.pk])

    @property
    def is_image(self) -> bool:
        return self.kind == self.Kind.IMAGE


class Report(models.Model):
    """A parent reports a conversation (unkind messages, spam); the school's office and
    leadership see the reports of their school."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.TextField(_("what is wrong?"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = school_scoped(school="conversation__school")

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"report {self.pk} on {self.conversation_id}"


class SchoolMessagingSettings(models.Model):
    """The school's communication rules for messages."""

    school = models.OneToOneField("core.School", on_delete=models.CASCADE, related_name="messaging_settings")
    parent_notice = models.TextField(
        _("text shown when a parent writes"),
        blank=True,
        max_length=1000,
        help_text=_("For example: questions about how your child is doing we prefer to discuss in a conversation."),
    )
    directors_may_read = models.BooleanField(
        _("the director may read conversations between teachers and parents"),
        default=False,
        help_text=_("Every time the director or a board admin opens such a conversation, it is written to the "
                    "audit log."),
    )
    parent_to_parent = models.BooleanField(
        _("parents may write to other parents of their child's group"),
        default=False,
        help_text=_("Only between parents who both allowed it for that group. No e-mail address or phone number "
                    "is shown."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("messaging settings")
        verbose_name_plural = _("messaging settings")

    def __str__(self) -> str:
        return f"messaging settings of {self.school_id}"

    @classmethod
    def for_school(cls, school) -> SchoolMessagingSettings:
        """The school's settings, or the defaults (not saved) when it has none yet."""
        return cls.objects.filter(school=school).first() or cls(school=school)


class TeacherAvailability(models.Model):
    """When a staff member answers messages, and an automatic reply while they are away."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("core.School", on_delete=models.CASCADE, related_name="+")
    office_hours = models.TextField(
        _("when I answer messages"),
        blank=True,
        max_length=500,
        help_text=_("For example: on school days before 8:30 and after 15:00."),
    )
    auto_reply_on = models.BooleanField(_("send an automatic reply"), default=False)
    auto_reply = models.TextField(
        _("automatic reply"),
        blank=True,
        max_length=1000,
        help_text=_("Sent once a day per conversation when a parent writes, for example while you are away."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = school_scoped(school="school")

    class Meta:
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        constraints = [models.UniqueConstraint(fields=["user", "school"], name="messaging_availability_once")]

    def __str__(self) -> str:
        return f"office hours of {self.user_id} at {self.school_id}"

    @property
    def sends_auto_reply(self) -> bool:
        return self.auto_reply_on and bool(self.auto_reply.strip())


class ParentContactConsent(models.Model):
    """A parent allows messages from the other parents of one group (who allowed it too).
    No row: they do not (the default)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey("core.Group", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = school_scoped(school="group__school")

    class Meta:
        verbose_name = _("consent to messages from other parents")
        verbose_name_plural = _("consents to messages from other parents")
        constraints = [models.UniqueConstraint(fields=["user", "group"], name="messaging_consent_once")]

    def __str__(self) -> str:
        return f"{self.user_id} accepts parents of {self.group_id}"
