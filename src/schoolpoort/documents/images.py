"""Which document versions a user gets as a file (image consent, the one rule of
``core.consent``): every file that is not an image; an image (a photo put on a shelf) for staff of
the school and the one who uploaded it, and for other families once staff tagged the children in
it (none without consent, unless their own) or marked that no child is recognisable."""

from __future__ import annotations

from django.db.models import Q

from schoolpoort.core.consent import image_q
from schoolpoort.core.models import Group

from .models import DocumentVersion, Shelf


def shown_version_q(user) -> Q:
    return ~Q(content_type__startswith="image/") | image_q(
        user, DocumentVersion, school_field="document__shelf__school_id", uploader_field="uploaded_by"
    )


def is_image(version: DocumentVersion) -> bool:
    return version.content_type.startswith("image/")


def shows(user, version: DocumentVersion | None) -> bool:
    """Whether the user gets this version's file (one query for an image, none otherwise)."""
    if version is None or not is_image(version):
        return True
    return DocumentVersion.objects.filter(shown_version_q(user), pk=version.pk).exists()


def audience_groups(shelf: Shelf):
    """The groups whose pupils an image on the shelf can show (for tagging): the shelf's groups,
    the groups of the children of the named families, or every group of the school."""
    if shelf.audience == Shelf.Audience.GROUPS:
        return Group.objects.filter(document_shelves=shelf)
    if shelf.audience == Shelf.Audience.SCHOOL:
        return Group.objects.filter(school_id=shelf.school_id)
    children = shelf.guardianships.values("student_id")
    return Group.objects.filter(pk__in=Group.objects.filter(enrollments__student_id__in=children).values("pk"))
