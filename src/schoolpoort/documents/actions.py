"""Actions on shelves, folders and documents that the pages and the API share. Each is atomic;
notifications go through ``notify()`` inside the same transaction, so they commit (or roll back)
with the document. Files of deleted documents leave the storage once the deletion has committed;
a file stored by an action that fails is removed again."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone

from schoolpoort.core.models import AuditEntry
from schoolpoort.lib.uploads import CheckedFile

from .access import MODULE
from .audience import recipients
from .models import Document, DocumentVersion, Folder, Shelf


def _set_audience(shelf: Shelf, groups: Iterable, guardianships: Iterable) -> None:
    shelf.groups.set(groups if shelf.audience == Shelf.Audience.GROUPS else [])
    shelf.guardianships.set(guardianships if shelf.audience == Shelf.Audience.GUARDIANS else [])


@transaction.atomic
def save_shelf(shelf: Shelf, actor, *, groups: Iterable = (), guardianships: Iterable = ()) -> Shelf:
    """Create or update a shelf with its audience (groups for a group shelf, guardian links for a
    named one; the other kind is cleared)."""
    created = shelf.pk is None
    if created:
        shelf.created_by = actor
    shelf.save()
    _set_audience(shelf, groups, guardianships)
    AuditEntry.record(actor, "documents.shelf_created" if created else "documents.shelf_changed", shelf,
                      school=shelf.school, title=shelf.title, audience=shelf.audience)
    return shelf


@transaction.atomic
def delete_shelf(shelf: Shelf, actor) -> None:
    """The shelf with its folders, documents, every version's file and the notifications about them."""
    documents = list(shelf.documents.all())
    for document in documents:
        _cancel_notifications(document)
    _delete_files_on_commit(DocumentVersion.objects.filter(document__shelf=shelf))
    AuditEntry.record(actor, "documents.shelf_deleted", shelf, school=shelf.school, title=shelf.title,
                      documents=len(documents))
    shelf.delete()


@transaction.atomic
def save_folder(folder: Folder, actor) -> Folder:
    """Create, rename or move a folder: only within its own shelf, never into itself or below."""
    parent, seen = folder.parent, {folder.pk}
    while parent is not None:
        if parent.shelf_id != folder.shelf_id or parent.pk in seen:
            raise ValueError("a folder moves within its shelf, not into itself")
        seen.add(parent.pk)
        parent = parent.parent
    folder.save()
    return folder


class FolderNotEmpty(Exception):
    pass


@transaction.atomic
def delete_folder(folder: Folder, actor) -> None:
    """Only an empty folder goes: documents are never deleted by accident with their folder."""
    if folder.documents.exists() or folder.children.exists():
        raise FolderNotEmpty
    folder.delete()


def _store_version(document: Document, prepared: CheckedFile, actor, note: str, stored: list) -> DocumentVersion:
    version = DocumentVersion(
        document=document,
        original_name=prepared.name,
        content_type=prepared.content_type,
        size=prepared.size,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
        note=note,
    )
    version.file.save(prepared.name, prepared.content, save=False)
    stored.append((version.file.storage, version.file.name))
    version.save()
    return version


@contextmanager
def _files_kept_only_on_success():
    """Files are not part of the transaction: a file stored by an action that fails is removed
    again. (A caller's own transaction that rolls back later leaves the file behind, unreachable.)"""
    stored: list = []
    try:
        with transaction.atomic():
            yield stored
    except BaseException:
        for storage, name in stored:
            storage.delete(name)
        raise


def _notify(document: Document, version: DocumentVersion, event: str) -> None:
    from schoolpoort.notify.api import notify

    user_ids = recipients(document.shelf)
    if user_ids:
        notify(
            user_ids,
            event=event,
            key=version.notification_key,
            module=MODULE,
            title=document.title,
            url=document.get_absolute_url(),
            school=document.shelf.school_id,
        )


def add_document(
    shelf: Shelf,
    prepared: CheckedFile,
    actor,
    *,
    title: str,
    description: str = "",
    folder: Folder | None = None,
    notify: bool = True,
) -> Document:
    """A new document on the shelf (in ``folder`` when given) with its first version; the shelf's
    parents are told (a named letter: only the named ones)."""
    if folder is not None and folder.shelf_id != shelf.pk:
        raise ValueError("the folder is on another shelf")
    with _files_kept_only_on_success() as stored:
        now = timezone.now()
        document = Document.objects.create(
            shelf=shelf, folder=folder, title=title, description=description, created_by=actor, created_at=now,
            updated_at=now,
        )
        version = _store_version(document, prepared, actor, "", stored)
        document.current_version = version
        document.save(update_fields=["current_version"])
        if notify:
            _notify(document, version, "documents.added")
        AuditEntry.record(actor, "documents.added", document, school=shelf.school, title=title,
                          file=prepared.name)
    return document


def replace_document(document: Document, prepared: CheckedFile, actor, *, note: str = "",
                     notify: bool = False) -> DocumentVersion:
    """A new current version; the old ones stay (staff see and download them)."""
    with _files_kept_only_on_success() as stored:
        document = Document.objects.select_for_update().select_related("shelf__school").get(pk=document.pk)
        version = _store_version(document, prepared, actor, note, stored)
        document.current_version = version
        document.updated_at = version.uploaded_at
        document.save(update_fields=["current_version", "updated_at"])
        if notify:
            _notify(document, version, "documents.updated")
        AuditEntry.record(actor, "documents.replaced", document, school=document.shelf.school,
                          title=document.title, file=prepared.name, version=version.pk)
    return version


@transaction.atomic
def update_document(document: Document, actor, *, title: str, description: str, folder: Folder | None) -> Document:
    if folder is not None and folder.shelf_id != document.shelf_id:
        raise ValueError("the folder is on another shelf")
    document.title, document.description, document.folder = title, description, folder
    document.save(update_fields=["title", "description", "folder"])
    return document


@transaction.atomic
def delete_document(document: Document, actor) -> None:
    """The document with every version's file, and the notifications about it not sent yet."""
    _cancel_notifications(document)
    _delete_files_on_commit(document.versions.all())
    AuditEntry.record(actor, "documents.deleted", document, school=document.shelf.school, title=document.title)
    document.delete()


def _cancel_notifications(document: Document) -> None:
    from schoolpoort.notify.api import cancel
    from schoolpoort.notify.models import Broadcast

    keys = Broadcast.objects.filter(key__startswith=document.notification_prefix).values_list("key", flat=True)
    for key in sorted(set(keys)):
        cancel(key)


def _delete_files_on_commit(versions) -> None:
    files = [(version.file.storage, version.file.name) for version in versions if version.file]

    def delete():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete)


def mark_read(document: Document, user) -> None:
    """The user opened the document: their notifications about any of its versions are read."""
    from schoolpoort.notify.models import Notification

    Notification.objects.filter(
        recipient=user, key__startswith=document.notification_prefix, read_at__isnull=True
    ).update(read_at=timezone.now())
