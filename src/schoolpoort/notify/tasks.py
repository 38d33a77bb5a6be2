"""Background tasks of notify. Tasks take ids, never model instances, and re-read what they need.
Urgent broadcasts go through the "urgent" queue with a higher priority, digests through "bulk".

No scope to declare: notify's own tables (broadcasts, notifications, deliveries) belong to their
recipients and are not school-scoped, and these tasks read no other (core/scopes.py)."""

import datetime

from django_tasks import task

from . import digest, fanout, outbox
from .email import EmailChannel
from .push import PushChannel


@task(queue_name="default")
def fan_out(broadcast_id: int) -> dict:
    return fanout.fan_out_broadcast(broadcast_id)


@task(queue_name="default")
def deliver_email(delivery_ids: list[int]) -> dict:
    return outbox.deliver(EmailChannel(), delivery_ids)


@task(queue_name="default")
def deliver_push(delivery_ids: list[int]) -> dict:
    return outbox.deliver(PushChannel(), delivery_ids)


@task(queue_name="bulk")
def send_digest(user_id: int, due_at: str) -> dict:
    return digest.send_user_digest(user_id, datetime.datetime.fromisoformat(due_at))


@task(queue_name="default")
def recover() -> dict:
    return outbox.sweep()
