"""Opaque cursors for keyset pagination: the sort key of the last item of a page, so that the next
page reads on from there with an index however far it is (no OFFSET, no count)."""

from __future__ import annotations

import base64
import json

from django.utils.translation import gettext as _
from ninja.errors import HttpError


def encode(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode().rstrip("=")


def invalid() -> HttpError:
    return HttpError(400, _("This cursor is not valid; start again without it."))


def decode(cursor: str | None, length: int) -> list | None:
    if not cursor:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError):
        values = None
    if not isinstance(values, list) or len(values) != length:
        raise invalid()
    return values


def pk_page(queryset, cursor: str | None, limit: int, max_size: int, *, newest_first: bool = False):
    """One page of ``queryset`` in the order of its ids (newest first, or oldest first for a system
    that reads on from where it stopped): ``(rows, next cursor or None)``. ``limit`` is kept
    between 1 and ``max_size``; one query, ``limit + 1`` rows (the extra one only says "more")."""
    if (after := decode(cursor, 1)) is not None:
        if not isinstance(after[0], int) or isinstance(after[0], bool):
            raise invalid()
        queryset = queryset.filter(pk__lt=after[0]) if newest_first else queryset.filter(pk__gt=after[0])
    limit = max(1, min(limit, max_size))
    rows = list(queryset.order_by("-pk" if newest_first else "pk")[: limit + 1])
    page = rows[:limit]
    return page, encode([page[-1].pk]) if len(rows) > limit else None
