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
from schoolpoort.core.hiding import hidden_guardians
from schoolpoort.core.models import Guardianship

from .access import is_office_for, is_staff_for
from .models import Contact, Invoice, MedicalInfo, Note, NoteCategory, NoteReaction, Part, StudentCard, SupportPlan


def card_of(user, student) -> StudentCard | None:
    """The pupil's personal data (address, phones, e-mail), decrypted by the field; None when none."""
    return StudentCard.objects.visible_to(user).filter(student=student).first()


def guardians_for(user, student) -> list:
    """The pupil's guardians as the card shows them: a guardian does not see a guardian hidden from
    them (``core.hiding``, e.g. an ex-partner); staff see all."""
    guardians = list(Guardianship.objects.filter(student=student).select_related("user").order_by("pk"))
    if not is_staff_for(user, student):
        guardians = hidden_guardians(user).visible(guardians)
    return guardians


def contacts_for(user, student) -> list:
    return list(Contact.objects.visible_to(user).filter(student=student))


def medical_of(user, student) -> MedicalInfo | None:
    """The pupil's medical details, decrypted by the fields; None when none."""
    return MedicalInfo.objects.visible_to(user).filter(student=student).first()


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
