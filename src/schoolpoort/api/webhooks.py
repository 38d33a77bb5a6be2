"""Webhooks: a signed POST to a school's own system when something happens there (a child reported
absent, a conference booked or cancelled, an import done). Modules announce events through the
kernel (lib/events.py); this app listens, makes a delivery per webhook that wants the event (in
the transaction of the change) and a task sends it.

Each POST carries ``X-Schoolpoort-Timestamp`` (unix seconds) and ``X-Schoolpoort-Signature:
sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the webhook's secret>``. A failed try (no
answer, or not 2xx) is tried again after 1 minute, 5 minutes, 30 minutes, 2 hours and 12 hours,
then given up; every try is in the delivery log on the token page.

The address is hostile input: https on the standard port, a host name that resolves only to public
addresses (lib/outbound.py), checked when it is saved and again before every try, and each
connection goes only to the addresses just checked (DNS rebinding). Only the tests'
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES lets it call a server on 127.0.0.1."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

import requests
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from schoolpoort.core.models import AuditEntry
from schoolpoort.core.scopes import school_scope
from schoolpoort.lib import outbound

from .models import EVENTS, Webhook, WebhookDelivery

BACKOFF = [
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=12),
]
KEEP_LOG = datetime.timedelta(days=30)  # the delivery log (its bodies name pupils by id and number)
TIMEOUT = 10  # seconds to connect and to read the answer
USER_AGENT = "Schoolpoort-Webhook/1"

# How host names are looked up; tests put a resolver of their own here.
resolver: outbound.Resolver = outbound.resolve


def _resolve(host: str, port: int) -> list[str]:
    return resolver(host, port)


def check_url(url: str) -> None:
    """Raises outbound.UnsafeURL unless the server may post to ``url``."""
    if settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES:
        return
    outbound.check_url(url, allowed_hosts=None, resolve=_resolve)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class NewWebhook:
    webhook: Webhook
    secret: str  # shown once


@transaction.atomic
def create_webhook(user, school, *, url: str, events: list[str]) -> NewWebhook:
    """The caller has checked that ``user`` manages ``school`` and that ``url`` passed ``check_url``."""
    unknown = set(events) - set(EVENTS)
    if unknown or not events:
        raise ValueError(f"unknown events: {sorted(unknown)}")
    secret = "whsec_" + secrets.token_urlsafe(32)
    webhook = Webhook.objects.create(school=school, url=url, secret=secret, events=sorted(set(events)),
                                     created_by=user)
    AuditEntry.record(user, "api.webhook_created", webhook, school=school, url=url, events=webhook.events)
    return NewWebhook(webhook, secret)


@transaction.atomic
def delete_webhook(webhook: Webhook, actor) -> None:
    AuditEntry.record(actor, "api.webhook_deleted", webhook, school=webhook.school, url=webhook.url)
    webhook.delete()


def on_school_event(sender, *, event: str, school_id: int, data: dict, **kwargs) -> None:
    """A delivery for each webhook of the school that wants ``event``, enqueued in the same
    transaction as the change (so it is sent only if the change commits)."""
    from .tasks import deliver

    with school_scope([school_id]):
        hooks = [hook for hook in Webhook.objects.filter(school_id=school_id).only("pk", "events")
                 if event in hook.events]
        if not hooks:
            return
        now = timezone.now()
        WebhookDelivery.objects.filter(webhook__in=hooks, created_at__lt=now - KEEP_LOG).exclude(
            status=WebhookDelivery.Status.PENDING
        ).delete()
        for hook in hooks:
            envelope = {"event": event, "school_id": school_id, "created_at": now, "data": data}
            delivery = WebhookDelivery.objects.create(
                webhook=hook, event=event, body=json.dumps(envelope, cls=DjangoJSONEncoder, separators=(",", ":")),
            )
            deliver.enqueue(delivery.pk)


def _post(url: str, body: bytes, headers: dict) -> int:
    """The answer's status code (its body is not read)."""
    with requests.Session() as session:
        session.trust_env = False  # no proxy from the environment: we connect to the checked addresses
        if not settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES:
            session.mount("https://", outbound.VettedAdapter(resolve=_resolve))
        with session.post(url, data=body, headers=headers, timeout=TIMEOUT, allow_redirects=False,
                          stream=True) as response:
            return response.status_code


def attempt(delivery_id: int, now: datetime.datetime | None = None) -> str:
    """One try of a delivery; schedules the next after a failure. Returns the status."""
    from .tasks import deliver

    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return "gone"
    webhook = delivery.webhook
    body = delivery.body.encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Schoolpoort-Event": delivery.event,
        "X-Schoolpoort-Delivery": str(delivery.pk),
        "X-Schoolpoort-Timestamp": timestamp,
        "X-Schoolpoort-Signature": sign(webhook.secret, timestamp, body),
    }
    code, error = None, ""
    try:
        check_url(webhook.url)
        code = _post(webhook.url, body, headers)
        if not 200 <= code < 300:
            error = f"HTTP {code}"
    except outbound.UnsafeURL as exc:
        error = str(exc)
    except requests.RequestException as exc:
        error = type(exc).__name__
    now = now or timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = code
    delivery.last_error = error[:300]
    if not error:
        delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.DELIVERED, None
    elif delivery.attempts <= len(BACKOFF):
        delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
        deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    else:
        delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.FAILED, None
    delivery.save(update_fields=["attempts", "last_attempt_at", "last_status_code", "last_error", "status",
                                 "next_attempt_at"])
    return delivery.status
