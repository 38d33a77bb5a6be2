"""Who may open the class list of a group, built from the building blocks of ``core.access``:

- guardian: the current groups of their children (``guardian_group_ids``: not where the school keeps
  the guardian from class pages), where the class list module is open at that school;
- teacher: the groups they teach this school year;
- administration, director, board admin: every current group of their schools.

Staff see the full list (every guardian's contact details) and may print it; guardians see what
each family chose to share, and never what a separated guardian keeps from them. For staff the
pages also check that the module is switched on (``require_module``)."""

from __future__ import annotations

import datetime

from django.db.models import Q

from schoolpoort.core.access import (
    NOTHING,
    guardian_group_ids,
    managed_school_ids,
    open_module_school_ids,
    roles_of,
    taught_group_ids,
)

MODULE = "classlist"


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def staff_group_q(user, today: datetime.date | None = None) -> Q:
    """Groups whose full list the user sees: taught by them, or in a school they administer."""
    if not _signed_in(user):
        return NOTHING
    return Q(pk__in=taught_group_ids(user, today)) | Q(school_id__in=managed_school_ids(user))


def guardian_group_q(user, today: datetime.date | None = None) -> Q:
    if not _signed_in(user):
        return NOTHING
    return Q(pk__in=guardian_group_ids(user, today), school_id__in=open_module_school_ids(MODULE, today))


def class_group_q(user, today: datetime.date | None = None) -> Q:
    return guardian_group_q(user, today) | staff_group_q(user, today)


def class_groups_visible_to(user, today: datetime.date | None = None):
    """Current groups whose class list ``user`` may open (one query)."""
    from schoolpoort.core.models import Group

    return Group.objects.current(today).filter(class_group_q(user, today))


def sees_full_list(user, group) -> bool:
    """Teachers of the group and the school's administration, director and board admins."""
    roles = roles_of(user)
    if roles.administers(group.school):
        return True
    return any(teacher.pk == user.pk for teacher in group.teachers.all())
