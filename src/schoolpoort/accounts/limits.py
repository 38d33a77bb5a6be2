"""Rate limits on what sends mail or tries codes: counted in the shared "limits" cache
(RATELIMIT_USE_CACHE; Redis when REDIS_URL is set), so every web process sees one count."""

from __future__ import annotations

from django.conf import settings
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited


def over_limit(request, group: str, rate: str, key: str | None = None) -> bool:
    """Count this request in ``group`` (per client address when ``key`` is None, else per
    ``key``) and say whether it went over ``rate`` ("10/h")."""
    if key is None:
        key_function = "ip"
    else:
        key_function = lambda group, request: key  # noqa: E731
    return is_ratelimited(request, group=group, key=key_function, rate=rate, method=ALL, increment=True)


def password_reset_limited(request, email: str) -> tuple[bool, bool]:
    """(over the limit for this address, over the limit for this e-mail address)."""
    by_ip = over_limit(request, "accounts.password_reset.ip", settings.PASSWORD_RESET_RATE_PER_IP)
    by_email = bool(email) and over_limit(
        request, "accounts.password_reset.email", settings.PASSWORD_RESET_RATE_PER_EMAIL, key=email
    )
    return by_ip, by_email


def registration_limited(request, email: str) -> bool:
    """Every registration attempt counts, per address and per e-mail address typed."""
    by_ip = over_limit(request, "accounts.register.ip", settings.REGISTRATION_RATE_PER_IP)
    by_email = bool(email) and over_limit(
        request, "accounts.register.email", settings.REGISTRATION_RATE_PER_EMAIL, key=email
    )
    return by_ip or by_email
