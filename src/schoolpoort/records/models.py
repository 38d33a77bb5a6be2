"""The child's records: the parts a school switches on one by one, which parts a guardian without
parental authority sees, and the periods in which parts are closed to guardians (e.g. around report
time). The data of each part comes from the school administration (import) or is entered by staff;
guardians read it and propose corrections."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.models import School


class Part(models.TextChoices):
    CARD = "card", _("Student card")
    FAMILY = "family", _("Family and contacts")
    MEDICAL = "medical", _("Medical")
    INVOICES = "invoices", _("Invoices")
    PLANS = "plans", _("Support plans")
    REPORT_CARDS = "report_cards", _("Report cards")
    METHOD_TESTS = "method_tests", _("Method tests")
    STANDARDISED_TESTS = "standardised_tests", _("Standardised tests")
    NOTES = "notes", _("Notes")


ALL_PARTS = [part.value for part in Part]
# Parts whose opening by staff is written to the audit log (and whose texts are encrypted at rest).
SENSITIVE_PARTS = frozenset({Part.MEDICAL, Part.PLANS, Part.NOTES})


def _all_parts() -> list[str]:
    return list(ALL_PARTS)


def _default_without_authority() -> list[str]:
    return [Part.CARD, Part.REPORT_CARDS, Part.METHOD_TESTS, Part.STANDARDISED_TESTS]


class RecordsSettings(models.Model):
    """How one school opens the records. The core module "records" switches the whole thing on;
    these say which parts are on and what guardians see of them."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="records_settings")
    parts_on = models.JSONField(_("parts switched on"), default=_all_parts, blank=True)
    plans_visible_from = models.DateField(
        _("support plans visible to parents from"),
        null=True,
        blank=True,
        help_text=_("Plans that started before this date stay hidden from parents."),
    )
    notes_visible_from = models.DateField(
        _("notes visible to parents from"),
        null=True,
        blank=True,
        help_text=_("Notes dated before this date stay hidden from parents."),
    )
    parts_without_authority = models.JSONField(
        _("parts open to guardians without parental authority"), default=_default_without_authority, blank=True
    )
    payment_instructions = models.TextField(
        _("how to pay"), blank=True, help_text=_("Shown with open invoices, e.g. the account number and reference.")
    )

    class Meta:
        verbose_name = _("records settings")
        verbose_name_plural = _("records settings")

    def __str__(self) -> str:
        return f"{self.school}"

    def is_on(self, part: str) -> bool:
        # The student card is the root of the records: on whenever the module is.
        return part == Part.CARD or part in (self.parts_on or [])

    def open_to_guardian_without_authority(self, part: str) -> bool:
        return part in (self.parts_without_authority or [])


class ClosedPeriodQuerySet(models.QuerySet):
    def in_force(self, today: datetime.date):
        return self.filter(starts_on__lte=today, ends_on__gte=today)


class ClosedPeriod(models.Model):
    """Parts of the records closed to guardians for a while (staff still see them)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="records_closed_periods")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    message = models.CharField(_("message for parents"), max_length=300, blank=True)
    parts = models.JSONField(_("closed parts"), default=_all_parts, blank=True)

    objects = ClosedPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("closed period of the records")
        verbose_name_plural = _("closed periods of the records")
        ordering = ["starts_on"]
        indexes = [models.Index(fields=["school", "ends_on"], name="records_closed_school_end")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="records_closed_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.starts_on}–{self.ends_on}"

    def closes(self, part: str) -> bool:
        return part in (self.parts or [])
