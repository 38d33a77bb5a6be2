"""Signed one-click unsubscribe links (RFC 8058): a link that switches e-mail about some modules
off for one user. It grants nothing else, so it does not expire."""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from schoolpoort.accounts.emails import absolute_url
from schoolpoort.core.modules import MODULES

SALT = "schoolpoort.notify.unsubscribe"


def make_token(user_id: int, modules: list[str]) -> str:
    return signing.dumps({"u": user_id, "m": sorted(set(modules))}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[int, list[str]] | None:
    """(user id, modules) from a valid token, None from anything else."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("m"), list):
        return None
    modules = [m for m in data["m"] if m in MODULES]
    return (data["u"], modules) if modules else None


def unsubscribe_url(user_id: int, modules: list[str]) -> str:
    return absolute_url(reverse("notify:unsubscribe", args=[make_token(user_id, modules)]))
