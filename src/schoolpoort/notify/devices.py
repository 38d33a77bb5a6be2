"""Push devices: subscribing (upsert by endpoint), switching off, removing."""

from __future__ import annotations

import base64
import binascii
import re

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from schoolpoort.lib import outbound
from schoolpoort.lib.user_agents import device_label

from .models import PushSubscription
from .push import check_endpoint, remove_subscription


class InvalidSubscription(ValueError):
    pass


def _b64url(value, length: int, name: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_-]+=*", value):
        raise InvalidSubscription(f"{name} must be base64url")
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise InvalidSubscription(f"{name} must be base64url") from None
    if len(raw) != length or (name == "p256dh" and raw[0] != 4):
        raise InvalidSubscription(f"{name} has the wrong length")
    return value.rstrip("=")


def parse_subscription(data) -> tuple[str, str, str]:
    """(endpoint, p256dh, auth) from the JSON of ``PushSubscription.toJSON()``. The server POSTs to
    the endpoint, so it must be a push service (lib/outbound.py): an http, internal or other
    address would make us a proxy into the network."""
    if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
        raise InvalidSubscription("expected {endpoint, keys: {p256dh, auth}}")
    endpoint = data.get("endpoint")
    if not isinstance(endpoint, str) or len(endpoint) > 1000:
        raise InvalidSubscription("endpoint must be an https URL")
    try:
        check_endpoint(endpoint)
    except outbound.UnsafeURL as exc:
        raise InvalidSubscription(_("Notifications can only be sent through a browser's push service: %(reason)s")
                                  % {"reason": exc}) from exc
    keys = data["keys"]
    return endpoint, _b64url(keys.get("p256dh"), 65, "p256dh"), _b64url(keys.get("auth"), 16, "auth")


def subscribe(user, endpoint: str, p256dh: str, auth: str, label: str) -> PushSubscription:
    """Upsert by endpoint: a browser that subscribes again (or for another account) is one device."""
    with transaction.atomic():
        previous = PushSubscription.objects.select_for_update().filter(endpoint=endpoint).first()
        if previous is not None and previous.user_id != user.pk:
            # Someone else signed in on this browser: what waited for the previous account must
            # not appear on it.
            remove_subscription(previous.pk)
        subscription, _created = PushSubscription.objects.update_or_create(
            endpoint=endpoint,
            defaults={"user": user, "p256dh": p256dh, "auth": auth, "label": label[:200], "enabled": True},
        )
    return subscription


def register(user, data, user_agent: str) -> PushSubscription:
    """A browser's ``PushSubscription.toJSON()`` for the user (InvalidSubscription when it is not
    one we may send to); the device is named after its user agent. The PWA's script and the API."""
    endpoint, p256dh, auth = parse_subscription(data)
    return subscribe(user, endpoint, p256dh, auth, device_label(user_agent))


def unsubscribe(user, endpoint: str) -> bool:
    pk = PushSubscription.objects.filter(user=user, endpoint=endpoint).values_list("pk", flat=True).first()
    if pk is None:
        return False
    remove_subscription(pk)
    return True


def own_device_or_404(user, device_id: int) -> PushSubscription:
    return get_object_or_404(PushSubscription, pk=device_id, user=user)


def set_device(device: PushSubscription, action: str) -> None:
    if action == "remove":
        remove_subscription(device.pk)
    elif action in ("on", "off"):
        PushSubscription.objects.filter(pk=device.pk).update(enabled=action == "on")
    else:
        raise ValueError(action)
