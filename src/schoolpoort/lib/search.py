"""Search across modules: the protocol, the text match and the highlighted snippet.

A module takes part by having a ``search.py`` that defines ``SEARCH``, a ``SearchProvider``:
a code, a label and ``hits(user, query, offset, limit) -> list[SearchHit]``. A provider returns
only what ``user`` may see, read from the module's own ``visible_to`` builder (never a second
access rule), and only where the module is usable for the user (switched on; open for parents);
it costs a fixed number of queries whatever it finds. ``register_search_provider`` does the same
without a module (tests, plugins). The search page (``web``) asks every provider.

The text match: on PostgreSQL full-text search with the ``dutch`` configuration (stemming, every
word a prefix), newest first; a module with large lists adds an expression GIN index on the same
``search_vector(...)`` (see ``gin_index_sql``). On any other database (SQLite, the embedded
default) every word must occur somewhere in the fields (``icontains``), newest first."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .providers import module_hooks

logger = logging.getLogger(__name__)

CONFIG = "dutch"
MIN_LENGTH = 2  # a query of fewer letters finds nothing
MAX_LENGTH = 100
MAX_TERMS = 8
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchQuery:
    """What the user typed, cleaned: ``text`` for the page, ``terms`` (words) for the match."""

    text: str
    terms: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)


def parse_query(raw: str | None) -> SearchQuery:
    """The typed text, whitespace folded and cut to a length; words of two letters or more."""
    text = " ".join((raw or "").split())[:MAX_LENGTH]
    terms = []
    for word in _WORD.findall(text.lower()):
        if len(word) >= MIN_LENGTH and word not in terms:
            terms.append(word)
    return SearchQuery(text, tuple(terms[:MAX_TERMS]))


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    snippet: SafeString | str = ""  # made with ``highlight``: escaped, with <mark> around the words
    when: object = None  # a date or an aware datetime, shown beside the title
    meta: str = ""  # where it is: "Groep 3 · OBS De Regenboog"


@dataclass(frozen=True)
class SearchProvider:
    code: str  # the module's code (its app label): ``?in=<code>`` pages through its hits
    label: str  # lazily translated, e.g. _("News")
    hits: Callable[[object, SearchQuery, int, int], list[SearchHit]]
    order: int = 100


_registered: list[SearchProvider] = []


def register_search_provider(provider: SearchProvider) -> SearchProvider:
    if provider not in _registered:
        _registered.append(provider)
    return provider


def unregister_search_provider(provider: SearchProvider) -> None:
    if provider in _registered:
        _registered.remove(provider)


def search_providers() -> list[SearchProvider]:
    return sorted([*module_hooks("search", "SEARCH"), *_registered], key=lambda provider: provider.order)


@dataclass
class SearchSection:
    """The hits of one module: one page of them, and whether there are more."""

    provider: SearchProvider
    hits: list[SearchHit] = field(default_factory=list)
    has_more: bool = False

    @property
    def code(self) -> str:
        return self.provider.code

    @property
    def label(self) -> str:
        return str(self.provider.label)


def search_sections(user, query: SearchQuery, *, offset: int = 0, limit: int = 5, only: str | None = None,
                    ) -> list[SearchSection]:
    """The sections with hits, one per provider (only ``only`` when given). Each provider is asked
    for ``limit + 1`` hits: the extra one only tells that there are more. One that fails is logged
    and left out; the page goes on."""
    if not query:
        return []
    sections = []
    for provider in search_providers():
        if only is not None and provider.code != only:
            continue
        try:
            hits = list(provider.hits(user, query, offset, limit + 1))
        except Exception:
            logger.exception("search provider %r failed", provider.code)
            continue
        if hits:
            sections.append(SearchSection(provider, hits[:limit], has_more=len(hits) > limit))
    return sections


# --- The text match ------------------------------------------------------------------------------


def uses_full_text(using=None) -> bool:
    return (using or connection).vendor == "postgresql"


def search_vector(*fields: str):
    """The document of ``fields`` as PostgreSQL indexes and searches it (the same expression in
    the GIN index and the query, so that the planner uses the index)."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector(*fields, config=CONFIG)


def _tsquery(query: SearchQuery):
    from django.contrib.postgres.search import SearchQuery as PgQuery

    # Every term is a word (``\w+``): safe in a raw tsquery. Each is a prefix, so "school" finds
    # "schoolreis"; the dutch configuration stems it first ("reisjes" finds "reisje").
    return PgQuery(" & ".join(f"{term}:*" for term in query.terms), config=CONFIG, search_type="raw")


def full_text_match(queryset: QuerySet, fields: Sequence[str], query: SearchQuery) -> QuerySet:
    """PostgreSQL: the rows whose ``fields`` match every term (the GIN index finds them).

    Newest first, not by ``SearchRank``: ranking computes the document of every matching row
    again, which on the board world (bench/search.py) took 0.5 s for 3,000 matching posts and
    6.5 s for 50,000; newest first costs the index scan and a top-N sort."""
    return queryset.alias(search_document=search_vector(*fields)).filter(search_document=_tsquery(query))


def fallback_match(queryset: QuerySet, fields: Sequence[str], query: SearchQuery) -> QuerySet:
    """Any database: the rows where every term occurs in one of ``fields`` (case-insensitive)."""
    for term in query.terms:
        found = Q()
        for name in fields:
            found |= Q(**{f"{name}__icontains": term})
        queryset = queryset.filter(found)
    return queryset


def text_match(queryset: QuerySet, fields: Sequence[str], query: SearchQuery, *, newest: Sequence[str]) -> QuerySet:
    """The rows matching ``query``, ordered by ``newest``: full-text on PostgreSQL, icontains elsewhere."""
    if uses_full_text(connection):
        return full_text_match(queryset, fields, query).order_by(*newest)
    return fallback_match(queryset, fields, query).order_by(*newest)


def gin_index_sql(model, name: str, fields: Sequence[str], schema_editor) -> str | None:
    """The CREATE INDEX statement of a GIN index on ``search_vector(*fields)``, or None on a
    database without full-text search: for a module's migration (``RunPython``)."""
    if not uses_full_text(schema_editor.connection):
        return None
    from django.contrib.postgres.indexes import GinIndex

    return str(GinIndex(search_vector(*fields), name=name).create_sql(model, schema_editor))


# --- The snippet ----------------------------------------------------------------------------------


def highlight(text: str, query: SearchQuery, width: int = 180) -> SafeString:
    """A piece of ``text`` (plain text, not yet escaped) around the first word found, escaped,
    with every occurrence of the words (also as the start of a longer word) in <mark>."""
    text = " ".join((text or "").split())
    if not text:
        return mark_safe("")
    pattern = re.compile("|".join(re.escape(term) for term in sorted(query.terms, key=len, reverse=True)),
                         re.IGNORECASE) if query.terms else None
    first = pattern.search(text) if pattern else None
    start = 0
    if first is not None and first.start() > width // 3:
        start = text.rfind(" ", 0, first.start() - width // 3) + 1
    end = min(len(text), start + width)
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    piece = text[start:end]
    parts = []
    position = 0
    for found in (pattern.finditer(piece) if pattern else ()):
        parts.append(escape(piece[position:found.start()]))
        parts.append(f"<mark>{escape(found.group())}</mark>")
        position = found.end()
    parts.append(escape(piece[position:]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)  # every piece of the text is escaped above
