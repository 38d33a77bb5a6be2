"""The family export (``lib.family_export``): the photos and videos in which the user's children are
tagged, as the albums show them to the user (``Photo.objects.visible_to``: the consent rule
included), in their served version (no EXIF or location, never the original upload)."""

from __future__ import annotations

from django.db.models import Prefetch

from schoolpoort.core.access import guardian_student_ids
from schoolpoort.lib.family_export import Section, row

from .models import Photo, PhotoTag


def export_for(user) -> Section | None:
    children = guardian_student_ids(user)
    photos = (
        Photo.objects.visible_to(user)
        .filter(status=Photo.Status.READY, tags__student_id__in=children)
        .select_related("album")
        .prefetch_related(
            Prefetch(
                "tags", PhotoTag.objects.filter(student_id__in=children).select_related("student"), to_attr="own_tags"
            )
        )
        .distinct()
        .order_by("album_id", "pk")
    )
    section = Section("photos", None)
    rows = []
    for photo in photos:
        served = photo.served_file()
        rows.append({
            "album": photo.album.title,
            **row(photo, ["kind", "original_name", "taken_at", "created_at"]),
            "children_tagged": sorted(tag.student.full_name for tag in photo.own_tags),
            "file": section.add_file("photos", photo.pk, served, served.name if served else ""),
        })
    if not rows:
        return None
    section.data = {"photos": rows}
    return section
