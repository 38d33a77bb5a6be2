"""One import of a file from the administration system: previewed (dry run), then applied or not.
The file is parked encrypted in ``core.staging`` (kept after applying, so that the history shows
what came in; an unconfirmed one goes when it expires) and confirming re-reads exactly that file."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schoolpoort.core import access
from schoolpoort.core.models import Board, School, StagedUpload
from schoolpoort.core.scopes import school_scoped


def _upload_to(run, filename: str) -> str:
    # Only for migration 0001, from when runs kept their file themselves (plaintext).
    return f"imports/{uuid.uuid4().hex}"


class ImportRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not access._is_signed_in(user):
            return self.none()
        return self.filter(
            Q(school_id__in=access.managed_school_ids(user)) | Q(board__memberships__user=user, school__isnull=True)
        )


class ImportRun(models.Model):
    class Status(models.TextChoices):
        READING = "reading", _("being read")
        PREVIEWED = "previewed", _("previewed")
        APPLIED = "applied", _("applied")
        FAILED = "failed", _("failed")

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("school")
    )
    board = models.ForeignKey(
        Board, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("board")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    format = models.CharField(_("format"), max_length=20)
    filename = models.CharField(_("file name"), max_length=255)
    upload = models.OneToOneField(  # the parked file; None once an unconfirmed preview expired
        StagedUpload, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PREVIEWED)
    summary = models.JSONField(_("summary"), default=dict, blank=True)  # counts per kind of change
    preview = models.JSONField(default=dict, blank=True)  # the dry run as shown (run.stored_preview)
    digest = models.CharField(max_length=64, blank=True)  # of the plan last shown: was it still the same?

    objects = school_scoped(ImportRunQuerySet, school="school", board="board")

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "-created_at"]), models.Index(fields=["board", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"
