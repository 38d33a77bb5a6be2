"""Who sees which conference round and which booking, composed from the building blocks of
``core.access`` (one SQL query each: subqueries only).

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
    board_school_ids,
    guardian_student_ids,
    managed_school_ids,
    open_module_school_ids,
    roles_of,
    staff_school_ids,
    taught_group_ids,
)

MODULE = "conferences"


def _model(name: str):
    return apps.get_model(*name.split("."))


def _is_signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def switched_on_school_ids() -> QuerySet:
    """Schools where the module is switched on (closed periods do not matter to staff)."""
    return _model("core.ModuleSwitch").objects.filter(module=MODULE, enabled=True).values("school_id")


def children_group_ids(user) -> QuerySet:
    """The current groups of the user's children (all of them, class pages or not)."""
    return (
        _model("core.Enrollment")
        .objects.filter(student_id__in=guardian_student_ids(user), group__in=_model("core.Group").objects.current())
        .values("group_id")
    )


def _rounds_of_groups(group_ids: QuerySet) -> QuerySet:
    return _model("conferences.Round").groups.through.objects.filter(group_id__in=group_ids).values("round_id")


def guardian_round_q(user) -> Q:
    return Q(pk__in=_rounds_of_groups(children_group_ids(user))) & Q(
        school_id__in=open_module_school_ids(MODULE)
    )


def staff_round_q(user) -> Q:
    own_sessions = _model("conferences.Session").objects.filter(teacher=user).values("round_id")
    return (
        Q(school_id__in=managed_school_ids(user))
        | (Q(pk__in=_rounds_of_groups(taught_group_ids(user))) & Q(school_id__in=staff_school_ids(user)))
        | (Q(pk__in=own_sessions) & Q(school_id__in=staff_school_ids(user)))
    ) & Q(school_id__in=switched_on_school_ids())


def round_q(user) -> Q:
    if not _is_signed_in(user):
        return NOTHING
    return guardian_round_q(user) | staff_round_q(user)


def guardian_booking_q(user) -> Q:
    children = guardian_student_ids(user)
    return (
        Q(student_id__in=children)
        & (Q(party=0) | Q(party=user.pk))
        & Q(round__school_id__in=open_module_school_ids(MODULE))
    )


def staff_booking_q(user) -> Q:
    return (
        Q(round__school_id__in=managed_school_ids(user))
        | (Q(slot__teacher=user) & Q(round__school_id__in=staff_school_ids(user)))
        | (Q(slot__group_id__in=taught_group_ids(user)) & Q(round__school_id__in=staff_school_ids(user)))
    ) & Q(round__school_id__in=switched_on_school_ids())


def booking_q(user) -> Q:
    if not _is_signed_in(user):
        return NOTHING
    return guardian_booking_q(user) | staff_booking_q(user)


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
    return _model("conferences.Round").objects.filter(pk=round.pk).filter(staff_round_q(user)).exists()


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
