"""Notifications as an outbox. ``notify()`` writes one Broadcast row in the caller's transaction
(with the post that caused it) and enqueues its fan-out task in that same transaction; the
fan-out writes one Notification per recipient (the in-app row) and one Delivery per channel;
workers claim deliveries with a conditional UPDATE and move their status along, so a crash
neither loses nor doubles a message (see ``outbox.py`` for the exact guarantee)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.counts import CountedQuerySet
from schoolpoort.core.modules import module_choices


class Broadcast(models.Model):
    """One event for many recipients, as the module asked for it."""

    event = models.CharField(max_length=100)  # e.g. "news.published"
    key = models.CharField(max_length=200)  # what it is about, e.g. "news.post:12"; one per recipient
    module = models.CharField(max_length=20, choices=module_choices)
    school = models.ForeignKey("core.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    title = models.CharField(max_length=300)  # never sensitive content: a title and a link
    url = models.CharField(max_length=500)
    urgent = models.BooleanField(default=False)
    recipient_ids = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    fanned_out_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)  # the item was deleted: cancel()

    class Meta:
        indexes = [models.Index(fields=["key"])]

    def __str__(self) -> str:
        return f"{self.event} {self.key}"


class NotificationQuerySet(CountedQuerySet):
    counted_users = "recipient_id"  # the bell's counts (core/counts.py)


class Notification(models.Model):
    """The in-app row: what a user sees in their notification list."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=200)
    module = models.CharField(max_length=20, choices=module_choices)
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=500)
    urgent = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Exactly once per recipient per event.
            models.UniqueConstraint(fields=["recipient", "broadcast"], name="notification_once_per_broadcast")
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
            models.Index(fields=["key"]),
        ]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """One message on one channel (e-mail, or one push device) of one broadcast for one recipient.

    Rows outlive the in-app notification: ``cancel()`` removes the notification but leaves the
    deliveries as a record of what was sent and what was cancelled."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        PUSH = "push", _("push")

    class Status(models.TextChoices):
        PENDING = "pending"  # waiting for a worker (from not_before on)
        DIGEST = "digest"  # waiting for the user's daily or weekly digest (due at not_before)
        SENDING = "sending"  # claimed by a worker (claimed_by, claimed_at)
        SENT = "sent"
        FAILED = "failed"  # permanent error, or gave up after MAX_ATTEMPTS
        CANCELLED = "cancelled"  # the item was deleted or already read, or the subscription is gone

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel)
    subscription = models.ForeignKey(
        "PushSubscription", on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    digest = models.BooleanField(default=False)  # goes out in a digest rather than on its own
    not_before = models.DateTimeField(default=timezone.now)  # quiet hours, digest time or retry backoff
    attempts = models.PositiveSmallIntegerField(default=0)  # claims so far (each claim is an attempt)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["broadcast", "recipient"], condition=Q(channel="email"), name="delivery_one_email"
            ),
            models.UniqueConstraint(
                fields=["broadcast", "subscription"], condition=Q(channel="push"), name="delivery_one_push_per_device"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "channel", "not_before"]),
            models.Index(fields=["recipient", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.status}"


class PushSubscription(models.Model):
    """A browser or installed app that receives web push (one per device)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    label = models.CharField(_("device"), max_length=200, blank=True)  # from the user agent
    enabled = models.BooleanField(_("push on this device"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label or self.endpoint[:60]


class Preference(models.Model):
    """How a user wants to hear about one module. No row: the default (e-mail at once, push on)."""

    class Email(models.TextChoices):
        IMMEDIATE = "immediate", _("at once")
        DAILY = "daily", _("daily digest")
        WEEKLY = "weekly", _("weekly digest")
        OFF = "off", _("off")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_preferences")
    module = models.CharField(max_length=20, choices=module_choices)
    email = models.CharField(_("e-mail"), max_length=10, choices=Email, default=Email.IMMEDIATE)
    push = models.BooleanField(_("push"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "module"], name="preference_once_per_module")]

    def __str__(self) -> str:
        return f"{self.user} {self.module}: {self.email}"


class QuietHours(models.Model):
    """A school's notification budget: no push in the evening, at night or at the weekend; what
    comes then is held until the morning. Urgent messages ignore it. No row: the defaults."""

    school = models.OneToOneField("core.School", on_delete=models.CASCADE, related_name="quiet_hours")
    starts_at = models.TimeField(_("quiet from"), default="19:00")
    ends_at = models.TimeField(_("quiet until"), default="07:30")
    weekend = models.BooleanField(_("quiet at the weekend"), default=True)

    class Meta:
        verbose_name = _("quiet hours")
        verbose_name_plural = _("quiet hours")

    def __str__(self) -> str:
        return f"{self.school}: {self.starts_at}–{self.ends_at}"


class DigestSchedule(models.Model):
    """The guard that schedules one digest task per user per digest time: the fan-out inserts
    (user, due_at) with ON CONFLICT DO NOTHING and enqueues a task only for the rows it inserted
    itself (``scheduled_by`` is its run id). The digest task removes the row when it runs."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    due_at = models.DateTimeField()
    scheduled_by = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "due_at"], name="digest_once_per_user_and_time")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.due_at:%Y-%m-%d %H:%M}"
