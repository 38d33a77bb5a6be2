"""Who may see an album and which of its photos, built from the building blocks of
``core.access``. Each ``*_q`` is one SQL condition made of subqueries of ids, so that
``Album.objects.visible_to(user)`` and ``Photo.objects.visible_to(user)`` stay one query.

Albums:
- staff see the albums of their schools where the module is switched on: directors,
  administration and board admins every album; teachers the school-wide ones, those for the
  groups they teach this year, and their own; drafts included;
- guardians see published albums where the module is open (switched on and not closed): the
  school-wide ones of their children's schools and those for their children's current groups,
  in both cases only for children whose class pages they may see.

Photos (the image consent rule of ``core.consent``, asked with the albums' own tags):
- staff of an album see all its photos, also those still processing or failed;
- guardians see its ready photos, except a photo that shows (is tagged with) any child without
  consent for the portal in the current school year, unless that child is their own. No answer
  counts as no consent. An album is itself the place where staff tag, so an untagged album photo
  is shown (unlike an untagged news or message photo)."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet

from schoolpoort.core import consent
from schoolpoort.core.access import (
    NOTHING,
    guardian_group_ids,
    managed_school_ids,
    open_module_school_ids,
    staff_school_ids,
    switched_on_module_school_ids,
    taught_group_ids,
)

MODULE = "albums"


def _model(label: str):
    return apps.get_model(label)


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def enabled_module_school_ids(module: str = MODULE) -> QuerySet:
    """Schools where the module is switched on (closed or not): where staff may use it."""
    return switched_on_module_school_ids(module)


def _albums_for_groups(group_ids) -> QuerySet:
    """Ids of albums whose audience includes one of ``group_ids`` (no join: no duplicates)."""
    return _model("albums.Album").groups.through.objects.filter(group_id__in=group_ids).values("album_id")


def viewing_child_ids(user) -> QuerySet:
    """The user's children whose class pages (and so class photos) the school lets them see."""
    return (
        _model("core.Guardianship")
        .objects.filter(user=user, sees_class_pages=True, student__archived_at__isnull=True)
        .values("student_id")
    )


def guardian_album_q(user) -> Q:
    open_schools = open_module_school_ids(MODULE)
    child_schools = _model("core.Student").objects.filter(pk__in=viewing_child_ids(user)).values("school_id")
    return Q(published_at__isnull=False, school_id__in=open_schools) & (
        Q(audience="school", school_id__in=child_schools)
        | Q(audience="groups", pk__in=_albums_for_groups(guardian_group_ids(user)))
    )


def staff_album_q(user) -> Q:
    staff_schools = staff_school_ids(user)
    return Q(school_id__in=enabled_module_school_ids()) & (
        Q(school_id__in=managed_school_ids(user))
        | Q(audience="school", school_id__in=staff_schools)
        | Q(audience="groups", pk__in=_albums_for_groups(taught_group_ids(user)))
        | Q(created_by=user, school_id__in=staff_schools)
    )


def album_q(user) -> Q:
    if not _signed_in(user):
        return NOTHING
    return staff_album_q(user) | guardian_album_q(user)


def unconsented_tags() -> QuerySet:
    """Tags of children without portal consent this school year."""
    return consent.unconsented(_model("albums.PhotoTag").objects.all())


def hidden_photo_ids(user) -> QuerySet:
    """Photos the user may not see as a guardian (the one consent rule, ``core.consent``)."""
    return consent.blocked_image_ids(_model("albums.PhotoTag").objects.all(), user, key="photo_id")


def photo_q(user) -> Q:
    if not _signed_in(user):
        return NOTHING
    Album = _model("albums.Album")
    staff_albums = Album.objects.filter(staff_album_q(user)).values("pk")
    guardian_albums = Album.objects.filter(guardian_album_q(user)).values("pk")
    return Q(album_id__in=staff_albums) | (
        Q(album_id__in=guardian_albums, status="ready") & ~Q(pk__in=hidden_photo_ids(user))
    )


def is_flagged():
    """An annotation: the photo shows a child without portal consent (a flag for the teacher)."""
    return Exists(unconsented_tags().filter(photo=OuterRef("pk")))
