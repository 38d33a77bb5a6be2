"""Making, finding and revoking API tokens. A token reads ``sp_<8 characters>_<secret>``: the first
part is its prefix, kept in clear for the list; the whole token is kept only as a SHA-256 hash."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from schoolpoort.accounts import second_factor
from schoolpoort.core.access import roles_of
from schoolpoort.core.models import AuditEntry
from schoolpoort.core.scopes import scopes_disabled

from .models import SCOPES, ApiToken

PREFIX = "sp_"
MAX_DAYS = 366
# The last use is written at most this often per token, so that a busy system does not write a
# row on every request.
LAST_USE_RESOLUTION = datetime.timedelta(minutes=1)


class TokenRefused(ValueError):
    """The account may not make a token (no second factor, or not a school admin)."""


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the whole token, shown once


def may_make_tokens(user, school) -> bool:
    return roles_of(user).manages(school)


@transaction.atomic
def create_token(user, school, *, name: str, scopes: list[str], days: int, now=None) -> NewToken:
    """A token for a system, acting for ``user`` at ``school``. Only for accounts with a second
    factor: a token outlives the session that made it."""
    if not may_make_tokens(user, school):
        raise TokenRefused("not a school admin")
    if not second_factor.has_any_factor(user):
        raise TokenRefused("no second factor")
    unknown = set(scopes) - set(SCOPES)
    if unknown or not scopes:
        raise ValueError(f"unknown scopes: {sorted(unknown)}")
    now = now or timezone.now()
    prefix = PREFIX + secrets.token_urlsafe(6)[:8]
    secret = f"{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        school=school, user=user, name=name.strip(), prefix=prefix, digest=digest(secret),
        scopes=sorted(set(scopes)), expires_at=now + datetime.timedelta(days=min(days, MAX_DAYS)),
    )
    AuditEntry.record(user, "api.token_created", token, school=school, name=token.name, scopes=token.scopes)
    return NewToken(token, secret)


@transaction.atomic
def revoke_token(token: ApiToken, actor, now=None) -> bool:
    """Stops the token at once; returns whether it was still in use."""
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now(), revoked_by=actor
    )
    if updated:
        AuditEntry.record(actor, "api.token_revoked", token, school=token.school)
    return bool(updated)


def authenticate(secret: str, now=None) -> ApiToken | None:
    """The usable token ``secret`` is, with its account and school, or None. The account must still
    be active and still have its second factor. Records the last use (at most once a minute)."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    now = now or timezone.now()
    # Found by its secret alone, before any school is known: the one lookup outside a scope.
    with scopes_disabled():
        token = (
            ApiToken.objects.usable(now).select_related("user", "school")
            .filter(digest=digest(secret), user__is_active=True).first()
        )
        if token is None or not second_factor.has_any_factor(token.user):
            return None
        if token.last_used_at is None or now - token.last_used_at >= LAST_USE_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
    return token
