"""Documents in the search (``lib.search``): the documents the user may see
(``Document.objects.visible_to``, which also holds the module's switch), matched on title and
description."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from schoolpoort.lib.search import SearchHit, SearchProvider, highlight, text_match

from .access import MODULE
from .models import Document

FIELDS = ("title", "description")


def hits(user, query, offset: int, limit: int) -> list[SearchHit]:
    documents = Document.objects.visible_to(user).select_related("shelf__school")
    found = text_match(documents, FIELDS, query, newest=("-updated_at", "-pk"))[offset : offset + limit]
    return [
        SearchHit(
            title=document.title,
            url=document.get_absolute_url(),
            snippet=highlight(document.description, query),
            when=document.updated_at,
            meta=f"{document.shelf.title} · {document.shelf.school.name}",
        )
        for document in found
    ]


SEARCH = SearchProvider(MODULE, _("Documents"), hits, order=40)
