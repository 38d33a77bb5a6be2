"""Push devices for parents' apps: register this browser's web-push subscription, unregister it, and
list the caller's devices, through the same functions as the PWA's push script (notify.devices:
only a real push service's address is accepted, a browser is one device whoever signs in on it)."""

from __future__ import annotations

import datetime

from django.http import Http404
from ninja import Router, Schema, Status
from ninja.errors import ValidationError

from schoolpoort.notify import devices
from schoolpoort.notify.models import PushSubscription

from ..errors import ERRORS

router = Router(tags=["push devices"])


class Keys(Schema):
    p256dh: str
    auth: str


class SubscriptionIn(Schema):
    """What ``PushSubscription.toJSON()`` gives in the browser."""

    endpoint: str
    keys: Keys


class EndpointIn(Schema):
    endpoint: str


class DeviceOut(Schema):
    id: int
    label: str
    enabled: bool
    created_at: datetime.datetime
    last_success_at: datetime.datetime | None


class DeviceList(Schema):
    items: list[DeviceOut]


def _device(device: PushSubscription) -> dict:
    return {"id": device.pk, "label": device.label, "enabled": device.enabled, "created_at": device.created_at,
            "last_success_at": device.last_success_at}


@router.get("/push/devices", response={200: DeviceList, **ERRORS}, url_name="push_devices",
            summary="My devices with push messages")
def push_devices(request):
    caller = request.auth
    caller.require_session()
    return {"items": [_device(d) for d in PushSubscription.objects.filter(user=caller.user).order_by("-created_at")]}


@router.post("/push/devices", response={201: DeviceOut, **ERRORS}, url_name="register_push_device",
             summary="Register this browser for push messages")
def register_push_device(request, payload: SubscriptionIn):
    """An address that is not a browser's push service answers 422 with why."""
    caller = request.auth
    caller.require_session()
    try:
        device = devices.register(caller.user, payload.dict(), request.headers.get("User-Agent", ""))
    except devices.InvalidSubscription as exc:
        key = str(exc).split(" ", 1)[0]
        loc = ["body", "keys", key] if key in ("p256dh", "auth") else ["body", "endpoint"]
        raise ValidationError([{"loc": loc, "msg": str(exc), "type": "invalid"}]) from exc
    return Status(201, _device(device))


@router.post("/push/devices/unregister", response={204: None, **ERRORS}, url_name="unregister_push_device",
             summary="Unregister a browser from push messages")
def unregister_push_device(request, payload: EndpointIn):
    """The subscription's endpoint, as the PWA's script sends it when push is switched off. Only the
    caller's own device: another's (or none) answers 404."""
    caller = request.auth
    caller.require_session()
    if not devices.unsubscribe(caller.user, payload.endpoint):
        raise Http404
    return Status(204, None)

