"""Who is told about a new document: the guardian accounts that see the shelf, no one else.

- a school shelf: the guardians of the pupils of the school;
- a group shelf: the guardians of the pupils in its groups this school year, where the school lets
  them see class pages;
- a named shelf (a letter for one family): exactly the named guardians, not the other guardian
  of the child unless they are named too;
always only registered, active accounts of pupils who have not left, and only where documents is
open to parents at the school (switched on and not closed today). These are exactly the guardians
for whom ``Shelf.objects.visible_to`` holds the shelf as a guardian. Staff are not notified."""

from __future__ import annotations

from django.db.models import QuerySet

from schoolpoort.core.access import open_module_school_ids
from schoolpoort.core.models import Enrollment, Group, Guardianship

from .access import MODULE
from .models import Shelf


def guardian_slots(shelf: Shelf) -> QuerySet[Guardianship]:
    """The guardian links through which the shelf reaches a parent."""
    slots = Guardianship.objects.filter(
        user__isnull=False,
        user__is_active=True,
        student__archived_at__isnull=True,
        student__school_id=shelf.school_id,
        student__school_id__in=open_module_school_ids(MODULE),
    )
    if shelf.audience == Shelf.Audience.GROUPS:
        enrollments = Enrollment.objects.filter(
            group_id__in=shelf.groups.through.objects.filter(shelf=shelf).values("group_id"),
            group__in=Group.objects.current(),
        )
        return slots.filter(sees_class_pages=True, student_id__in=enrollments.values("student_id"))
    if shelf.audience == Shelf.Audience.GUARDIANS:
        return slots.filter(pk__in=shelf.guardianships.through.objects.filter(shelf=shelf).values("guardianship_id"))
    return slots


def recipients(shelf: Shelf) -> list[int]:
    """The ids of the guardian accounts the shelf is for, each once, in one query."""
    return sorted(set(guardian_slots(shelf).values_list("user_id", flat=True)))
