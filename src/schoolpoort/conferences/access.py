"""Who sees which conference round and which booking. Each rule is written once against
``core.access.AccessIds``: ``visible_to(user)`` reads it with subqueries (one SQL query each), the
home block with the request's plain id lists.

Rounds:
- a guardian: rounds for a current group of one of their children, where the module is open at
  the school (switched on and not closed for a period). The conversation is about their own child,
  so a guardian the school keeps from class pages sees it too;
- a teacher: rounds for a group they teach this year, and rounds they hold conversations in;
- director and administration: every round of their school; a board admin: of the board's schools;
  for staff, where the module is switched on.

Bookings (who comes when): a guardian sees the family's bookings of their own children, and the
ones they booked for themselves when separated guardians book each their own, never the other
guardian's; staff see the bookings of their school (director, administration, board admin), of
their own slots, and of the groups they teach. Other families' bookings show to a guardian only
as a taken slot, never with a name.

Who may change a round (``manages_round``) is for the pages: the school's director,
administration and board admins, and a teacher for a round they made of their own groups."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q, QuerySet

from schoolpoort.core.access import (
    NOTHING,
    AccessIds,
    SubqueryIds,
    board_school_ids,
    for_groups_q,
    roles_of,
    staff_school_ids,
    switched_on_module_school_ids,
    taught_group_ids,
)

MODULE = "conferences"
FAMILY = 0  # ``Booking.party`` of a booking the whole family sees (models.FAMILY)


def _model(name: str):
    return apps.get_model(*name.split("."))


def _is_signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def switched_on_school_ids() -> QuerySet:
    """Schools where the module is switched on (closed periods do not matter to staff)."""
    return switched_on_module_school_ids(MODULE)


def guardian_round_q(ids: AccessIds) -> Q:
    # The conversation is about their own child: class pages or not.
    return for_groups_q(_model("conferences.Round"), ids.child_all_groups) & Q(school_id__in=ids.open_schools(MODULE))


def staff_round_q(ids: AccessIds) -> Q:
    own_sessions = _model("conferences.Session").objects.filter(teacher=ids.user).values("round_id")
    return (
        Q(school_id__in=ids.managed_schools)
        | (for_groups_q(_model("conferences.Round"), ids.taught_groups) & Q(school_id__in=ids.staff_schools))
        | (Q(pk__in=own_sessions) & Q(school_id__in=ids.staff_schools))
    ) & Q(school_id__in=ids.switched_on_schools(MODULE))


def round_q(ids: AccessIds) -> Q:
    if not ids.signed_in:
        return NOTHING
    return guardian_round_q(ids) | staff_round_q(ids)


def guardian_booking_q(ids: AccessIds) -> Q:
    if not ids.signed_in:
        return NOTHING
    return Q(
        student_id__in=ids.children,
        party__in=[FAMILY, ids.user.pk],
        round__school_id__in=ids.open_schools(MODULE),
    )


def staff_booking_q(ids: AccessIds) -> Q:
    return (
        Q(round__school_id__in=ids.managed_schools)
        | (Q(slot__teacher=ids.user) & Q(round__school_id__in=ids.staff_schools))
        | (Q(slot__group_id__in=ids.taught_groups) & Q(round__school_id__in=ids.staff_schools))
    ) & Q(round__school_id__in=ids.switched_on_schools(MODULE))


def booking_q(ids: AccessIds) -> Q:
    if not ids.signed_in:
        return NOTHING
    return guardian_booking_q(ids) | staff_booking_q(ids)


def visible_round_q(user) -> Q:
    """``round_q`` for ``Round.objects.visible_to(user)``: one SQL query, always current."""
    return round_q(SubqueryIds(user))


def visible_booking_q(user) -> Q:
    """``booking_q`` for ``Booking.objects.visible_to(user)``."""
    return booking_q(SubqueryIds(user))


# --- What a page offers (never a substitute for visible_to) ---------------------------------------


def manages_round(user, round) -> bool:
    """Change the round, every session, every pupil's marks: the school's administration,
    director and board admins; the teacher who made it, while it is only of their own groups."""
    if not _is_signed_in(user):
        return False
    if roles_of(user).administers(round.school):
        return True
    if round.created_by_id != user.pk or not roles_of(user).is_staff_at(round.school):
        return False
    taught = set(_model("core.Group").objects.current().filter(teachers=user).values_list("pk", flat=True))
    return {group.pk for group in round.groups.all()} <= taught


def staff_of_round(user, round) -> bool:
    """Sees the round as staff (its schedule, its pupils)."""
    if not _is_signed_in(user) or not roles_of(user).is_staff_at(round.school):
        return False
    return _model("conferences.Round").objects.filter(pk=round.pk).filter(staff_round_q(SubqueryIds(user))).exists()


def plannable_groups(user) -> QuerySet:
    """Groups the user may make a round for: every current group of the schools they administer,
    and the current groups they teach (where the module is switched on)."""
    Group = _model("core.Group")
    administered = _model("core.School").objects.filter(
        Q(pk__in=board_school_ids(user)) | Q(pk__in=staff_school_ids(user, ("administration", "director")))
    )
    return (
        Group.objects.current()
        .filter(Q(school__in=administered) | Q(pk__in=taught_group_ids(user)))
        .filter(school_id__in=switched_on_school_ids())
        .select_related("school")
        .order_by("school__name", "grades", "name")
    )
