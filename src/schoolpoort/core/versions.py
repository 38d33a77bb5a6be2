"""Versions of cached values: the one mechanism behind the reach cache (``access.cached_for_user``)
and the cached parts of pages (``access.cached_part``).

A cached value's key holds the versions of everything it was read from; a change bumps a version,
so the next request reads anew. The rules, which err towards reading again:
- a version is a random token, never a counter: a version lost from the cache (evicted, the
  cache restarted) is replaced by a new token and can never bring back an old value;
- versions live in a cache every process shares (``REACH_VERSION_CACHE``: Redis when configured,
  else the database cache);
- a bump happens at once and again when the transaction commits, so a value read by another
  request between the two (from rows not yet committed) is never found again.

Content topics: besides the reach, a page part depends on content ("news": posts, their groups
and files; "albums": albums, their photos and tags; "images": image tags and consent answers;
"records": invoices, correction requests and the records' settings; "calendar": events;
"timetable": timetable entries; "absences": absences; "signups": forms, and a family's own answers;
"conferences": rounds, evenings and bookings; "counts": a user's own header counts, core/counts.py).
``content_changed(topic)`` bumps everyone's version of a topic, ``content_changed(topic, users)``
only those users' (their own read marks, their family's answers)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import caches
from django.db import transaction


def _cache():
    return caches[getattr(settings, "REACH_VERSION_CACHE", "default")]


def tokens(keys: list[str]) -> dict[str, str]:
    """The current token of each key, one read of the shared cache; missing ones get a new token."""
    cache = _cache()
    transaction.get_connection()._versions_bumped_since_read = set()  # the next change bumps at once again
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            token = uuid.uuid4().hex
            found[key] = token if cache.add(key, token, timeout=None) else cache.get(key, token)
    return found


def _bump(keys: list[str]) -> None:
    _cache().set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)


class _PendingBumps:
    """The versions a transaction bumped, bumped again, all at once, when it commits."""

    def __init__(self):
        self.keys: set[str] = set()

    def __call__(self) -> None:
        keys, self.keys = self.keys, set()
        _bump(sorted(keys))


def bump(keys: list[str]) -> None:
    """Bump these versions: at once, and within a transaction once more on commit (each key once
    however many rows change, until this thread reads a version again)."""
    if not keys:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _bump(keys)
        return
    pending = getattr(connection, "_versions_pending", None)
    # A new transaction (or one whose callback went with a rolled-back savepoint): a new set.
    if pending is None or not any(entry[1] is pending for entry in connection.run_on_commit):
        pending = connection._versions_pending = _PendingBumps()
        transaction.on_commit(pending)
    # At once too, so that what this transaction reads later (and a test) sees it; once per key
    # until this thread reads a version again, so that a delete of many rows bumps once.
    since_read = getattr(connection, "_versions_bumped_since_read", None)
    if since_read is None:
        since_read = connection._versions_bumped_since_read = set()
    new = [key for key in keys if key not in pending.keys or key not in since_read]
    if new:
        pending.keys.update(new)
        since_read.update(new)
        _bump(new)


# The content topics (a module's own topic is its name): everyone's versions, and the user's own
# of those in ``OWN_TOPICS``. Read with the reach's versions, in the same one read.
TOPICS = (
    "absences", "albums", "calendar", "conferences", "counts", "images", "news", "records", "signups", "timetable",
)
OWN_TOPICS = ("counts", "news", "signups")


def _topic_key(topic: str, user_id=None) -> str:
    if topic not in TOPICS:
        raise ValueError(f"unknown content topic {topic!r}")
    return f"content:v:{topic}" if user_id is None else f"content:v:{topic}:user:{user_id}"


def content_keys(user_id) -> list[str]:
    """The keys of every topic's versions that a value cached for this user may depend on."""
    return [_topic_key(topic) for topic in TOPICS] + [_topic_key(topic, user_id) for topic in OWN_TOPICS]


def content_changed(topic: str, users: Iterable | None = None) -> None:
    """A change of ``topic``'s content for everyone, or only for ``users`` (users or user ids)."""
    if users is None:
        bump([_topic_key(topic)])
    else:
        if topic not in OWN_TOPICS:
            raise ValueError(f"{topic!r} has no versions per user")
        ids = {getattr(user, "pk", user) for user in users}
        bump(sorted(_topic_key(topic, pk) for pk in ids if pk is not None))


def content_tokens(topics: Iterable[str], own: Iterable[str], user_id, found: dict[str, str]) -> str:
    """The versions of ``topics`` (everyone's) and of ``own`` (the user's own) as one key part,
    from ``found`` (read with ``content_keys``)."""
    keys = [_topic_key(topic) for topic in sorted(topics)] + [_topic_key(topic, user_id) for topic in sorted(own)]
    return ".".join(found[key] for key in keys)


def bump_on_writes(topic: str, models=(), m2m=()) -> None:
    """Connect the signals that bump ``topic`` for everyone: every save and delete of ``models``,
    every change of the many-to-many ``m2m`` (through models). A module calls it from its app's
    ``ready()`` (its signals.py); writes around the signals bump with ``content_changed`` itself."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    def changed(sender, **kwargs) -> None:
        if kwargs.get("action", "post_").startswith("post_"):
            content_changed(topic)

    for model in models:
        name = f"{model._meta.label}"
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{topic}-save-{name}")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{topic}-delete-{name}")
    for through in m2m:
        m2m_changed.connect(changed, sender=through, weak=False, dispatch_uid=f"{topic}-m2m-{through._meta.label}")
