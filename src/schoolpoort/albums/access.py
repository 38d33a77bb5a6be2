"""Who may see an album and which of its photos, built from the building blocks of
``core.access``, written once against ``core.access.AccessIds``: ``visible_to(user)`` reads it with
subqueries (one SQL query, always current), the home page with the request's plain id lists.

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
from schoolpoort.core.access import NOTHING, AccessIds, SubqueryIds, for_groups_q, switched_on_module_school_ids

MODULE = "albums"


def _model(label: str):
    return apps.get_model(label)


def enabled_module_school_ids(module: str = MODULE) -> QuerySet:
    """Schools where the module is switched on (closed or not): where staff may use it."""
    return switched_on_module_school_ids(module)


def guardian_album_q(ids: AccessIds) -> Q:
    return Q(published_at__isnull=False, school_id__in=ids.open_schools(MODULE)) & (
        Q(audience="school", school_id__in=ids.class_page_schools)
        | (Q(audience="groups") & for_groups_q(_model("albums.Album"), ids.child_groups))
    )


def staff_album_q(ids: AccessIds) -> Q:
    return Q(school_id__in=ids.switched_on_schools(MODULE)) & (
        Q(school_id__in=ids.managed_schools)
        | Q(audience="school", school_id__in=ids.staff_schools)
        | (Q(audience="groups") & for_groups_q(_model("albums.Album"), ids.taught_groups))
        | Q(created_by=ids.user, school_id__in=ids.staff_schools)
    )


def album_q(ids: AccessIds) -> Q:
    """The albums visible through ``ids``: ``SubqueryIds(user)`` for ``visible_to``, the request's
    ``ReachIds`` for the home page."""
    if not ids.signed_in:
        return NOTHING
    return staff_album_q(ids) | guardian_album_q(ids)


def unconsented_tags() -> QuerySet:
    """Tags of children without portal consent this school year."""
    return consent.unconsented(_model("albums.PhotoTag").objects.all())


def hidden_photo_ids(ids: AccessIds, albums=None) -> QuerySet:
    """Photos the user may not see as a guardian (the one consent rule, ``core.consent``); of the
    ``albums`` (ids) only, when given: then only their photos' tags are read, not the board's."""
    tags = _model("albums.PhotoTag").objects.all()
    if albums is not None:
        tags = tags.filter(photo__album_id__in=albums)
    return consent.blocked_image_ids(tags, ids.user, key="photo_id", own_children=ids.children)


def photo_q(ids: AccessIds, albums=None) -> Q:
    """The photos visible through ``ids``; ``albums`` (ids) when the caller asks about those albums'
    photos only (an album page, the home page's newest albums)."""
    if not ids.signed_in:
        return NOTHING
    Album = _model("albums.Album")
    staff_albums = Album.objects.filter(staff_album_q(ids)).values("pk")
    guardian_albums = Album.objects.filter(guardian_album_q(ids)).values("pk")
    return Q(album_id__in=staff_albums) | (
        Q(album_id__in=guardian_albums, status="ready") & ~Q(pk__in=hidden_photo_ids(ids, albums))
    )


def visible_album_q(user) -> Q:
    """``album_q`` for ``Album.objects.visible_to(user)``: one SQL query, always current."""
    return album_q(SubqueryIds(user))


def visible_photo_q(user, albums=None) -> Q:
    """``photo_q`` for ``Photo.objects.visible_to(user)``: one SQL query, always current."""
    return photo_q(SubqueryIds(user), albums)


def is_flagged():
    """An annotation: the photo shows a child without portal consent (a flag for the teacher)."""
    return Exists(unconsented_tags().filter(photo=OuterRef("pk")))
