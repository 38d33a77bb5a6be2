"""The signed-in user's counts that every page shows (the bell, the tab bar, the inbox link) in
one query per request. A module that counts something for every page has ``counts.py`` defining
``count_rows(request)``: a queryset of (key, count) rows, or None when it has nothing to count for
this request. The kernel runs them all as one ``UNION ALL`` the first time a page asks
(``request_counts``) and keeps the answer on the request; each module reads its own keys back."""

from __future__ import annotations

from .providers import module_hooks


def request_counts(request) -> dict[str, int]:
    """{key: count} of every module's ``count_rows`` for this request (one query; none when no
    module counts anything)."""
    counted = getattr(request, "_schoolpoort_counts", None)
    if counted is None:
        parts = [rows.order_by() for provider in module_hooks("counts", "count_rows")
                 if (rows := provider(request)) is not None]
        counted = {}
        if parts:
            for key, count in parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]:
                counted[key] = counted.get(key, 0) + count
        request._schoolpoort_counts = counted
    return counted
