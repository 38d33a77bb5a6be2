"""Device tokens: the installable/native app asks for one on the phone's final "Log in as <name>"
of the QR sign-in (accounts/phone_link_views.py, through the ``account_devices`` hook below), and
then calls the API with ``Authorization: Bearer spd_…``.

- The token acts as its person exactly as their session would: every school the person reaches,
  no scopes (``Caller.require`` and ``Caller.require_session`` pass); the access rules apply per
  request, so a parent who loses guardianship loses the child at once.
- It lives ``LIFETIME`` (90 days) from its last use: each use (at most once a minute) renews it.
- It stops at once when revoked on Mijn account, when the password changes or the person logs out
  on all devices (``user_check``), or when the account is deactivated.
- An account that has or needs a second factor (staff) gets a token only when the computer that
  confirmed the QR code was verified with it, and the token stops if the factor goes. The staff
  idle timeout of sessions does not apply to a token (it cannot see idleness): its 90 days do.

The accounts app does not import the API: it finds the functions of this module by name
(``lib.providers.module_hooks("account_devices", …)``, see api/account_devices.py)."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from schoolpoort.accounts import second_factor
from schoolpoort.accounts.phone_link import needs_factor
from schoolpoort.core.models import AuditEntry
from schoolpoort.lib.user_agents import device_label

from .models import DeviceToken

PREFIX = "spd_"
LIFETIME = datetime.timedelta(days=90)
LAST_USE_RESOLUTION = datetime.timedelta(minutes=1)


class DeviceTokenRefused(ValueError):
    """The account has or needs a second factor, and the confirmation was not verified with it."""


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@dataclass(frozen=True)
class NewDeviceToken:
    token: DeviceToken
    secret: str  # shown once


@transaction.atomic
def issue(user, user_agent: str, *, verified: bool, now=None) -> NewDeviceToken:
    if needs_factor(user) and not (verified and second_factor.has_any_factor(user)):
        raise DeviceTokenRefused("second factor")
    now = now or timezone.now()
    prefix = PREFIX + secrets.token_urlsafe(6)[:8]
    secret = f"{prefix}_{secrets.token_urlsafe(32)}"
    token = DeviceToken.objects.create(
        user=user, name=device_label(user_agent)[:100], prefix=prefix, digest=_hash(secret),
        user_check=_hash(user.get_session_auth_hash()), expires_at=now + LIFETIME,
    )
    AuditEntry.record(user, "api.device_token_created", token, device=token.name)
    return NewDeviceToken(token, secret)


def authenticate(secret: str, now=None) -> DeviceToken | None:
    """The usable device token ``secret`` is, with its account, or None. Renews it on use."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    now = now or timezone.now()
    token = (
        DeviceToken.objects.usable(now).select_related("user")
        .filter(digest=_hash(secret), user__is_active=True).first()
    )
    if token is None or token.user_check != _hash(token.user.get_session_auth_hash()):
        return None
    if second_factor.required_for(token.user) and not second_factor.has_any_factor(token.user):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_RESOLUTION:
        DeviceToken.objects.filter(pk=token.pk).update(last_used_at=now, expires_at=now + LIFETIME)
        token.last_used_at, token.expires_at = now, now + LIFETIME
    return token


def devices_of(user, now=None) -> list[DeviceToken]:
    """The account's device tokens that still work, newest first (one query)."""
    check = _hash(user.get_session_auth_hash())
    return [t for t in DeviceToken.objects.visible_to(user).usable(now) if t.user_check == check]


@transaction.atomic
def revoke(user, pk: int, now=None) -> DeviceToken | None:
    """Stops one of ``user``'s own device tokens at once; None when it is not theirs or not in use."""
    token = DeviceToken.objects.visible_to(user).filter(pk=pk, revoked_at__isnull=True).first()
    if token is None or not DeviceToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    ):
        return None
    AuditEntry.record(user, "api.device_token_revoked", token, device=token.name)
    return token
