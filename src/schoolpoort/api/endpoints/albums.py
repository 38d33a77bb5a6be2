"""Albums for a parent's app: the albums the caller sees (newest first) and the photos of one
(in album order), with cursor pagination, through the same ``visible_to`` rules as the album pages
(``albums.listing``): the audience, the module and the image consent rule of ``core.consent`` (a
photo of a child without portal consent is not shown to other families). The files are the pages'
own file addresses, which check the same rule on every request; no file has another address."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.dateparse import parse_date, parse_datetime
from ninja import Router, Schema

from schoolpoort.albums.listing import album_or_404, scope_or_404, visible_albums, visible_photos
from schoolpoort.albums.models import Photo

from .. import cursors
from ..errors import ERRORS

router = Router(tags=["albums"])
PAGE_SIZE = 24
PHOTO_PAGE_SIZE = 60
MAX_PAGE_SIZE = 100


class AlbumOut(Schema):
    id: int
    title: str
    description: str
    date: datetime.date
    school_id: int
    audience: str
    audience_label: str
    published: bool
    url: str


class AlbumListItem(AlbumOut):
    photo_count: int
    cover_thumb_url: str | None


class AlbumPage(Schema):
    items: list[AlbumListItem]
    next_cursor: str | None


class PhotoOut(Schema):
    id: int
    kind: str
    ready: bool
    taken_at: datetime.datetime | None
    width: int | None
    height: int | None
    thumb_url: str | None
    web_url: str | None
    video_url: str | None
    download_url: str | None
    url: str


class PhotoPage(Schema):
    items: list[PhotoOut]
    next_cursor: str | None


def _url(path: str) -> str:
    return settings.SITE_URL + path


def _album(album) -> dict:
    return {
        "id": album.pk, "title": album.title, "description": album.description, "date": album.date,
        "school_id": album.school_id, "audience": album.audience, "audience_label": str(album.audience_label),
        "published": album.published, "url": _url(album.get_absolute_url()),
    }


def _photo(photo: Photo) -> dict:
    ready = photo.is_ready
    return {
        "id": photo.pk, "kind": photo.kind, "ready": ready, "taken_at": photo.taken_at,
        "width": photo.width, "height": photo.height,
        "thumb_url": _url(photo.thumb_url) if ready and photo.thumb else None,
        "web_url": _url(photo.web_url) if ready and photo.web and not photo.is_video else None,
        "video_url": _url(photo.video_url) if ready and photo.web and photo.is_video else None,
        "download_url": _url(photo.download_url) if ready and photo.served_file() else None,
        "url": _url(photo.get_absolute_url()),
    }


def _limit(limit: int, default_max: int = MAX_PAGE_SIZE) -> int:
    return max(1, min(limit, default_max))


@router.get("/albums", response={200: AlbumPage, **ERRORS}, url_name="albums", summary="The albums the caller sees")
def albums(request, cursor: str | None = None, limit: int = PAGE_SIZE):
    request.auth.require_session()
    user = request.auth.user
    found = visible_albums(user, scope_or_404(user))
    if (after := cursors.decode(cursor, 2)) is not None:
        date, pk = parse_date(after[0]) if isinstance(after[0], str) else None, after[1]
        if date is None or not isinstance(pk, int):
            raise cursors.invalid()
        found = found.filter(Q(date__lt=date) | Q(date=date, pk__lt=pk))
    limit = _limit(limit)
    rows = list(found[: limit + 1])
    page, more = rows[:limit], len(rows) > limit
    return {
        "items": [
            {**_album(album), "photo_count": album.photo_count,
             "cover_thumb_url": _url(reverse("albums:thumb", args=[album.pk, album.cover_id]))
             if album.cover_id else None}
            for album in page
        ],
        "next_cursor": cursors.encode([page[-1].date.isoformat(), page[-1].pk]) if more else None,
    }


@router.get("/albums/{album_id}", response={200: AlbumOut, **ERRORS}, url_name="album", summary="One album")
def album(request, album_id: int):
    request.auth.require_session()
    return _album(album_or_404(request.auth.user, album_id))


def _after_photo(values) -> Q:
    """The photos after ``(taken_at, id)`` in album order (taken_at ascending, unknown last)."""
    taken, pk = values
    if not isinstance(pk, int) or not (taken is None or isinstance(taken, str)):
        raise cursors.invalid()
    if taken is None:
        return Q(taken_at__isnull=True, pk__gt=pk)
    taken = parse_datetime(taken)
    if taken is None:
        raise cursors.invalid()
    return Q(taken_at__gt=taken) | Q(taken_at=taken, pk__gt=pk) | Q(taken_at__isnull=True)


@router.get("/albums/{album_id}/photos", response={200: PhotoPage, **ERRORS}, url_name="album_photos",
            summary="The photos and videos of an album the caller may see")
def album_photos(request, album_id: int, cursor: str | None = None, limit: int = PHOTO_PAGE_SIZE):
    """In album order. Each file address answers 404 to anyone the rule keeps it from, also later."""
    request.auth.require_session()
    user = request.auth.user
    photos = visible_photos(user, album_or_404(user, album_id))
    if (after := cursors.decode(cursor, 2)) is not None:
        photos = photos.filter(_after_photo(after))
    limit = _limit(limit)
    rows = list(photos[: limit + 1])
    page, more = rows[:limit], len(rows) > limit
    last = page[-1] if page else None
    return {
        "items": [_photo(photo) for photo in page],
        "next_cursor": cursors.encode([last.taken_at.isoformat() if last.taken_at else None, last.pk])
        if more else None,
    }
