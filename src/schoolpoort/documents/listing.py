"""The documents a user finds, for the pages and the JSON API alike: every document through
``Document.objects.visible_to`` at the schools where the module is usable for the user, with
whether its current file is shown to the user (``images.shown_version_q``, the image consent rule)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404

from schoolpoort.core.access import get_visible_or_404
from schoolpoort.core.models import Guardianship

from . import images
from .models import Document, DocumentVersion
from .scope import usable_schools


def named_links():
    return Guardianship.objects.select_related("user", "student").order_by("pk")


def document_queryset():
    return Document.objects.select_related("shelf__school", "folder", "current_version__uploaded_by").prefetch_related(
        "shelf__groups", Prefetch("shelf__guardianships", queryset=named_links())
    )


def document_or_404(user, document_id: int) -> Document:
    return get_visible_or_404(document_queryset(), user, pk=document_id)


def file_shown(user) -> Exists:
    """An annotation: the user gets the document's current file (``images.shows`` in the query)."""
    return Exists(DocumentVersion.objects.filter(images.shown_version_q(user), pk=OuterRef("current_version_id")))


def visible_documents(user):
    """Every document the user sees, each with ``file_shown``; 404 where the module is of no use."""
    school_ids = [school.pk for school in usable_schools(user)]
    if not school_ids:
        raise Http404
    return (
        Document.objects.visible_to(user)
        .filter(shelf__school_id__in=school_ids)
        .select_related("shelf", "folder", "current_version")
        .annotate(file_shown=file_shown(user))
    )
