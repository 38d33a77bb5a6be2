"""The albums and photos a user finds, for the pages and the JSON API alike: every album and
photo through ``visible_to`` (the audience, the module and the image consent rule), within the
schools where the module is usable for the user; what the user may not see is a 404."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from schoolpoort.core.access import get_visible_or_404

from .models import Album, Photo
from .scope import AlbumScope, album_scope


def scope_or_404(user) -> AlbumScope:
    scope = album_scope(user)
    if not scope:
        raise Http404
    return scope


def album_or_404(user, album_id: int, scope: AlbumScope | None = None) -> Album:
    """The album, if the user may see it and the module is usable for them there."""
    scope = scope or scope_or_404(user)
    queryset = Album.objects.select_related("school", "created_by").prefetch_related("groups")
    album = get_visible_or_404(queryset, user, pk=album_id)
    if not scope.includes(album):
        raise Http404
    return album


def visible_photos(user, album: Album):
    return Photo.objects.visible_to(user, album=album).in_album_order()


def visible_albums(user, scope: AlbumScope):
    """The user's albums, newest first, each with ``photo_count`` and ``cover_id`` (the first photo
    or video with a thumbnail that the user may see; a video's is its poster frame)."""
    photos = Photo.objects.visible_to(user).filter(album=OuterRef("pk"))
    counts = photos.order_by().values("album").annotate(n=Count("pk")).values("n")
    covers = photos.filter(status=Photo.Status.READY).exclude(thumb="").in_album_order().values("pk")[:1]
    return (
        Album.objects.visible_to(user)
        .filter(school_id__in=scope.school_ids)
        .select_related("school")
        .prefetch_related("groups")
        .annotate(
            photo_count=Coalesce(Subquery(counts, output_field=IntegerField()), Value(0)),
            cover_id=Subquery(covers),
        )
        .order_by("-date", "-pk")
    )
