"""The reading pages: the bookshelf, one shelf (or a folder on it), one document, and its files.
Every shelf, document and version is fetched through ``visible_to`` (what the user may not see is
a 404, a guessed version id of another document too), and every file goes out through
``send_file`` after that check: PDFs inline so that the browser shows them, other files as a
download. A fixed number of queries per page, whatever the number of shelves or documents."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Prefetch
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from schoolpoort.core.access import get_visible_or_404
from schoolpoort.core.consent import tagged_image_ids
from schoolpoort.core.files import send_file
from schoolpoort.core.models import School

from . import actions, images
from .editing import rights_of
from .forms import folder_paths
from .listing import document_or_404, named_links
from .models import Document, DocumentVersion, Folder, Shelf
from .scope import usable_schools

RECENT_DAYS = 14
RECENT_COUNT = 5


def shelf_queryset():
    return Shelf.objects.select_related("school").prefetch_related(
        "groups", Prefetch("guardianships", queryset=named_links())
    )


def shelf_or_404(user, shelf_id: int) -> Shelf:
    return get_visible_or_404(shelf_queryset(), user, pk=shelf_id)


def editable_shelf_or_404(user, shelf_id: int) -> Shelf:
    shelf = shelf_or_404(user, shelf_id)
    if not rights_of(user).can_edit(shelf):
        raise Http404
    return shelf


def editable_document_or_404(user, document_id: int) -> Document:
    document = document_or_404(user, document_id)
    if not rights_of(user).can_edit(document.shelf):
        raise Http404
    return document


def recent_documents(user, school_ids):
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    return Document.objects.visible_to(user).filter(shelf__school_id__in=school_ids, created_at__gte=since)


@dataclass
class SchoolShelves:
    school: School
    shelves: list[Shelf] = field(default_factory=list)
    can_create: bool = False


@login_required
def bookshelf(request):
    """Every shelf the user sees, per school, with the documents added lately on top."""
    user = request.user
    schools = usable_schools(user)
    if not schools:
        raise Http404
    rights = rights_of(user)
    school_ids = [school.pk for school in schools]
    shelves = (
        shelf_queryset()
        .visible_to(user)
        .filter(school_id__in=school_ids)
        .annotate(document_count=Count("documents"))
        .order_by("school__name", "position", "title", "pk")
    )
    sections = {school.pk: SchoolShelves(school, can_create=rights.can_create_shelf(school.pk)) for school in schools}
    for shelf in shelves:
        shelf.audience_text = shelf.audience_label(rights.is_staff_at(shelf.school_id))
        sections[shelf.school_id].shelves.append(shelf)
    recent = list(
        recent_documents(user, school_ids)
        .select_related("shelf", "current_version")
        .order_by("-created_at", "-pk")[:RECENT_COUNT]
    )
    return render(
        request,
        "documents/bookshelf.html",
        {
            "sections": [sections[school.pk] for school in schools],
            "several_schools": len(schools) > 1,
            "recent": recent,
            "recent_days": RECENT_DAYS,
        },
    )


def _crumbs(folder: Folder | None, by_id: dict[int, Folder]) -> list[Folder]:
    crumbs, seen = [], set()
    while folder is not None and folder.pk not in seen:
        crumbs.append(folder)
        seen.add(folder.pk)
        folder = by_id.get(folder.parent_id)
    return list(reversed(crumbs))


def _shelf_page(request, shelf: Shelf, folder_id: int | None):
    user = request.user
    folders = list(Folder.objects.filter(shelf=shelf).annotate(document_count=Count("documents")))
    by_id = {folder.pk: folder for folder in folders}
    folder = None
    if folder_id is not None:
        folder = by_id.get(folder_id)
        if folder is None:
            raise Http404
    documents = (
        Document.objects.visible_to(user)
        .filter(shelf=shelf, folder=folder)
        .select_related("current_version")
        .order_by("title", "pk")
    )
    rights = rights_of(user)
    shelf.audience_text = shelf.audience_label(rights.is_staff_at(shelf.school_id))
    paths = folder_paths(folders)
    return render(
        request,
        "documents/shelf.html",
        {
            "shelf": shelf,
            "folder": folder,
            "crumbs": _crumbs(folder, by_id)[:-1] if folder else [],
            "subfolders": sorted(
                (f for f in folders if f.parent_id == (folder.pk if folder else None)), key=lambda f: f.title.lower()
            ),
            "documents": documents,
            "can_edit": rights.can_edit(shelf),
            "folder_path": paths.get(folder.pk) if folder else "",
        },
    )


@login_required
def shelf(request, shelf_id: int):
    return _shelf_page(request, shelf_or_404(request.user, shelf_id), None)


@login_required
def folder(request, shelf_id: int, folder_id: int):
    return _shelf_page(request, shelf_or_404(request.user, shelf_id), folder_id)


@login_required
def detail(request, document_id: int):
    """One document: its current file, and for staff every earlier version."""
    user = request.user
    document = document_or_404(user, document_id)
    versions = list(
        DocumentVersion.objects.visible_to(user).filter(document=document).select_related("uploaded_by")
    )
    rights = rights_of(user)
    document.shelf.audience_text = document.shelf.audience_label(rights.is_staff_at(document.shelf.school_id))
    actions.mark_read(document, user)
    version = document.current_version
    can_edit = rights.can_edit(document.shelf)
    photo = version is not None and images.is_image(version)
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            # A photo the user may not see (image consent) is as if there were no file.
            "version": version if images.shows(user, version) else None,
            "versions": versions,
            "sees_history": rights.is_staff_at(document.shelf.school_id),
            "can_edit": can_edit,
            "can_tag": can_edit and photo,
            "untagged": can_edit and photo and not tagged_image_ids(DocumentVersion, [version.pk]),
        },
    )


def _send(request, version: DocumentVersion):
    return send_file(
        request, version.file, filename=version.original_name, inline=version.is_pdf,
        content_type=version.content_type,
    )


@login_required
def current_file(request, document_id: int):
    """The newest file of a document (what every viewer gets)."""
    version = get_visible_or_404(
        DocumentVersion.objects.select_related("document").filter(images.shown_version_q(request.user)),
        request.user,
        document_id=document_id,
        pk=F("document__current_version_id"),
    )
    actions.mark_read(version.document, request.user)
    # The same address serves the next version after a replace: no browser cache keeps the old one.
    return _send(request, version)


@login_required
def version_file(request, document_id: int, version_id: int):
    """One version of a document: staff get every version, guardians only the current one. A version
    never changes, so the browser may keep it for a while."""
    version = get_visible_or_404(
        DocumentVersion.objects.filter(images.shown_version_q(request.user)), request.user, pk=version_id,
        document_id=document_id,
    )
    return _send(request, version)
