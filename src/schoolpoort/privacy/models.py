"""What a school decides about its personal data: its own retention terms (the register's
defaults otherwise) and the erasure requests of families, each confirmed by a second admin."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from schoolpoort.core.scopes import school_scoped
from schoolpoort.lib.personal_data import Term, Unit


class RetentionTerm(models.Model):
    """A school's own term for one entry of the register (its key)."""

    school = models.ForeignKey("core.School", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=60)
    amount = models.PositiveIntegerField(_("term"))
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.CHOICES, default=Unit.MONTHS)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(auto_now=True)

    objects = school_scoped(school="school")

    class Meta:
        verbose_name = _("retention term")
        verbose_name_plural = _("retention terms")
        constraints = [models.UniqueConstraint(fields=["school", "key"], name="privacy_term_unique")]

    def __str__(self) -> str:
        return f"{self.key}: {self.term}"

    @property
    def term(self) -> Term:
        return Term(self.amount, self.unit)


class ErasureRequest(models.Model):
    """Erase one family on request (AVG art. 17): asked by one admin of the school, confirmed by
    another, then carried out by the worker. The family is the guardians of ``student`` and all
    their children at this school."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("waiting for a second admin")
        CONFIRMED = "confirmed", _("being carried out")
        DONE = "done", _("carried out")
        CANCELLED = "cancelled", pgettext_lazy("request", "cancelled")

    school = models.ForeignKey("core.School", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("core.Student", on_delete=models.SET_NULL, null=True, related_name="+")
    family_label = models.CharField(max_length=200)  # as shown when asked; the names go with the erasure
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)  # counts per register entry

    objects = school_scoped(school="school")

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.family_label} ({self.get_status_display()})"
