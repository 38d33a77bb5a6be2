"""The one function every module calls to tell people something.

    from schoolpoort.notify.api import notify
    notify(recipients, event="news.published", key=f"news.post:{post.pk}", module="news",
           title=post.title, url=post.get_absolute_url(), school=post.school, urgent=post.urgent)

Call it inside the transaction of the action that caused it: the Broadcast row and its fan-out
task commit (or roll back) with the post. ``recipients`` are users or user ids (or a queryset of
users); each gets one notification per call however often they appear (a family with three
children in one group gets one). Title and url only: never grades, medical or absence details.

Beside it: ``mark_read(user, key)`` when the user opens the item, ``cancel(key)`` when the item is
deleted, ``unread_count(user)`` and ``preview(...)`` ("N families will be notified now").
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from schoolpoort.core.counts import request_counts
from schoolpoort.core.modules import MODULES

from . import planning, timing
from .counts import KEY_PREFIX
from .models import Broadcast, Delivery, Notification
from .planning import preview  # noqa: F401 - part of the API

__all__ = ["notify", "mark_read", "cancel", "unread_count", "unread_by_module", "preview"]


def notify(
    recipients: Iterable, *, event: str, key: str, module: str, title: str, url: str, school=None, urgent: bool = False
) -> Broadcast:
    """Record the broadcast and enqueue its fan-out, both in the caller's transaction. E-mail,
    push and the in-app rows follow in background tasks (see fanout.py)."""
    from .tasks import fan_out

    if module not in MODULES:
        raise ValueError(f"unknown module {module!r}")
    if not url.startswith("/") or url.startswith("//"):
        raise ValueError("url must be a path on this site, such as /nieuws/12/")
    if not key or not event:
        raise ValueError("event and key are required")
    ids = planning.recipient_ids(recipients)
    with transaction.atomic():
        broadcast = Broadcast.objects.create(
            event=event[:100],
            key=key[:200],
            module=module,
            school_id=getattr(school, "pk", school),  # a School or its id
            title=" ".join(str(title).split())[:300],
            url=url[:500],
            urgent=urgent,
            recipient_ids=ids,
            fanned_out_at=None if ids else timing.now(),
        )
        if ids:
            fan_out.using(queue_name="urgent" if urgent else "default", priority=50 if urgent else 0).enqueue(
                broadcast.pk
            )
    return broadcast


def mark_read(user, key: str) -> int:
    """The user opened the item: its notifications are read (and left out of their digest)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, key=key, read_at__isnull=True).update_for(
        user, read_at=timing.now()
    )


def mark_read_under(user, prefix: str) -> int:
    """The user opened the item: the notifications of every key under ``prefix`` are read (a
    round's, a form's reminders, a conversation's messages)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, key__startswith=prefix, read_at__isnull=True).update_for(
        user, read_at=timing.now()
    )


def mark_all_read(user) -> int:
    """Every notification of the user read (the list's button, and the API)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update_for(user, read_at=timing.now())


def cancel(key: str) -> dict:
    """The item was deleted: what has not gone out yet is cancelled, the in-app rows go. A
    message a worker is sending at this very moment may still arrive."""
    with transaction.atomic():
        broadcasts = Broadcast.objects.filter(key=key)
        # Taking the broadcast rows first waits for a fan-out chunk in progress (it holds them).
        ids = list(broadcasts.select_for_update().values_list("pk", flat=True))
        broadcasts.filter(cancelled_at__isnull=True).update(cancelled_at=timing.now())
        cancelled = Delivery.objects.filter(
            broadcast_id__in=ids, status__in=[Delivery.Status.PENDING, Delivery.Status.DIGEST]
        ).update(status=Delivery.Status.CANCELLED)
        removed, _by_model = Notification.objects.filter(broadcast_id__in=ids).delete()
    return {"broadcasts": len(ids), "deliveries_cancelled": cancelled, "notifications_removed": removed}


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def unread_by_module(request) -> dict[str, int]:
    """The signed-in user's unread notifications per module (module code -> count), read with
    the other modules' header counts in the kernel's one query of the request (core/counts.py,
    ``counts.count_rows``); the bell and the shell's tabs count from it."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}
    return {key[len(KEY_PREFIX):]: n for key, n in request_counts(request).items() if key.startswith(KEY_PREFIX)}
