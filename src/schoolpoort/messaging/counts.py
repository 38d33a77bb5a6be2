"""Unread conversations, for the header and the home page.

The header asks on every page, so it reads the usable schools once as a plain list of ids and
counts with ``IN (1, 2)``: PostgreSQL then plans a short join from the user's own participant
rows instead of a join with the access subqueries. The count goes into the kernel's one query of
the header's counts (``count_rows``, core/counts.py), kept on the request."""

from __future__ import annotations

from django.db.models import Count, Value

from schoolpoort.core.access import request_modules
from schoolpoort.core.access import usable_school_ids as usable_school_ids_of
from schoolpoort.core.counts import request_counts
from schoolpoort.core.models import School

from .access import MODULE, usable_school_ids
from .models import UNREAD, Participant


def unread_conversations(user, school_ids=None) -> int:
    """The user's conversations with a message they have not seen (muted ones left out).
    ``school_ids``: the usable schools when already read (``usable_school_id_list``)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    schools = usable_school_ids(user) if school_ids is None else sorted(school_ids)
    return (
        Participant.objects.filter(user=user, left_at__isnull=True, muted=False, conversation__school_id__in=schools)
        .filter(UNREAD)
        .count()
    )


def usable_school_id_list(user) -> list[int]:
    """The ids of the schools whose messages the user can open (one query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(School.objects.filter(pk__in=usable_school_ids(user)).values_list("pk", flat=True))


def messages_usable(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return School.objects.filter(pk__in=usable_school_ids(user)).exists()


UNREAD_KEY = "messaging.unread"


def _usable_school_ids(request) -> list[int]:
    # The request's module states (read once, kept in the reach cache) say where messages are usable.
    return usable_school_ids_of(request_modules(request)[1], MODULE)


def count_rows(request):
    """The unread conversations as one (key, count) row for the kernel's one query of the
    header's counts (core/counts.py); None when messages are not usable anywhere."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    school_ids = _usable_school_ids(request)
    if not school_ids:
        return None
    return (
        Participant.objects.filter(user=user, left_at__isnull=True, muted=False, conversation__school_id__in=school_ids)
        .filter(UNREAD)
        .annotate(count_key=Value(UNREAD_KEY))
        .values_list("count_key")
        .annotate(count=Count("pk"))
    )


def header_counts(request) -> dict:
    """{"usable", "unread"} for the page header: read with the other modules' counts in the
    kernel's one query of the request (core/counts.py)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"usable": False, "unread": 0}
    usable = bool(_usable_school_ids(request))
    return {"usable": usable, "unread": request_counts(request).get(UNREAD_KEY, 0) if usable else 0}
