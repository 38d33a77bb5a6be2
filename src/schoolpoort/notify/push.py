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
import time
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from py_vapid import Vapid02
from pywebpush import WebPusher

from schoolpoort.lib import outbound

from . import timing
from .email import language_of
from .models import Delivery, PushSubscription
from .outbox import Channel, Gone, PermanentError, TemporaryError

TTL = 24 * 60 * 60  # seconds the push service keeps a message for a device that is offline
TIMEOUT = 10  # seconds per request to the push service
# The VAPID JWT is signed once per push service (origin) and reused: RFC 8292 allows an expiry of
# up to 24 hours, and an ES256 signature for each of 14,000 messages is wasted work.
VAPID_LIFETIME = 12 * 60 * 60
VAPID_RENEW_BEFORE = 60 * 60  # sign a new one when less than this is left

_keys: dict[str, Vapid02] = {}
_keys_lock = threading.Lock()
_authorizations: dict[tuple[str, str, str], tuple[dict, float]] = {}
_sessions = threading.local()  # per thread: one requests.Session per push service origin


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
    return public_key_of(vapid())


def public_key_of(key: Vapid02) -> str:
    raw = key.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def claims_subject() -> str:
    return "mailto:" + parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


# How push service host names are looked up; tests put a resolver of their own here.
resolver: outbound.Resolver = outbound.resolve


def check_endpoint(endpoint: str, resolve: outbound.Resolver | None = None) -> None:
    """Raises outbound.UnsafeURL unless the server may post to ``endpoint``: https on a push
    service of WEB_PUSH_ALLOWED_HOSTS that resolves to public addresses only. Only a benchmark's
    settings switch it off (WEB_PUSH_CHECK_ENDPOINTS = False), for its push sink on loopback."""
    if not getattr(settings, "WEB_PUSH_CHECK_ENDPOINTS", True):
        return
    outbound.check_url(endpoint, allowed_hosts=settings.WEB_PUSH_ALLOWED_HOSTS, resolve=resolve or _resolve)


def _resolve(host: str, port: int) -> list[str]:
    return resolver(host, port)


def origin_of(endpoint: str) -> str:
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


def vapid_headers(key: Vapid02, subject: str, origin: str) -> dict:
    """The Authorization header for ``origin``, signed once and reused until an hour before it expires."""
    cache_key = (public_key_of(key), subject, origin)
    now = time.time()
    with _keys_lock:
        cached = _authorizations.get(cache_key)
        if cached is not None and cached[1] - now > VAPID_RENEW_BEFORE:
            return cached[0]
    expires = int(now) + VAPID_LIFETIME
    headers = key.sign({"sub": subject, "aud": origin, "exp": expires})
    with _keys_lock:
        _authorizations[cache_key] = (headers, expires)
    return headers


def session_for(origin: str) -> requests.Session:
    """A keep-alive session per push service and worker thread, kept across batches. The proxy and
    CA settings of the environment are read once here rather than on every request (requests
    otherwise scans os.environ for each message)."""
    sessions = getattr(_sessions, "by_origin", None)
    if sessions is None:
        sessions = _sessions.by_origin = {}
    session = sessions.get(origin)
    if session is None:
        session = requests.Session()
        session.proxies.update(requests.utils.get_environ_proxies(origin))
        session.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
        session.trust_env = False
        # Every new connection goes only to the push service's public addresses (DNS rebinding).
        session.mount("https://", outbound.VettedAdapter(resolve=_resolve))
        sessions[origin] = session
    return session


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
        self.succeeded: list[int] = []
        # One lookup per push service and batch (thousands of devices share a handful of hosts);
        # every new connection still looks the name up again (outbound.VettedAdapter).
        self.lookups: dict[str, list[str]] = {}

    def _lookup(self, host: str, port: int) -> list[str]:
        if host not in self.lookups:
            self.lookups[host] = _resolve(host, port)
        return self.lookups[host]

    def send(self, delivery: Delivery) -> None:
        subscription = delivery.subscription
        if subscription is None:
            raise Gone("the device was removed")
        try:  # again at send time: the name may point elsewhere now
            check_endpoint(subscription.endpoint, resolve=self._lookup)
        except outbound.UnresolvableURL as exc:
            raise TemporaryError(f"push service not found: {exc}") from exc
        except outbound.UnsafeURL as exc:
            raise Gone(f"not a push service: {exc}") from exc
        origin = origin_of(subscription.endpoint)
        info = {"endpoint": subscription.endpoint, "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}
        headers = {
            **vapid_headers(self.key, self.subject, origin),
            "Urgency": "high" if delivery.broadcast.urgent else "normal",
        }
        data = json.dumps(payload(delivery), ensure_ascii=False)
        try:
            # pywebpush encrypts (a fresh ECDH key and salt per message, RFC 8291) and posts.
            response = WebPusher(info, requests_session=session_for(origin)).send(
                data, headers, ttl=TTL, timeout=TIMEOUT, content_encoding="aes128gcm"
            )
        except (requests.RequestException, OSError) as exc:
            raise TemporaryError(f"push service unreachable: {exc!r}") from exc
        status = response.status_code
        if status in (404, 410):
            raise Gone(f"push service: {status}")
        if status == 429 or status >= 500:
            raise TemporaryError(f"push service: {status}")
        if status > 202:
            raise PermanentError(f"push service: {status}")
        self.succeeded.append(subscription.pk)

    def gone(self, delivery: Delivery) -> None:
        if delivery.subscription_id:
            remove_subscription(delivery.subscription_id)

    def close(self) -> None:
        if self.succeeded:
            PushSubscription.objects.filter(pk__in=set(self.succeeded)).update(last_success_at=timing.now())
