"""The child's records: the parts a school switches on one by one, which parts a guardian without
parental authority sees, and the periods in which parts are closed to guardians (e.g. around report
time). The data of each part comes from the school administration (import) or is entered by staff;
guardians read it and propose corrections."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from schoolpoort.core.models import School, Student
from schoolpoort.core.scopes import school_scoped

from . import rules
from .crypto import EncryptedTextField


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


def _all_parts() -> list[str]:
    return list(ALL_PARTS)


def _default_without_authority() -> list[str]:
    return list(rules.DEFAULT_WITHOUT_AUTHORITY)


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


# --- The parts ------------------------------------------------------------------------------------


class PartQuerySet(models.QuerySet):
    """Rows of one part of the records (the model's ``PART``): ``Model.objects.visible_to(user)`` is
    the whole access rule. What guardians see of the rows of a part they may open is the model's
    ``guardian_rows_q``, if it has one (every row otherwise)."""

    def visible_to(self, user, today: datetime.date | None = None):
        guardian_rows_q = getattr(self.model, "guardian_rows_q", None)
        guardian_q = guardian_rows_q() if guardian_rows_q else None
        return self.filter(rules.part_rows_q(user, self.model.PART, today, guardian_q))


class StudentCard(models.Model):
    """The pupil's personal data as the school administration holds it (never the BSN). Parents
    read it and propose corrections; only the administration changes it."""

    PART = Part.CARD

    student = models.OneToOneField(Student, on_delete=models.CASCADE, related_name="records_card")
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone at home"), max_length=30, blank=True)
    mobile = models.CharField(_("mobile phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail of the family"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = school_scoped(PartQuerySet, school="student__school")

    class Meta:
        verbose_name = _("student card")
        verbose_name_plural = _("student cards")

    def __str__(self) -> str:
        return str(self.student)


class Contact(models.Model):
    """A family member or emergency contact beside the guardians (grandparent, neighbour)."""

    PART = Part.FAMILY

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="records_contacts")
    name = models.CharField(_("name"), max_length=200)
    relation = models.CharField(_("relation"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_emergency = models.BooleanField(_("call in an emergency"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = school_scoped(PartQuerySet, school="student__school")

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class MedicalInfo(models.Model):
    """Medical details: every text encrypted at rest; staff opening them is audited."""

    PART = Part.MEDICAL

    student = models.OneToOneField(Student, on_delete=models.CASCADE, related_name="records_medical")
    allergies = EncryptedTextField(_("allergies"), blank=True)
    medication = EncryptedTextField(_("medication"), blank=True)
    diet = EncryptedTextField(_("diet"), blank=True)
    doctor = EncryptedTextField(_("general practitioner"), blank=True)
    dentist = EncryptedTextField(_("dentist"), blank=True)
    notes = EncryptedTextField(_("other medical notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = school_scoped(PartQuerySet, school="student__school")

    class Meta:
        verbose_name = _("medical details")
        verbose_name_plural = _("medical details")

    def __str__(self) -> str:
        return str(self.student)


class Invoice(models.Model):
    PART = Part.INVOICES
    guardian_rows_q = staticmethod(rules.guardian_invoices_q)

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        PARTLY = "partly", _("partly paid")
        PAID = "paid", _("paid")
        CANCELLED = "cancelled", pgettext_lazy("invoice", "cancelled")

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="records_invoices")
    description = models.CharField(_("description"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=8, decimal_places=2)
    amount_paid = models.DecimalField(_("paid so far"), max_digits=8, decimal_places=2, default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    # The administration's own number of the invoice (the CSV import's key): re-importing a file
    # updates the invoice instead of adding it again. Empty for invoices made in the portal.
    external_key = models.CharField(_("invoice number of the administration"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = school_scoped(PartQuerySet, school="student__school")

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-due_on", "-pk"]
        indexes = [
            models.Index(fields=["student", "status"], name="records_invoice_student_st"),
            models.Index(fields=["external_key"], condition=~Q(external_key=""), name="records_invoice_ext_key"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="records_invoice_amount_positive"),
            models.UniqueConstraint(
                fields=["student", "external_key"], condition=~Q(external_key=""), name="records_invoice_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def outstanding(self):
        if self.status in (self.Status.PAID, self.Status.CANCELLED):
            return 0
        return max(self.amount - self.amount_paid, 0)

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.PARTLY)


class SupportPlan(models.Model):
    """A support plan (hulpplan, ontwikkelingsperspectief): texts encrypted; a guardian with
    parental authority may sign it in the portal."""

    PART = Part.PLANS
    guardian_rows_q = staticmethod(rules.guardian_plans_q)

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="records_plans")
    title = EncryptedTextField(_("title"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    goals = EncryptedTextField(_("goals and approach"), blank=True)
    evaluation = EncryptedTextField(_("evaluation"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)

    objects = school_scoped(PartQuerySet, school="student__school")

    class Meta:
        verbose_name = _("support plan")
        verbose_name_plural = _("support plans")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["student", "starts_on"], name="records_plan_student_start")]

    def __str__(self) -> str:
        return f"{self.student} {self.starts_on}"


class NoteCategory(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="records_note_categories")
    name = models.CharField(_("name"), max_length=100)
    open_to_guardians = models.BooleanField(_("parents see these notes"), default=False)
    guardians_react = models.BooleanField(_("parents may react"), default=False)

    class Meta:
        verbose_name = _("note category")
        verbose_name_plural = _("note categories")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="records_note_category_unique")]

    def __str__(self) -> str:
        return self.name


class Note(models.Model):
    PART = Part.NOTES
    guardian_rows_q = staticmethod(rules.guardian_notes_q)

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="records_notes")
    category = models.ForeignKey(NoteCategory, on_delete=models.PROTECT, related_name="notes")
    date = models.DateField(_("date"))
    text = EncryptedTextField(_("text"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = school_scoped(PartQuerySet, school="student__school")

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["student", "date"], name="records_note_student_date")]

    def __str__(self) -> str:
        return f"{self.category} {self.date}"


class NoteReaction(models.Model):
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="reactions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = EncryptedTextField(_("reaction"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = school_scoped(school="note__student__school")

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.note_id} {self.created_at:%Y-%m-%d}"


class CorrectionRequest(models.Model):
    """A guardian's proposal to change the card or the medical details. Nothing changes until the
    administration applies it; the proposal itself is encrypted (it may hold medical details)."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        PROCESSED = "processed", _("processed")
        REFUSED = "refused", _("refused")

    class Subject(models.TextChoices):
        CARD = "card", _("personal data")
        MEDICAL = "medical", _("medical details")

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="records_corrections")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="records_corrections")
    subject = models.CharField(_("about"), max_length=10, choices=Subject)
    changes = EncryptedTextField(_("proposed changes"))  # JSON {field: [old, new]}
    comment = EncryptedTextField(_("explanation"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    due_on = models.DateField(_("to be handled by"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.RECEIVED)
    reason = EncryptedTextField(_("reason"), blank=True)  # why it was refused: may quote the proposal
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    objects = school_scoped(school="school")

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["school", "status", "due_on"], name="records_corr_queue"),
            models.Index(fields=["student", "created_at"], name="records_corr_student"),
        ]

    def __str__(self) -> str:
        return f"{self.student} {self.get_subject_display()} {self.created_at:%Y-%m-%d}"
