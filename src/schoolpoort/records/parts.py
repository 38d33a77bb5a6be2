"""What each part shows to whom. The visibility rules that go beyond "may open the part"
(``access.student_for_part_or_404``) live here, so pages, imports and the API agree:

- support plans: guardians see plans that start on or after the school's ``plans_visible_from``;
- notes: guardians see notes in categories open to them, dated on or after ``notes_visible_from``;
- staff see everything of the parts they may open. Teachers edit notes and plans of their own
  groups' pupils; the office (administration, director, board) edits every part."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from schoolpoort.core.audit import reads_of
from schoolpoort.core.models import AuditEntry

from .access import is_office_for, is_staff_for, settings_for
from .models import Invoice, Note, NoteCategory, NoteReaction, Part, SupportPlan


def plans_for(user, student) -> QuerySet:
    plans = SupportPlan.objects.filter(student=student).select_related("signed_by")
    if is_staff_for(user, student):
        return plans
    start = settings_for(student.school).plans_visible_from
    return plans.filter(starts_on__gte=start) if start else plans


def note_categories_for(user, student) -> QuerySet:
    categories = NoteCategory.objects.filter(school_id=student.school_id)
    if is_staff_for(user, student):
        return categories
    return categories.filter(open_to_guardians=True)


def notes_for(user, student) -> QuerySet:
    notes = (
        Note.objects.filter(student=student)
        .select_related("category", "author")
        .prefetch_related(Prefetch("reactions", NoteReaction.objects.select_related("author")))
    )
    if is_staff_for(user, student):
        return notes
    notes = notes.filter(category__open_to_guardians=True)
    start = settings_for(student.school).notes_visible_from
    return notes.filter(date__gte=start) if start else notes


def invoices_for(user, student) -> QuerySet:
    invoices = Invoice.objects.filter(student=student)
    if is_staff_for(user, student):
        return invoices
    return invoices.exclude(status=Invoice.Status.CANCELLED)


def may_edit(user, student, part: str) -> bool:
    """Office staff edit every part; a teacher of the pupil edits notes and plans."""
    if is_office_for(user, student):
        return True
    return part in (Part.NOTES, Part.PLANS) and is_staff_for(user, student)


def viewed_by(student, limit: int = 100) -> list[AuditEntry]:
    """Who at school read this child's data (records, results, class list, exports), newest first."""
    return reads_of(student.pk, limit)
