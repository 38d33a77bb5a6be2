"""What bumps the conferences version of the cached home block (``access.cached_part``,
conferences/home.py): every save and delete of a round (and its groups), a conversation evening
and a booking. Booking writes its rows in bulk (``booking.book``) and bumps itself."""

from __future__ import annotations

from schoolpoort.core.versions import bump_on_writes

from .models import Booking, Round, Session


def connect() -> None:
    bump_on_writes("conferences", models=(Round, Session, Booking), m2m=(Round.groups.through,))
