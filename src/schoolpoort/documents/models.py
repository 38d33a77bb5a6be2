"""Documents (boekenkast): shelves of files for the whole school, for some groups, or for named
guardians (a letter for one family), with folders inside a shelf and every version of a file
kept. Who may see what lives in ``access.py`` and is reached through ``visible_to(user)``; who
may change what in ``editing.py``; who is told about a new document in ``audience.py``.

A file has no public URL: it is stored under a random name and served by the views after the
access check, through ``core.files.send_file``."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.scopes import school_scoped

from . import access


class ShelfQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(access.shelf_q(user))


class Shelf(models.Model):
    class Audience(models.TextChoices):
        SCHOOL = "school", _("the whole school")
        GROUPS = "groups", _("groups")
        GUARDIANS = "guardians", _("named parents")

    school = models.ForeignKey(
        "core.School", on_delete=models.CASCADE, related_name="document_shelves", verbose_name=_("school")
    )
    title = models.CharField(_("title"), max_length=200)
    audience = models.CharField(_("for whom"), max_length=10, choices=Audience, default=Audience.SCHOOL)
    groups = models.ManyToManyField(
        "core.Group", blank=True, related_name="document_shelves", verbose_name=_("groups")
    )
    # A letter for one family: the guardian links of one child (both parents, or one of them).
    # A link that nobody registered for yet counts as soon as the parent registers.
    guardianships = models.ManyToManyField(
        "core.Guardianship", blank=True, related_name="document_shelves", verbose_name=_("parents")
    )
    position = models.PositiveIntegerField(
        _("position"), default=0, help_text=_("Shelves with a lower number come first.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = school_scoped(ShelfQuerySet, school="school")

    class Meta:
        verbose_name = _("shelf")
        verbose_name_plural = _("shelves")
        ordering = ["position", "title", "pk"]
        indexes = [models.Index(fields=["school", "audience"], name="documents_shelf_school")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:shelf", args=[self.pk])

    def audience_label(self, as_staff: bool) -> str:
        """Who the shelf is for, e.g. "Groep 3, Groep 6". A named shelf shows its parents to staff
        and reads "Personal" for the parents themselves. Uses the prefetched groups and links."""
        if self.audience == self.Audience.SCHOOL:
            return str(_("The whole school"))
        if self.audience == self.Audience.GROUPS:
            groups = sorted(self.groups.all(), key=lambda group: (group.grades, group.name))
            return ", ".join(group.name for group in groups)
        if not as_staff:
            return str(_("Personal"))
        slots = list(self.guardianships.all())
        pupils = sorted({slot.student.full_name for slot in slots})
        names = ", ".join(slot.display_name for slot in slots)
        return f"{names} ({', '.join(pupils)})" if pupils else str(_("Nobody named yet"))


class Folder(models.Model):
    shelf = models.ForeignKey(Shelf, on_delete=models.CASCADE, related_name="folders")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children",
        verbose_name=_("inside folder"),
    )
    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    objects = school_scoped(school="shelf__school")

    class Meta:
        verbose_name = _("folder")
        verbose_name_plural = _("folders")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:folder", args=[self.shelf_id, self.pk])


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(access.document_q(user))


class Document(models.Model):
    # The shelf is always set (the folder's shelf for a document in a folder): access is one filter.
    shelf = models.ForeignKey(Shelf, on_delete=models.CASCADE, related_name="documents")
    folder = models.ForeignKey(
        Folder, on_delete=models.CASCADE, null=True, blank=True, related_name="documents", verbose_name=_("folder")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    current_version = models.ForeignKey(
        "DocumentVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = school_scoped(DocumentQuerySet, school="shelf__school")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["title", "pk"]
        indexes = [
            models.Index(fields=["shelf", "folder"], name="documents_document_place"),
            models.Index(fields=["created_at"], name="documents_document_created"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.pk])

    @property
    def file_url(self) -> str:
        """The current version: always the newest file, whoever may see the document."""
        return reverse("documents:file", args=[self.pk])

    @property
    def notification_prefix(self) -> str:
        return f"documents.document:{self.pk}:"


def version_path(instance: DocumentVersion, filename: str) -> str:
    """A random name under documents/: the original name is kept in the row, never in the path."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


KIND_LABELS = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "application/vnd.oasis.opendocument.text": "OpenDocument",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument",
    "image/jpeg": "JPG",
    "image/png": "PNG",
    "image/webp": "WebP",
    "text/plain": "TXT",
    "text/csv": "CSV",
}


class DocumentVersionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(access.version_q(user))


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    file = models.FileField(upload_to=version_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    # Who is in a photo document (image consent): deleted with the version.
    image_tags = GenericRelation("core.ImageTag")

    objects = school_scoped(DocumentVersionQuerySet, school="document__shelf__school")

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("documents:version", args=[self.document_id, self.pk])

    @property
    def kind_label(self) -> str:
        """A short name of the file's kind for lists: PDF, Word, JPG, ..."""
        return KIND_LABELS.get(self.content_type.split(";")[0].strip()) or str(_("file"))

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"

    @property
    def notification_key(self) -> str:
        return f"documents.document:{self.document_id}:version:{self.pk}"
