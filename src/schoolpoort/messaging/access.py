"""Who may see which conversation, built from the building blocks of ``core.access`` (one SQL
query: every branch is a subquery of ids).

- Everyone: the conversations they take part in (an active participant), at a school where the
  module is usable for them: switched on (staff of that school, board admins) or open (parents:
  switched on and not closed for a period, at the school of one of their children).
- A director or board admin, besides: the teacher–parent conversations of their school (never
  those between parents), only when the school's setting ``directors_may_read`` is on. Each
  reading is written to the audit log by the pages (``actions.record_leadership_read``).

Nobody else: a conversation one may not see does not exist (404).
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q, QuerySet

from schoolpoort.core.access import (
    NOTHING,
    board_school_ids,
    staff_school_ids,
    switched_on_module_school_ids,
    usable_module_school_ids,
)

MODULE = "messaging"


def _model(app: str, name: str):
    return apps.get_model(app, name)


def _is_signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def switched_on_school_ids() -> QuerySet:
    """Schools where the module is switched on (closed periods do not matter to staff)."""
    return switched_on_module_school_ids(MODULE)


def usable_school_ids(user) -> QuerySet:
    """Schools where the user can open the module's pages (the one rule in core.access)."""
    return usable_module_school_ids(user, MODULE)


def led_school_ids(user) -> QuerySet:
    """Schools the user leads: director there, or board admin of its board."""
    School = _model("core", "School")
    return School.objects.filter(
        Q(pk__in=board_school_ids(user)) | Q(pk__in=staff_school_ids(user, ("director",)))
    ).values("pk")


def own_conversation_ids(user) -> QuerySet:
    return _model("messaging", "Participant").objects.filter(user=user, left_at__isnull=True).values(
        "conversation_id"
    )


def participant_q(user) -> Q:
    if not _is_signed_in(user):
        return NOTHING
    return Q(school_id__in=usable_school_ids(user)) & Q(pk__in=own_conversation_ids(user))


def leadership_q(user) -> Q:
    """Teacher–parent conversations of the schools the user leads that allow leadership to read them."""
    allowed = _model("messaging", "SchoolMessagingSettings").objects.filter(
        directors_may_read=True, school_id__in=led_school_ids(user)
    )
    return Q(between_parents=False, school_id__in=allowed.values("school_id"))


def conversation_q(user) -> Q:
    if not _is_signed_in(user):
        return NOTHING
    return Q(school_id__in=usable_school_ids(user)) & (Q(pk__in=own_conversation_ids(user)) | leadership_q(user))


def closable_q(user) -> Q:
    """Conversations the user may close or open again: as a staff participant, or as the
    office or leadership of the school (a reported conversation, also one between parents)."""
    if not _is_signed_in(user):
        return NOTHING
    Participant = _model("messaging", "Participant")
    School = _model("core", "School")
    staff_in = Participant.objects.filter(
        user=user, left_at__isnull=True, role__in=Participant.STAFF_ROLES
    ).values("conversation_id")
    administered = School.objects.filter(
        Q(pk__in=board_school_ids(user)) | Q(pk__in=staff_school_ids(user, ("administration", "director")))
    ).values("pk")
    usable = Q(school_id__in=usable_school_ids(user))
    return usable & (Q(pk__in=staff_in) | Q(school_id__in=administered))
