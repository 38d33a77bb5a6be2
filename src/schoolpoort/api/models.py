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

from schoolpoort.core.access import board_school_ids, staff_school_ids
from schoolpoort.core.scopes import school_scoped

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
