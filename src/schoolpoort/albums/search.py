"""Photo albums in the search (``lib.search``): the albums the user may see
(``Album.objects.visible_to``, which also holds the module's switch), matched on title and
description. Only albums are found, never single photos: no photo is shown here, so image
consent is kept by the album page as always."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from schoolpoort.lib.search import SearchHit, SearchProvider, highlight, text_match

from .access import MODULE
from .models import Album

FIELDS = ("title", "description")


def hits(user, query, offset: int, limit: int) -> list[SearchHit]:
    albums = Album.objects.visible_to(user).select_related("school").prefetch_related("groups")
    found = text_match(albums, FIELDS, query, newest=("-date", "-pk"))[offset : offset + limit]
    return [
        SearchHit(
            title=album.title,
            url=album.get_absolute_url(),
            snippet=highlight(album.description, query),
            when=album.date,
            meta=album.audience_label,
        )
        for album in found
    ]


SEARCH = SearchProvider(MODULE, _("Photo albums"), hits, order=30)
