"""Who sees and who edits a group's timetable, from the building blocks of ``core.access``:

- guardian: the current groups of their children (``guardian_group_ids``: not where the school keeps
  the guardian from class pages);
- teacher: the groups they teach this school year, which they also edit;
- administration, director, board admin: every current group of their schools, which they edit too.

The timetable is not a module a school switches on: it is visible wherever the group is."""

from __future__ import annotations

import datetime

from django.db.models import Q

from schoolpoort.core.access import NOTHING, guardian_group_ids, managed_school_ids, taught_group_ids


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def editor_group_q(user, today: datetime.date | None = None) -> Q:
    """Groups whose timetable the user edits."""
    if not _signed_in(user):
        return NOTHING
    return Q(pk__in=taught_group_ids(user, today)) | Q(school_id__in=managed_school_ids(user))


def reader_group_q(user, today: datetime.date | None = None) -> Q:
    """Groups whose timetable the user sees."""
    if not _signed_in(user):
        return NOTHING
    return Q(pk__in=guardian_group_ids(user, today)) | editor_group_q(user, today)


def timetable_groups_visible_to(user, today: datetime.date | None = None):
    from schoolpoort.core.models import Group

    return Group.objects.current(today).filter(reader_group_q(user, today))


def timetable_groups_editable_by(user, today: datetime.date | None = None):
    from schoolpoort.core.models import Group

    return Group.objects.current(today).filter(editor_group_q(user, today))
