"""Who may see absences, marks and leave requests, composed from the building blocks of
``core.access`` (one SQL query: every branch is a subquery of ids).

Absences:
- a guardian: the absences of their own children (``guardian_student_ids``), where the module is
  open at the child's school (switched on, not closed for a period);
- a teacher: the absences of the pupils of the groups they teach this school year;
- administration and director: every absence of their school; a board admin: of the board's schools;
staff only where the module is switched on at the school.

Marks ("marked absent by the teacher"): staff only, as for absences.

Leave requests: the guardians of the child (as for absences), administration, director and board
admin (as for absences). Teachers do not see the requests themselves (the reason may be private);
they see approved leave of their pupils as "on leave" in the group's list of the day.

Deciding on leave is for the director and the board admin (``Roles.manages``), in the views.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q, QuerySet

from schoolpoort.core.access import (
    NOTHING,
    guardian_student_ids,
    managed_school_ids,
    open_module_school_ids,
    switched_on_module_school_ids,
    taught_group_ids,
    usable_module_school_ids,
)

MODULE = "absences"


def _model(app: str, name: str):
    return apps.get_model(app, name)


def _is_signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def switched_on_school_ids() -> QuerySet:
    """Schools where the module is switched on (closed periods do not matter to staff)."""
    return switched_on_module_school_ids(MODULE)


def taught_student_ids(user) -> QuerySet:
    """Pupils (not archived) of the groups the user teaches this school year."""
    enrolled = _model("core", "Enrollment").objects.filter(group_id__in=taught_group_ids(user))
    return enrolled.filter(student__archived_at__isnull=True).values("student_id")


def guardian_q(user) -> Q:
    return Q(student_id__in=guardian_student_ids(user), school_id__in=open_module_school_ids(MODULE))


def staff_absence_q(user) -> Q:
    if not _is_signed_in(user):
        return NOTHING
    switched_on = switched_on_school_ids()
    return (Q(school_id__in=managed_school_ids(user)) | Q(student_id__in=taught_student_ids(user))) & Q(
        school_id__in=switched_on
    )


def absence_q(user) -> Q:
    if not _is_signed_in(user):
        return NOTHING
    return guardian_q(user) | staff_absence_q(user)


def mark_q(user) -> Q:
    return staff_absence_q(user)


def leave_q(user) -> Q:
    if not _is_signed_in(user):
        return NOTHING
    return guardian_q(user) | (Q(school_id__in=managed_school_ids(user)) & Q(school_id__in=switched_on_school_ids()))


def usable_school_ids(user) -> QuerySet:
    """Schools where the user can open the module's pages (the one rule in core.access)."""
    return usable_module_school_ids(user, MODULE)


def staff_group_q(user) -> Q:
    """Current groups whose list of the day the user may see: groups they teach, and every group
    of a school they manage or administer; where the module is switched on."""
    if not _is_signed_in(user):
        return NOTHING
    return (Q(pk__in=taught_group_ids(user)) | Q(school_id__in=managed_school_ids(user))) & Q(
        school_id__in=switched_on_school_ids()
    )


def staff_student_q(user) -> Q:
    """Pupils the user may register an absence for, or mark absent."""
    if not _is_signed_in(user):
        return NOTHING
    return (Q(school_id__in=managed_school_ids(user)) | Q(pk__in=taught_student_ids(user))) & Q(
        school_id__in=switched_on_school_ids(), archived_at__isnull=True
    )


def guardian_children(user):
    """The user's guardianships of children at schools where the module is open to them, with the
    pupil and school; ordered by first name."""
    Guardianship = _model("core", "Guardianship")
    if not _is_signed_in(user):
        return Guardianship.objects.none()
    return (
        Guardianship.objects.filter(
            user=user,
            student__archived_at__isnull=True,
            student__school_id__in=open_module_school_ids(MODULE),
        )
        .select_related("student__school")
        .order_by("student__first_name", "student__pk")
    )
