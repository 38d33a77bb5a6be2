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
