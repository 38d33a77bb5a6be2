"""The fan-out: from one Broadcast to a Notification per recipient and a Delivery per channel,
then the delivery tasks. Works in chunks of ``planning.CHUNK`` recipients, each in its own
transaction with a constant number of queries; every insert ignores conflicts on the unique
constraints, so running it again (after a crash, or twice) adds nothing and sends nothing twice."""

from __future__ import annotations

from django.db import transaction

from . import planning, timing
from .digest import schedule_digests
from .models import Broadcast, Delivery, Notification
from .outbox import enqueue_rows

Status = Delivery.Status


def fan_out_broadcast(broadcast_id: int) -> dict:
    broadcast = Broadcast.objects.filter(pk=broadcast_id).first()
    stats = {"recipients": 0, "deliveries": 0}
    if broadcast is None or broadcast.cancelled_at is not None or broadcast.fanned_out_at is not None:
        return stats
    ids = planning.recipient_ids(broadcast.recipient_ids)
    quiet = timing.Quiet() if broadcast.urgent else planning.quiet_for(broadcast.school_id)
    now = timing.now()
    for chunk in planning.chunks(ids):
        with transaction.atomic():
            # Lock the broadcast: cancel() waits for this chunk, and this chunk sees a cancel.
            if Broadcast.objects.select_for_update().filter(pk=broadcast.pk, cancelled_at=None).first() is None:
                return stats
            plans = planning.plan_chunk(
                chunk, module=broadcast.module, urgent=broadcast.urgent, quiet=quiet, now=now
            )
            stats["recipients"] += len(plans)
            stats["deliveries"] += _write_chunk(broadcast, plans, now)
    Broadcast.objects.filter(pk=broadcast.pk).update(fanned_out_at=timing.now())
    return stats


def _write_chunk(broadcast: Broadcast, plans: list[planning.Plan], now) -> int:
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=plan.user_id,
                broadcast_id=broadcast.pk,
                key=broadcast.key,
                module=broadcast.module,
                title=broadcast.title,
                url=broadcast.url,
                urgent=broadcast.urgent,
            )
            for plan in plans
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    deliveries = []
    for plan in plans:
        common = {"broadcast_id": broadcast.pk, "recipient_id": plan.user_id}
        if plan.email == planning.EMAIL_NOW:
            deliveries.append(Delivery(channel=Delivery.Channel.EMAIL, not_before=now, **common))
        elif plan.email == planning.EMAIL_DIGEST:
            digest = {"status": Status.DIGEST, "digest": True, "not_before": plan.digest_at}
            deliveries.append(Delivery(channel=Delivery.Channel.EMAIL, **digest, **common))
        for subscription_id in plan.push_devices:
            deliveries.append(
                Delivery(
                    channel=Delivery.Channel.PUSH,
                    subscription_id=subscription_id,
                    not_before=plan.push_at or now,
                    **common,
                )
            )
    if not deliveries:
        return 0
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True, batch_size=500)
    # Read the rows back (ignore_conflicts returns no ids): tasks for the pending ones. On a
    # second run the ones already sent are no longer pending, and a duplicate task is harmless.
    user_ids = [plan.user_id for plan in plans]
    pending = Delivery.objects.filter(broadcast=broadcast, recipient_id__in=user_ids, status=Status.PENDING)
    enqueue_rows(
        (pk, channel, broadcast.urgent, not_before)
        for pk, channel, not_before in pending.values_list("pk", "channel", "not_before")
    )
    schedule_digests({(plan.user_id, plan.digest_at) for plan in plans if plan.email == planning.EMAIL_DIGEST})
    return len(deliveries)
