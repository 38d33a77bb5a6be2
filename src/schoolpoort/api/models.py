"""Personal access tokens for the school's systems (the administration system, a planning tool).

A school admin makes a token for one system: it acts for the admin's own account (so it can never
see more than they can), bound to one school, limited to the scopes chosen, until it expires or is
revoked. Only a SHA-256 hash of the token is kept (a token is 256 random bits, so a plain hash is
enough); the prefix is kept in clear so that the list can show which token is which."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from schoolpoort.core.access import board_school_ids, staff_school_ids
from schoolpoort.core.scopes import school_scoped
from schoolpoort.lib.encryption import EncryptedTextField

# What a token may do; the endpoints name the scope they need (api/auth.py).
SCOPES = {
    "absences:read": _("Read the school's absences"),
    "news:read": _("Read news"),
    "calendar:read": _("Read the calendar"),
    "bookings:read": _("Read the conference bookings"),
    "signups:read": _("Read the answers to sign-up forms"),
    "registrations:read": _("Read who has registered"),
    "imports:run": _("Run the import from the administration system"),
}


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Tokens of the schools the user administers as director or board admin."""
        if not (user and user.is_authenticated):
            return self.none()
        directed = staff_school_ids(user, ("director",))
        return self.filter(models.Q(school_id__in=board_school_ids(user)) | models.Q(school_id__in=directed))

    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    school = models.ForeignKey("core.School", on_delete=models.CASCADE, related_name="api_tokens")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
        help_text="The account the token acts for: it sees what that account sees, at this school.",
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=20, unique=True)  # shown in the list, e.g. "sp_Ab12Cd34"
    digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the whole token
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = school_scoped(ApiTokenQuerySet, school="school")

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    def is_usable(self, now=None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())

    def scope_labels(self) -> list[str]:
        return [str(SCOPES.get(scope, scope)) for scope in self.scopes]


# --- Webhooks: a signed POST to the school's system when something happens (api/webhooks.py) ------

EVENTS = {
    "absence.reported": _("A child is reported absent"),
    "booking.made": _("A conference is booked"),
    "booking.cancelled": _("A conference booking is cancelled"),
    "import.finished": _("An import from the administration system is done"),
}


class WebhookQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Webhooks of the schools the user administers as director or board admin (as tokens)."""
        if not (user and user.is_authenticated):
            return self.none()
        directed = staff_school_ids(user, ("director",))
        return self.filter(models.Q(school_id__in=board_school_ids(user)) | models.Q(school_id__in=directed))


class Webhook(models.Model):
    """Where the school's system wants to hear of events. The secret signs every delivery; it is
    shown once when the webhook is made and kept encrypted (it must be read to sign)."""

    school = models.ForeignKey("core.School", on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(pgettext_lazy("web address of a webhook", "address"), max_length=2000)
    secret = EncryptedTextField()
    events = models.JSONField(default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = school_scoped(WebhookQuerySet, school="school")

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.url

    def event_labels(self) -> list[str]:
        return [str(EVENTS.get(event, event)) for event in self.events]


class WebhookDelivery(models.Model):
    """One event for one webhook: its body (the same on every try), and how the tries went."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("webhook delivery", "waiting")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    body = models.TextField()  # the JSON sent, exactly as signed
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    objects = school_scoped(school="webhook__school")

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["webhook", "-created_at"], name="webhook_delivery_recent")]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id} ({self.status})"


# --- Device tokens: the installable/native app's sign-in, from the phone's QR sign-in (api/device_tokens.py) --


class DeviceTokenQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A person sees only the tokens of their own devices."""
        if not (user and user.is_authenticated):
            return self.none()
        return self.filter(user=user)

    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class DeviceToken(models.Model):
    """A phone's token for the app: it acts as its person exactly as their session would (every
    school, no scopes), not bound to a school. Only a SHA-256 hash is kept. ``user_check`` is a hash
    of the account's session hash when it was made: a new password or "log out on all devices"
    changes that, and the token stops, like the sessions."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="device_tokens")
    name = models.CharField(_("device"), max_length=100)
    prefix = models.CharField(max_length=20, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    user_check = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = DeviceTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("device token")
        verbose_name_plural = _("device tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"
