"""What bumps the sign-ups version of the cached home block (``access.cached_part``,
signups/home.py): every save and delete of a form and of a response. Publishing writes around the
signals (``update()``) and bumps itself; the places taken (``Option.taken``) are not on the block."""

from __future__ import annotations

from schoolpoort.core.versions import bump_on_writes

from .models import Form, Response


def connect() -> None:
    bump_on_writes("signups", models=(Form, Response))
