"""Onboarding a whole school: printed registration letters (one PDF per request, made in the
background), e-mail invitations in one go, and the addresses whose mail the server refused."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from schoolpoort.core import access
from schoolpoort.core.scopes import school_scoped


class BatchStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("in progress")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class SchoolScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Rows of schools whose guardians the user administers (administration, director, board
        admin): the only ones who deal with registration. Everyone else sees nothing."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(school_id__in=access.managed_school_ids(user))


def letters_path(batch: LetterBatch, filename: str) -> str:
    # A random name: the file is only ever sent through the view, but its name tells nothing either.
    return f"onboarding/letters/{batch.school_id}/{uuid.uuid4().hex}.pdf"


class LetterBatch(models.Model):
    """One request for registration letters: for one group, or the whole school (group empty).
    Each letter carries a freshly issued code; earlier unused codes of those slots stop working."""

    school = models.ForeignKey("core.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    group = models.ForeignKey(
        "core.Group", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("group")
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    language = models.CharField(_("language of the letters"), max_length=5, default="nl")
    only_without_email = models.BooleanField(_("only guardians without a usable e-mail address"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=BatchStatus, default=BatchStatus.PENDING)
    file = models.FileField(upload_to=letters_path, blank=True)
    page_count = models.PositiveIntegerField(_("letters"), default=0)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = school_scoped(SchoolScopedQuerySet, school="school")

    class Meta:
        verbose_name = _("letter batch")
        verbose_name_plural = _("letter batches")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "-created_at"], name="letterbatch_school_recent")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"

    @property
    def is_ready(self) -> bool:
        return self.status == BatchStatus.DONE and bool(self.file)

    @property
    def is_busy(self) -> bool:
        return self.status in (BatchStatus.PENDING, BatchStatus.RUNNING)


class MailBatch(models.Model):
    """One "send in one go": activation mails to every slot with a known address and no account
    (invite), or again to every invited guardian who has not activated yet (remind)."""

    class Kind(models.TextChoices):
        INVITE = "invite", _("invitations")
        REMIND = "remind", _("reminders")

    school = models.ForeignKey("core.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    group = models.ForeignKey(
        "core.Group", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("group")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.INVITE)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=BatchStatus, default=BatchStatus.PENDING)
    sent = models.PositiveIntegerField(_("sent"), default=0)
    bounced = models.PositiveIntegerField(_("refused by the mail server"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = school_scoped(SchoolScopedQuerySet, school="school")

    class Meta:
        verbose_name = _("mail batch")
        verbose_name_plural = _("mail batches")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "-created_at"], name="mailbatch_school_recent")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"

    @property
    def is_busy(self) -> bool:
        return self.status in (BatchStatus.PENDING, BatchStatus.RUNNING)


class BouncedAddress(models.Model):
    """An address the mail server refused (SMTP 5xx on RCPT). Guardians with it need a letter or a
    corrected address; a new address is simply not in this table."""

    email = models.EmailField(_("e-mail address"), unique=True)  # stored lower-case
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("refused at"), auto_now=True)

    class Meta:
        verbose_name = _("refused e-mail address")
        verbose_name_plural = _("refused e-mail addresses")

    def __str__(self) -> str:
        return self.email
