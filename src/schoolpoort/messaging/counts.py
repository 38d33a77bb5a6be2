"""Unread conversations, for the header and the home page: one query each."""

from __future__ import annotations

from schoolpoort.core.models import School

from .access import usable_school_ids
from .models import UNREAD, Participant


def unread_conversations(user) -> int:
    """The user's conversations with a message they have not seen (muted ones left out)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return (
        Participant.objects.filter(
            user=user, left_at__isnull=True, muted=False, conversation__school_id__in=usable_school_ids(user)
        )
        .filter(UNREAD)
        .count()
    )


def messages_usable(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return School.objects.filter(pk__in=usable_school_ids(user)).exists()
