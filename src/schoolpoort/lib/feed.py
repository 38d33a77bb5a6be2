"""The agenda feed's protocol: what another module puts in a user's feed (a booked conference,
say) without the calendar importing it, and without it importing the calendar. An app with a
``calendar_feed.py`` module that defines ``feed_items(user) -> list[FeedItem]`` is found by name;
a provider returns only what ``user`` may see. ``register_feed_provider`` does the same without a
module (tests, plugins)."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from .providers import module_hooks

logger = logging.getLogger(__name__)

WINDOW_PAST_DAYS = 92  # about three months back ...
WINDOW_AHEAD_DAYS = 366  # ... to twelve months ahead: what a feed holds


@dataclass(frozen=True)
class FeedItem:
    """One item another app puts in a user's feed. ``start`` and ``end`` are dates for an all-day
    item (``end`` is the last day, inclusive) and aware datetimes otherwise. ``uid`` must stay the
    same for ever; raise ``sequence`` on every change; ``stamp`` is when the item last changed
    (DTSTAMP; the start when not given)."""

    uid: str
    summary: str
    start: datetime.date | datetime.datetime
    end: datetime.date | datetime.datetime
    all_day: bool = False
    location: str = ""
    description: str = ""
    sequence: int = 0
    cancelled: bool = False
    url: str = ""
    stamp: datetime.datetime | None = None


FeedProvider = Callable[[object], list[FeedItem]]
_registered: list[FeedProvider] = []


def register_feed_provider(provider: FeedProvider) -> FeedProvider:
    """Add ``provider(user) -> list[FeedItem]`` to every feed; usable as a decorator."""
    if provider not in _registered:
        _registered.append(provider)
    return provider


def unregister_feed_provider(provider: FeedProvider) -> None:
    if provider in _registered:
        _registered.remove(provider)


def feed_providers() -> list[FeedProvider]:
    return [*module_hooks("calendar_feed", "feed_items"), *_registered]


def provided_items(user) -> list[FeedItem]:
    """The items of every provider; one that fails is logged and left out, the feed goes on."""
    items: list[FeedItem] = []
    for provider in feed_providers():
        try:
            items.extend(provider(user))
        except Exception:
            logger.exception("calendar feed provider %r failed", provider)
    return items
