"""Documents for a parent's app: the documents the caller sees (newest first, cursor pagination)
and one document, through the same ``visible_to`` rule and usable schools as the bookshelf
(``documents.listing``). The file is the page's own file address, which checks the same rule (the
image consent rule for a photo on a shelf) on every download; a file the caller may not get is
``null``, as the page shows no file then."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from ninja import Router, Schema

from schoolpoort.documents import actions, images
from schoolpoort.documents.listing import document_or_404, visible_documents

from .. import cursors
from ..errors import ERRORS

router = Router(tags=["documents"])
PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


class FileOut(Schema):
    name: str
    content_type: str
    kind: str
    size: int
    uploaded_at: datetime.datetime
    url: str


class DocumentOut(Schema):
    id: int
    title: str
    description: str
    shelf_id: int
    shelf: str
    folder: str | None
    school_id: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    file: FileOut | None
    url: str


class DocumentPage(Schema):
    items: list[DocumentOut]
    next_cursor: str | None


def _document(document, shown: bool) -> dict:
    version = document.current_version
    return {
        "id": document.pk, "title": document.title, "description": document.description,
        "shelf_id": document.shelf_id, "shelf": document.shelf.title,
        "folder": document.folder.title if document.folder else None, "school_id": document.shelf.school_id,
        "created_at": document.created_at, "updated_at": document.updated_at,
        "file": {
            "name": version.original_name, "content_type": version.content_type, "kind": version.kind_label,
            "size": version.size, "uploaded_at": version.uploaded_at,
            "url": settings.SITE_URL + reverse("documents:file", args=[document.pk]),
        } if version is not None and shown else None,
        "url": settings.SITE_URL + document.get_absolute_url(),
    }


@router.get("/documents", response={200: DocumentPage, **ERRORS}, url_name="documents",
            summary="The documents the caller sees")
def documents(request, shelf_id: int | None = None, cursor: str | None = None, limit: int = PAGE_SIZE):
    """Newest first; ``shelf_id``: of one shelf only."""
    request.auth.require_session()
    found = visible_documents(request.auth.user)
    if shelf_id is not None:
        found = found.filter(shelf_id=shelf_id)
    if (after := cursors.decode(cursor, 2)) is not None:
        created, pk = parse_datetime(after[0]) if isinstance(after[0], str) else None, after[1]
        if created is None or not isinstance(pk, int):
            raise cursors.invalid()
        found = found.filter(Q(created_at__lt=created) | Q(created_at=created, pk__lt=pk))
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    rows = list(found.order_by("-created_at", "-pk")[: limit + 1])
    page, more = rows[:limit], len(rows) > limit
    return {
        "items": [_document(document, document.file_shown) for document in page],
        "next_cursor": cursors.encode([page[-1].created_at.isoformat(), page[-1].pk]) if more else None,
    }


@router.get("/documents/{document_id}", response={200: DocumentOut, **ERRORS}, url_name="document",
            summary="One document")
def document(request, document_id: int):
    """As the document's page: opening it reads its notifications."""
    request.auth.require_session()
    user = request.auth.user
    found = document_or_404(user, document_id)
    actions.mark_read(found, user)
    return _document(found, images.shows(user, found.current_version))
