"""News in the search (``lib.search``): the posts the user may see (``Post.objects.visible_to``)
at schools where news is usable for them, matched on title and body."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.access import usable_module_school_ids
from schoolpoort.core.models import School
from schoolpoort.lib.search import SearchHit, SearchProvider, highlight, text_match

from .access import MODULE
from .models import Post

FIELDS = ("title", "search_text")  # the GIN index of migration 0006_search_the_text_as_read is on these


def _usable_q(user) -> Q:
    """Posts of schools where news is usable for the user (switched on; open for parents), and
    board-wide posts of the boards of such schools. Subqueries: no query of its own."""
    usable = usable_module_school_ids(user, MODULE)
    return Q(school_id__in=usable) | Q(
        school__isnull=True, board_id__in=School.objects.filter(pk__in=usable).values("board_id")
    )


def hits(user, query, offset: int, limit: int) -> list[SearchHit]:
    posts = (
        Post.objects.visible_to(user)
        .filter(_usable_q(user))
        .select_related("school", "board")
        .prefetch_related("groups")
        .only("pk", "title", "search_text", "publish_at", "audience", "school", "board")
    )
    found = text_match(posts, FIELDS, query, newest=("-publish_at", "-pk"))[offset : offset + limit]
    return [
        SearchHit(
            title=post.title,
            url=post.get_absolute_url(),
            snippet=highlight(post.search_text, query),
            when=post.publish_at,
            meta=post.audience_label,
        )
        for post in found
    ]


SEARCH = SearchProvider(MODULE, _("News"), hits, order=10)
