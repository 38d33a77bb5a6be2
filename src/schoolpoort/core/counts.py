"""The signed-in user's counts that every page shows (the bell, the tab bar, the inbox link).

A module that counts something for every page has ``counts.py`` defining ``count_rows(request)``:
a queryset of (key, count) rows, or None when it has nothing to count for this request. The kernel
runs them all as one ``UNION ALL`` (``request_counts``), keeps the answer on the request, and keeps
it across requests per user (``access.cached_part``) under the user's own "counts" version: a page
whose parts are kept then makes no query for its header.

The version is bumped for the users whose count a write may change, in one place per kind of row:
- the rows a count is read from have a ``CountedQuerySet``, whose ``update()`` and
  ``bulk_create()`` bump the users of the rows they write (a notification to a whole school, a
  conversation's new message, a "mark read");
- their single saves and deletes bump through ``bump_counts_on_writes`` (the models' signals).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import models
from django.db.models.signals import post_delete, post_save

from schoolpoort.lib.providers import module_hooks

from . import versions
from .access import cached_part

TOPIC = "counts"


def request_counts(request) -> dict[str, int]:
    """{key: count} of every module's ``count_rows`` for this request: one query, or none when
    the user's counts are kept (and none for a visitor: no module counts anything for them)."""
    counted = getattr(request, "_schoolpoort_counts", None)
    if counted is None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            counted = _read(request)
        else:
            counted = cached_part(user, "counts", lambda: (_read(request), None), topics=(), own=(TOPIC,))
        request._schoolpoort_counts = counted
    return counted


def _read(request) -> dict[str, int]:
    parts = [rows.order_by() for provider in module_hooks("counts", "count_rows")
             if (rows := provider(request)) is not None]
    counted: dict[str, int] = {}
    if parts:
        for key, count in parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]:
            counted[key] = counted.get(key, 0) + count
    return counted


def counts_changed(user_ids: Iterable) -> None:
    """The header's counts of these users (users or ids) may have changed: read them again."""
    ids = {getattr(user, "pk", user) for user in user_ids}
    ids.discard(None)
    if ids:
        versions.content_changed(TOPIC, users=ids)


class CountedQuerySet(models.QuerySet):
    """The queryset of rows a header count is read from: ``update()`` and ``bulk_create()``, which
    pass the signals, bump the counts of the users of the rows they write. ``counted_users`` is
    the lookup from a row to its user's id (``"recipient_id"``, ``"participants__user_id"``)."""

    counted_users = "user_id"

    def _users(self) -> set[int]:
        return set(self.order_by().values_list(self.counted_users, flat=True).distinct())

    def update(self, **kwargs) -> int:
        users = self._users()
        changed = super().update(**kwargs)
        if changed:
            counts_changed(users)
        return changed

    def update_for(self, user, **kwargs) -> int:
        """``update()`` of rows that are all ``user``'s own (a "mark read" of the user's own
        notifications): no read of whose they are first."""
        changed = super().update(**kwargs)
        if changed:
            counts_changed([user])
        return changed

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if "__" not in self.counted_users:  # rows that reach their users through others have none yet
            counts_changed(getattr(obj, self.counted_users) for obj in created)
        return created


def bump_counts_on_writes(model, users: Callable[[models.Model], Iterable[int]]) -> None:
    """Connect the signals that bump the counts of ``users(row)`` on every save and delete of
    ``model`` (the writes ``CountedQuerySet`` does not see). A module calls it from its app's
    ``ready()``."""

    def changed(sender, instance, raw=False, **kwargs) -> None:
        if not raw:  # a restore's rows (loaddata) change no one's counts
            counts_changed(users(instance))

    name = model._meta.label
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"counts-save-{name}")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"counts-delete-{name}")
