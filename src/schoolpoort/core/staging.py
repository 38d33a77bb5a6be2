"""Staging: the one way an uploaded import is parked between "show what would change" and "confirm".

Every import runs upload → park → plan → show → confirm → apply. ``park`` keeps the file encrypted
at rest (the records key, ``lib.encryption``: a records file may hold medical details) under a
random name, with its SHA-256, its owner, school and kind, and an expiry. The page shows a plan
and carries ``upload.digest_for(plan_digest)``; ``confirm`` locks the row, re-reads the file,
re-plans inside the transaction and writes only when the digest is still the one shown — the file
and the plan both — so the plan applied is the plan that was confirmed, and a second click finds the
row applied and writes nothing. ``sweep`` removes what was never confirmed once it expired (run
from ``park``, from ``manage.py sweep_staging`` and from the ``sweep_staged_uploads`` task).

A large file (over ``INLINE_MAX``) is parked as ``READING`` and read by the worker; its page says
so and refreshes until the module marks it read (``mark_read``)."""

from __future__ import annotations

import datetime
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schoolpoort.lib.encryption import encrypted_storage

from . import access

INLINE_MAX = 2 * 1024 * 1024  # larger files are read by the worker, not inside the web request
LIFETIME = datetime.timedelta(hours=1)  # how long a preview may be confirmed, by default


def _upload_to(upload: StagedUpload, filename: str) -> str:
    # A random name: the original name is kept in ``filename`` and never decides a path.
    return f"staging/{uuid.uuid4().hex}"


class StagedUploadQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The office of the upload's school (administration, director, board admin)."""
        if not access._is_signed_in(user):
            return self.none()
        return self.filter(Q(school_id__in=access.managed_school_ids(user)) | Q(school__isnull=True, owner=user))

    def expired(self, now: datetime.datetime | None = None):
        """Past their expiry and not to be kept: never confirmed, or confirmed and no longer needed."""
        now = now or timezone.now()
        return self.filter(expires_at__lt=now).exclude(status=StagedUpload.Status.APPLIED, keep=True)


class StagedUpload(models.Model):
    class Status(models.TextChoices):
        READING = "reading", _("being read")
        PARKED = "parked", _("waiting for confirmation")
        APPLIED = "applied", _("applied")

    school = models.ForeignKey(
        "core.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("school")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=40)  # "<module>.<kind>": "records.medical", "imports.sis"
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    # Stored as a Fernet token, not the file (lib.encryption: rotated with every other encrypted file).
    file = models.FileField(upload_to=_upload_to, storage=encrypted_storage, max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)  # of the file as uploaded
    sha256 = models.CharField(max_length=64)  # of the file as uploaded
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PARKED)
    keep = models.BooleanField(default=False)  # kept after applying (the import history offers the file)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    objects = StagedUploadQuerySet.as_manager()

    class Meta:
        app_label = "core"
        verbose_name = _("staged upload")
        verbose_name_plural = _("staged uploads")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} ({self.status})"

    @property
    def is_expired(self) -> bool:
        return self.status != self.Status.APPLIED and self.expires_at < timezone.now()

    def digest_for(self, plan_digest: str) -> str:
        """What the confirm form carries: this file and the plan shown for it, in one SHA-256."""
        return hashlib.sha256(f"{self.sha256}:{plan_digest}".encode()).hexdigest()


class Expired(Exception):
    """The upload is gone or past its expiry: the file must be chosen again."""


def park(
    *,
    kind: str,
    data: bytes,
    filename: str = "",
    school=None,
    owner=None,
    lifetime: datetime.timedelta = LIFETIME,
    keep: bool = False,
    read_later: bool = False,
) -> StagedUpload:
    """Keep ``data`` encrypted until it is confirmed or expires. ``read_later``: the worker reads it."""
    sweep()
    upload = StagedUpload(
        school=school,
        owner=owner if getattr(owner, "pk", None) else None,
        kind=kind,
        filename=filename[:255],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        status=StagedUpload.Status.READING if read_later else StagedUpload.Status.PARKED,
        keep=keep,
        expires_at=timezone.now() + lifetime,
    )
    upload.file.save("staged", ContentFile(data), save=False)
    upload.save()
    return upload


def is_large(data: bytes) -> bool:
    return len(data) > INLINE_MAX


def read(upload: StagedUpload) -> bytes:
    """The file as it was uploaded. Raises ``Expired`` when it is gone or was tampered with."""
    if not upload.file:
        raise Expired
    try:
        with upload.file.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, ImproperlyConfigured):  # gone, or not a token of ours (tampered)
        raise Expired from None
    if hashlib.sha256(data).hexdigest() != upload.sha256:
        raise Expired
    return data


def mark_read(upload: StagedUpload) -> None:
    """The worker has read the file: its plan can be shown."""
    StagedUpload.objects.filter(pk=upload.pk, status=StagedUpload.Status.READING).update(
        status=StagedUpload.Status.PARKED
    )
    upload.status = StagedUpload.Status.PARKED


@dataclass
class Confirmation:
    """What ``confirm`` did: ``applied`` (written now), ``changed`` (the plan is no longer the one
    shown: nothing written, show ``plan``), ``refused`` (``write`` declined: the plan has errors),
    or ``already`` (a second confirmation: nothing written, ``plan`` is None)."""

    outcome: str
    plan: Any = None

    @property
    def applied(self) -> bool:
        return self.outcome == "applied"


