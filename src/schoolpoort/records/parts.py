"""What each part shows to whom, for the pages. Which rows a user sees is the managers' rule
(``rules.py``: ``SupportPlan.objects.visible_to(user)`` and so on), which also holds what guardians
see beyond opening the part:

- support plans: guardians see plans that start on or after the school's ``plans_visible_from``;
- notes: guardians see notes in categories open to them, dated on or after ``notes_visible_from``;
- invoices: guardians never see cancelled ones;
- staff see everything of the parts they may open. Teachers edit notes and plans of their own
  groups' pupils; the office (administration, director, board) edits every part."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from schoolpoort.core.audit import reads_of

from .access import is_office_for, is_staff_for
from .models import Invoice, Note, NoteCategory, NoteReaction, Part, SupportPlan


def plans_for(user, student) -> QuerySet:
    return SupportPlan.objects.visible_to(user).filter(student=student).select_related("signed_by")


def note_categories_for(user, student) -> QuerySet:
    categories = NoteCategory.objects.filter(school_id=student.school_id)
    if is_staff_for(user, student):
        return categories
    return categories.filter(open_to_guardians=True)


def notes_for(user, student) -> QuerySet:
    return (
        Note.objects.visible_to(user)
        .filter(student=student)
        .select_related("category", "author")
        .prefetch_related(Prefetch("reactions", NoteReaction.objects.select_related("author")))
    )


def invoices_for(user, student) -> QuerySet:
    return Invoice.objects.visible_to(user).filter(student=student)


def may_edit(user, student, part: str) -> bool:
    """Office staff edit every part; a teacher of the pupil edits notes and plans."""
    if is_office_for(user, student):
        return True
    return part in (Part.NOTES, Part.PLANS) and is_staff_for(user, student)


def viewed_by(student):
    """Who at school read this child's data (records, results, class list, exports), newest first:
    a queryset to page through."""
    return reads_of(student.pk)
