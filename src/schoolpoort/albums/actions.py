"""Actions on albums that the pages (and later the API) share. Each is atomic; the processing
task and the notifications are enqueued in the same transaction, so they commit (or roll back)
with the rows that caused them. Files are deleted only after the deleting transaction commits."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from schoolpoort.core.access import open_module_school_ids
from schoolpoort.core.models import AuditEntry, Group, Guardianship, Student
from schoolpoort.core.versions import content_changed
from schoolpoort.lib.uploads import CheckedFile

from .access import MODULE
from .models import Album, Photo, PhotoTag
from .tasks import process_photo


def _delete_files_on_commit(files) -> None:
    files = [(f.storage, f.name) for f in files if f]

    def delete():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def save_album(album: Album, *, groups=()) -> Album:
    album.save()
    if album.audience == Album.Audience.GROUPS:
        album.groups.set(groups)
    else:
        album.groups.clear()
    return album


def audience_guardian_ids(album: Album) -> list[int]:
    """The accounts of the guardians the album is for (who may see class pages)."""
    if album.audience == Album.Audience.SCHOOL:
        students = Student.objects.filter(school_id=album.school_id)
    else:
        groups = Group.objects.current().filter(albums=album)
        students = Student.objects.filter(enrollments__group__in=groups)
    return sorted(
        set(
            Guardianship.objects.filter(
                student__in=students.filter(archived_at__isnull=True), user__isnull=False, sees_class_pages=True
            ).values_list("user_id", flat=True)
        )
    )


@transaction.atomic
def publish_album(album: Album, actor) -> bool:
    """Show the album to its parents and tell them (once). Returns whether it was published now."""
    from schoolpoort.notify.api import notify

    locked = Album.objects.select_for_update().get(pk=album.pk)
    if locked.published_at is not None:
        return False
    album.published_at = timezone.now()
    Album.objects.filter(pk=album.pk).update(published_at=album.published_at)
    content_changed("albums")  # update() passes the signals (albums/signals.py)
    if open_module_school_ids(MODULE).filter(school_id=album.school_id).exists():
        user_ids = audience_guardian_ids(album)
        if user_ids:
            notify(user_ids, event="albums.published", key=album.notification_key, module=MODULE,
                   title=album.title, url=album.get_absolute_url(), school=album.school_id)
    AuditEntry.record(actor, "albums.published", album, school=album.school)
    return True


def add_photo(album: Album, prepared: CheckedFile, user) -> Photo:
    """Store one accepted upload in the album; it goes to the processing task (an image gets its
    clean versions, a video is remuxed without metadata) and is shown to parents only after it.
    Each photo in its own transaction: one failure loses nothing else of an upload."""
    with transaction.atomic():
        photo = Photo(
            album=album,
            kind=prepared.family,
            status=Photo.Status.PROCESSING,
            original_name=prepared.name,
            content_type=prepared.content_type,
            size=prepared.size,
            width=prepared.width,
            height=prepared.height,
            uploaded_by=user,
        )
        prepared.content.seek(0)
        photo.original.save(f"upload{prepared.extension}", prepared.content, save=False)
        try:
            photo.save()
            process_photo.enqueue(photo.pk)
        except Exception:
            photo.original.storage.delete(photo.original.name)
            raise
    return photo


@transaction.atomic
def set_tags(photo: Photo, students, actor) -> None:
    """The children the photo shows: exactly ``students`` (the caller checked they may be tagged)."""
    wanted = {student.pk for student in students}
    current = set(photo.tags.values_list("student_id", flat=True))
    photo.tags.filter(student_id__in=current - wanted).delete()
    PhotoTag.objects.bulk_create(
        [PhotoTag(photo=photo, student_id=pk, tagged_by=actor) for pk in sorted(wanted - current)],
        ignore_conflicts=True,
    )
    content_changed("albums")  # bulk_create passes the signals (albums/signals.py)


@transaction.atomic
def delete_photo(photo: Photo, actor) -> None:
    _delete_files_on_commit([photo.original, photo.web, photo.thumb])
    photo.delete()


@transaction.atomic
def delete_album(album: Album, actor) -> None:
    from schoolpoort.notify.api import cancel

    files = []
    for photo in album.photos.all():
        files += [photo.original, photo.web, photo.thumb]
    _delete_files_on_commit(files)
    cancel(album.notification_key)
    AuditEntry.record(actor, "albums.deleted", album, school=album.school, title=album.title)
    album.delete()
