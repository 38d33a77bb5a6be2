"""The web push channel (VAPID, RFC 8292; payload encrypted with aes128gcm, RFC 8291).

The server's key pair: from the environment variable VAPID_PRIVATE_KEY (PEM, or the base64url
raw/DER key that ``vapid --gen`` prints) when set; otherwise generated on first use and kept in
``settings.VAR_DIR / "vapid_private.pem"``, so it survives restarts (subscriptions are bound to it).

The payload is ``{"title", "body", "url", "tag"}``: the item's title, a generic body (the school's
name, or "Urgent message"), the item's path and its key as tag (a second push about the same item
replaces the first on the device). Never the item's content."""

from __future__ import annotations

import base64
import json
import os
import tempfile
import threading
from email.utils import parseaddr
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from . import timing
from .email import language_of
from .models import Delivery, PushSubscription
from .outbox import Channel, Gone, PermanentError, TemporaryError

TTL = 24 * 60 * 60  # seconds the push service keeps a message for a device that is offline
TIMEOUT = 10  # seconds per request to the push service

_keys: dict[str, Vapid02] = {}
_keys_lock = threading.Lock()


def key_path() -> Path:
    return Path(settings.VAR_DIR) / "vapid_private.pem"


def vapid() -> Vapid02:
    """The server's VAPID key (cached per process and per source)."""
    source = os.environ.get("VAPID_PRIVATE_KEY", "").strip()
    cache_key = "env:" + source if source else "file:" + str(key_path())
    with _keys_lock:
        if cache_key not in _keys:
            if source:
                _keys[cache_key] = (
                    Vapid02.from_pem(source.encode()) if "-----BEGIN" in source else Vapid02.from_string(source)
                )
            else:
                _keys[cache_key] = _load_or_create(key_path())
        return _keys[cache_key]


def _load_or_create(path: Path) -> Vapid02:
    """Generate the key once; of two processes starting at the same moment, one file wins
    (written aside, then hard-linked into place, which fails if it exists)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Vapid02()
        key.generate_keys()
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=".vapid-", delete=False) as handle:
            os.chmod(handle.name, 0o600)
            handle.write(key.private_pem())
        try:
            os.link(handle.name, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(handle.name)
    return Vapid02.from_pem(path.read_bytes())


def public_key() -> str:
    """The application server key for ``pushManager.subscribe()``: base64url, unpadded."""
    raw = vapid().public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def claims_subject() -> str:
    return "mailto:" + parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def payload(delivery: Delivery) -> dict:
    broadcast = delivery.broadcast
    school = broadcast.school.name if broadcast.school_id else ""
    with translation.override(language_of(delivery.recipient)):
        if broadcast.urgent:
            body = _("Urgent message") + (f" · {school}" if school else "")
        else:
            body = school or _("New message")
    return {"title": broadcast.title, "body": body, "url": broadcast.url, "tag": broadcast.key}


def remove_subscription(subscription_id: int) -> None:
    """The device is gone: cancel what still waits for it, then forget it."""
    with transaction.atomic():
        Delivery.objects.filter(subscription_id=subscription_id, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.CANCELLED, error="device gone"
        )
        PushSubscription.objects.filter(pk=subscription_id).delete()


class PushChannel(Channel):
    name = "push"

    def open(self) -> None:
        self.key = vapid()
        self.subject = claims_subject()
        self.session = requests.Session()
        self.succeeded: list[int] = []

    def send(self, delivery: Delivery) -> None:
        subscription = delivery.subscription
        if subscription is None:
            raise Gone("the device was removed")
        info = {"endpoint": subscription.endpoint, "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}
        headers = {"Urgency": "high" if delivery.broadcast.urgent else "normal"}
        try:
            webpush(
                info,
                json.dumps(payload(delivery), ensure_ascii=False),
                vapid_private_key=self.key,
                vapid_claims={"sub": self.subject},  # a fresh dict: webpush adds aud and exp to it
                ttl=TTL,
                timeout=TIMEOUT,
                headers=headers,
                requests_session=self.session,
            )
        except WebPushException as exc:
            status = exc.response.status_code if exc.response is not None else None
            if status in (404, 410):
                raise Gone(f"push service: {status}") from exc
            if status is None or status == 429 or status >= 500:
                raise TemporaryError(f"push service: {status or exc}") from exc
            raise PermanentError(f"push service: {status}") from exc
        except (requests.RequestException, OSError) as exc:
            raise TemporaryError(f"push service unreachable: {exc!r}") from exc
        self.succeeded.append(subscription.pk)

    def gone(self, delivery: Delivery) -> None:
        if delivery.subscription_id:
            remove_subscription(delivery.subscription_id)

    def close(self) -> None:
        if self.succeeded:
            PushSubscription.objects.filter(pk__in=set(self.succeeded)).update(last_success_at=timing.now())
        self.session.close()
