"""Who sees which calendar event, and who may post or change one. The seeing rule is written
once against ``core.access.AccessIds``: ``Event.objects.visible_to(user)`` reads it with
subqueries (one SQL query), the home block with the request's plain id lists.

Seeing:
- a guardian: events of the board and the school of each child and of the child's current
  groups (where the school lets this guardian see class pages), when the calendar module is
  open at that school (switched on and not closed for a period);
- staff (teacher, administration, director) and board admins: events of their schools' boards
  and of their schools, group events of every group of a school they manage (director,
  administration, board admin) and of the groups a teacher teaches this year, when the module
  is switched on at that school.

Posting and changing (the same rules as news): a teacher for their own groups; director and
administration for their school or its groups; a board admin for the board, its schools and
their groups.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q, QuerySet

from schoolpoort.core.access import (
    NOTHING,
    AccessIds,
    SubqueryIds,
    managed_school_ids,
    switched_on_module_school_ids,
    taught_group_ids,
    usable_module_school_ids,
)

MODULE = "calendar"
BOARD, SCHOOL, GROUPS = "board", "school", "groups"


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


def event_q(ids: AccessIds) -> Q:
    """The events visible through ``ids``: ``SubqueryIds(user)`` for ``visible_to``, the request's
    ``ReachIds`` for the home block."""
    if not ids.signed_in:
        return NOTHING
    switched_on = ids.switched_on_schools(MODULE)
    open_ids = ids.open_schools(MODULE)
    guardian_schools, staff_schools = _whole_schools(ids, open_ids, switched_on)
    board_events = Q(audience=BOARD) & (
        Q(board_id__in=ids.boards_of(guardian_schools)) | Q(board_id__in=ids.boards_of(staff_schools))
    )
    school_events = Q(audience=SCHOOL) & (Q(school_id__in=guardian_schools) | Q(school_id__in=staff_schools))
    group_events = Q(audience=GROUPS) & (
        Q(school_id__in=ids.both(ids.managed_schools, switched_on))
        | _of_groups(ids.taught_groups, switched_on)
        | _of_groups(ids.child_groups, open_ids)
    )
    return board_events | school_events | group_events


def _whole_schools(ids: AccessIds, open_ids, switched_on):
    # Guardians where the module is open; staff and board admins where it is switched on.
    guardian_schools = ids.both(ids.child_schools, open_ids)
    staff_schools = ids.both(ids.either(ids.staff_schools, ids.board_schools), switched_on)
    return guardian_schools, staff_schools


def whole_school_ids(ids: AccessIds):
    """The schools whose every school and board event ``event_q(ids)`` lets through (their days
    off among them): the home block reads those days off from its own query."""
    guardian_schools, staff_schools = _whole_schools(ids, ids.open_schools(MODULE), ids.switched_on_schools(MODULE))
    return ids.either(guardian_schools, staff_schools)


def visible_event_q(user) -> Q:
    """``event_q`` for ``Event.objects.visible_to(user)``: one SQL query, always current."""
    return event_q(SubqueryIds(user))


def _of_groups(group_ids, school_ids) -> Q:
    if isinstance(group_ids, list) and not (group_ids and school_ids):
        return NOTHING
    of_groups = _model("calendar", "Event").groups.through.objects.filter(group_id__in=group_ids).values("event_id")
    return Q(pk__in=of_groups, school_id__in=school_ids)


def manageable_q(user) -> Q:
    """Events whose audience the user may post to; views combine it with ``visible_to``."""
    if not _is_signed_in(user):
        return NOTHING
    Through = _model("calendar", "Event").groups.through
    boards = _model("core", "BoardMembership").objects.filter(user=user).values("board_id")
    taught = taught_group_ids(user)
    only_taught_groups = Q(pk__in=Through.objects.filter(group_id__in=taught).values("event_id")) & ~Q(
        pk__in=Through.objects.exclude(group_id__in=taught).values("event_id")
    )
    return (
        Q(audience=BOARD, board_id__in=boards)
        | Q(audience__in=[SCHOOL, GROUPS], school_id__in=managed_school_ids(user))
        | (Q(audience=GROUPS) & only_taught_groups)
    )
