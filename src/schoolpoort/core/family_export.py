"""The family export (``lib.family_export``): the guardian's children as the school holds them,
the guardian's own link to each child (never the other guardian's), and the image consent answers."""

from __future__ import annotations

from schoolpoort.lib.family_export import Section, row

from .consent_models import Consent
from .models import Enrollment, Guardianship


def export_for(user) -> Section | None:
    links = list(
        Guardianship.objects.filter(user=user).select_related("student__school").order_by("student__first_name", "pk")
    )
    if not links:
        return None
    student_ids = [link.student_id for link in links]
    groups: dict[int, list] = {}
    for enrollment in Enrollment.objects.filter(student_id__in=student_ids).select_related("group__school_year"):
        group = enrollment.group
        groups.setdefault(enrollment.student_id, []).append(
            {"group": group.name, "school_year": str(group.school_year)}
        )
    consents: dict[int, list] = {}
    for consent in Consent.objects.filter(student_id__in=student_ids).select_related("school_year"):
        consents.setdefault(consent.student_id, []).append({
            **row(consent, ["use", "given", "answered_at"]),
            "school_year": str(consent.school_year),
            "answered_by_you": consent.answered_by_id == user.pk,
        })
    children = []
    for link in links:
        student = link.student
        children.append({
            "name": student.full_name,
            "first_name": student.first_name,
            "infix": student.infix,
            "last_name": student.last_name,
            "date_of_birth": student.date_of_birth,
            "school": student.school.name,
            "left_school_at": student.archived_at,
            "groups": groups.get(student.pk, []),
            "you": row(link, [
                "relation", "first_name", "last_name", "email", "phone", "has_parental_authority",
                "sees_class_pages", "receives_mail", "hides_contact_from_other_guardians", "created_at",
            ]),
            "image_consent": consents.get(student.pk, []),
        })
    return Section("children", {"children": children})