def confirm(
    upload: StagedUpload,
    *,
    digest: str,
    make_plan: Callable[[bytes], Any],
    digest_of: Callable[[Any], str],
    write: Callable[[Any], bool],
) -> Confirmation:
    """Apply ``upload`` once, and only as shown. Inside one transaction: lock the row, re-read the
    file, ``make_plan`` it against the data as it is now, compare with ``digest`` and ``write``
    (which returns False when the plan cannot be written; then nothing is). Raises ``Expired``."""
    with transaction.atomic():
        locked = StagedUpload.objects.select_for_update().filter(pk=upload.pk).first()
        if locked is None:
            raise Expired
        if locked.status == StagedUpload.Status.APPLIED:
            return Confirmation("already")
        if locked.is_expired or locked.status == StagedUpload.Status.READING:
            raise Expired
        plan = make_plan(read(locked))
        if not digest or locked.digest_for(digest_of(plan)) != digest:
            return Confirmation("changed", plan)
        if not write(plan):
            return Confirmation("refused", plan)
        locked.status = StagedUpload.Status.APPLIED
        locked.applied_at = timezone.now()
        locked.save(update_fields=["status", "applied_at"])
        if not locked.keep:
            # Nothing needs the file any more; the row stays until the sweep, to answer a second click.
            transaction.on_commit(lambda: _delete_file(locked))
    upload.status, upload.applied_at = locked.status, locked.applied_at
    return Confirmation("applied", plan)


def plan_digest(*parts) -> str:
    """A module's digest of the plan it shows: SHA-256 over the parts' ``repr`` (plain values)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def token_for(upload: StagedUpload, plan_digest: str) -> str:
    """What a confirm form carries when it has one field: the upload and the digest of what it shows."""
    return f"{upload.pk}.{upload.digest_for(plan_digest)}"


def from_token(user, token: str, *, school, kind_prefix: str) -> tuple[StagedUpload, str]:
    """The upload a confirm form names, if the user may confirm it (the office of its school), and
    the digest it carried. Raises ``Expired`` for anything else: forged, another school, swept."""
    pk, _dot, digest = (token or "").partition(".")
    upload = (
        StagedUpload.objects.visible_to(user)
        .filter(school=school, kind__startswith=kind_prefix, pk=int(pk) if pk.isdigit() else 0)
        .first()
    )
    if upload is None or not digest:
        raise Expired
    return upload, digest


def _delete_file(upload: StagedUpload) -> None:
    if upload.file:
        upload.file.delete(save=False)
        StagedUpload.objects.filter(pk=upload.pk).update(file="")


def discard(upload: StagedUpload) -> None:
    """Remove an upload that will not be confirmed (its plan had errors, or nothing to change)."""
    if upload.file:
        upload.file.delete(save=False)
    upload.delete()


def sweep(now: datetime.datetime | None = None) -> int:
    """Delete the uploads that expired unconfirmed (and confirmed ones no longer needed), with their
    files. Returns how many."""
    count = 0
    for upload in StagedUpload.objects.expired(now).only("pk", "file")[:500]:
        try:
            if upload.file:
                upload.file.delete(save=False)
        except (FileNotFoundError, NotImplementedError):
            pass
        upload.delete()
        count += 1
    return count


# --- Drafts: files chosen in a form, kept from the first submit until the form is sent -------------
#
# A file chosen in a compose form (a news post, a message) is checked (``lib.uploads``) and parked
# here at once, as its user's draft: a preview, a count of recipients or a failed validation then
# never drops it. The form carries the drafts' ids and shows them with a remove button; sending the
# form stores them with the item and discards them. A draft belongs to its owner only (school
# unset: ``visible_to`` shows it to no one else) and the sweep removes it a day after.

DRAFT_LIFETIME = datetime.timedelta(days=1)


def park_draft(checked, *, owner, kind: str) -> StagedUpload:
    """Keep a checked upload (``lib.uploads.CheckedFile``) as ``owner``'s draft of ``kind``."""
    return park(kind=kind, data=checked.read(), filename=checked.name, owner=owner, lifetime=DRAFT_LIFETIME)


def drafts(owner, kind: str, ids) -> list[StagedUpload]:
    """``owner``'s drafts of ``kind`` among ``ids`` (anything else in ``ids`` is ignored), oldest first."""
    wanted = {int(value) for value in ids if str(value).isdigit()}
    if not wanted or not getattr(owner, "pk", None):
        return []
    return list(
        StagedUpload.objects.visible_to(owner)
        .filter(owner=owner, school__isnull=True, kind=kind, status=StagedUpload.Status.PARKED, pk__in=wanted,
                expires_at__gte=timezone.now())
        .order_by("pk")
    )


def draft_file(upload: StagedUpload, policy):
    """The draft as a checked upload again, to store with its item (checked once more by the kernel,
    as every file that comes in). Raises ``Expired`` when it is gone."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from schoolpoort.lib import uploads

    return uploads.check(SimpleUploadedFile(upload.filename or "bestand", read(upload)), policy)


def discard_on_commit(uploads) -> None:
    """Discard drafts once the item they were stored with is committed."""
    uploads = list(uploads)
    if uploads:
        transaction.on_commit(lambda: [discard(upload) for upload in uploads])
