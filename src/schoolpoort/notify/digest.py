"""Digests: e-mail deliveries of users who chose a daily or weekly digest wait with status
``digest`` until their time (``not_before``: 17:00, or Friday 17:00, Europe/Amsterdam). One task
per user per digest time sends them as one e-mail that lists each item once; a unique
(user, due_at) row makes sure that task is scheduled once, however many broadcasts arrive."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F

from . import timing
from .email import EmailChannel, digest_message
from .models import Delivery, DigestSchedule, Notification
from .outbox import MAX_ATTEMPTS, PermanentError, TemporaryError, mark_failed, new_run_id, recover_stale

Status = Delivery.Status


def schedule_digests(pairs: set[tuple[int, datetime.datetime]]) -> int:
    """Make sure a digest task exists for each (user id, due at); returns how many were new. Two
    queries and one task per new row: rows that exist already (another broadcast, another
    worker) are left alone, because ON CONFLICT DO NOTHING keeps their ``scheduled_by``."""
    from .tasks import send_digest

    if not pairs:
        return 0
    token = new_run_id()
    DigestSchedule.objects.bulk_create(
        [DigestSchedule(user_id=uid, due_at=due, scheduled_by=token) for uid, due in pairs],
        ignore_conflicts=True,
        batch_size=500,
    )
    mine = DigestSchedule.objects.filter(scheduled_by=token, user_id__in={uid for uid, _due in pairs})
    count = 0
    for user_id, due_at in mine.values_list("user_id", "due_at"):
        send_digest.using(run_after=due_at if due_at > timing.now() else None).enqueue(user_id, due_at.isoformat())
        count += 1
    return count


def send_user_digest(user_id: int, due_at: datetime.datetime) -> dict:
    """Claim the user's due digest deliveries, send them as one e-mail, record the outcome."""
    recover_stale()
    run_id = new_run_id()
    now = timing.now()
    with transaction.atomic():
        DigestSchedule.objects.filter(user_id=user_id, due_at=due_at).delete()
        claimed = Delivery.objects.filter(
            recipient_id=user_id, channel=Delivery.Channel.EMAIL, status=Status.DIGEST, not_before__lte=now
        ).update(status=Status.SENDING, claimed_by=run_id, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return {"claimed": 0, "items": 0}
    rows = list(
        Delivery.objects.filter(recipient_id=user_id, status=Status.SENDING, claimed_by=run_id)
        .select_related("broadcast")
        .order_by("pk")
    )
    read = set(
        Notification.objects.filter(
            recipient_id=user_id, broadcast_id__in={d.broadcast_id for d in rows}, read_at__isnull=False
        ).values_list("broadcast_id", flat=True)
    )
    obsolete = {d.pk for d in rows if d.broadcast.cancelled_at is not None or d.broadcast_id in read}
    mark_failed(obsolete, run_id, "", status=Status.CANCELLED)
    live = [d for d in rows if d.pk not in obsolete]
    if not live:
        return {"claimed": claimed, "items": 0}
    # Each item once: the same key (one post for three children, or published then updated)
    # is listed once, with its newest title, in the order the items arrived.
    items: dict[str, object] = {}
    for delivery in sorted(live, key=lambda d: (d.broadcast.created_at, d.broadcast_id)):
        items.pop(delivery.broadcast.key, None)
        items[delivery.broadcast.key] = delivery.broadcast
    user = get_user_model().objects.get(pk=user_id)
    ids = [d.pk for d in live]
    channel = EmailChannel()
    try:
        channel.open()
        channel.send_message(digest_message(user, list(items.values()), ids[0]))
    except TemporaryError as exc:
        attempts = max(d.attempts for d in live)
        if attempts >= MAX_ATTEMPTS:
            mark_failed(ids, run_id, str(exc))
            return {"claimed": claimed, "items": 0, "failed": len(ids)}
        when = now + timing.retry_delay(attempts)
        Delivery.objects.filter(pk__in=ids, status=Status.SENDING, claimed_by=run_id).update(
            status=Status.DIGEST, not_before=when, error=str(exc)[:2000]
        )
        schedule_digests({(user_id, when)})
        return {"claimed": claimed, "items": 0, "retry": len(ids)}
    except PermanentError as exc:
        mark_failed(ids, run_id, str(exc))
        return {"claimed": claimed, "items": 0, "failed": len(ids)}
    finally:
        channel.close()
    # One message: all its deliveries are marked sent together, right after the server took it.
    Delivery.objects.filter(pk__in=ids, status=Status.SENDING, claimed_by=run_id).update(
        status=Status.SENT, sent_at=timing.now(), error=""
    )
    return {"claimed": claimed, "items": len(items)}
