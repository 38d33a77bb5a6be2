"""The family export (``lib.family_export``): the records of the user's children as the records
pages show them to the user as a guardian — every part through its manager
(``Model.objects.visible_to``), limited to the children whose part the user may open as a
guardian (``rules.guardian_rows_q``), so a guardian without parental authority gets only the parts
the school opened to them. With it, who at school viewed each child's data (``core.audit``), for
the children whose records the user may open, as on the records' "viewed" page; and the user's own
correction requests."""

from __future__ import annotations

import json

from django.utils import timezone

from schoolpoort.core.audit import label_parts
from schoolpoort.core.models import Student
from schoolpoort.lib.family_export import Section, person, row

from . import corrections, parts, rules
from .models import Contact, Invoice, MedicalInfo, Note, Part, StudentCard, SupportPlan

PARTS = [
    (StudentCard, "card", ["street", "postal_code", "city", "phone", "mobile", "email", "updated_at"]),
    (Contact, "contacts", ["name", "relation", "phone", "is_emergency"]),
    (MedicalInfo, "medical", ["allergies", "medication", "diet", "doctor", "dentist", "notes", "updated_at"]),
    (Invoice, "invoices", ["description", "amount", "amount_paid", "status", "due_on", "paid_on", "reference"]),
    (SupportPlan, "support_plans", ["title", "starts_on", "ends_on", "goals", "evaluation", "signed_at"]),
]


def guardian_rows(model, user, today, part: str | None = None):
    """The rows of a part the user sees as a guardian: the manager's rule, for their children."""
    part = part or model.PART
    return model.objects.visible_to(user, today).filter(rules.guardian_rows_q(user, part, today))


def export_for(user) -> Section | None:
    today = timezone.localdate()
    children = list(
        Student.objects.filter(rules.guardian_part_q(user, Part.CARD, today)).order_by("first_name", "pk")
    )
    if not children:
        return None
    by_child: dict[int, dict] = {child.pk: {"child": child.full_name} for child in children}
    for model, key, fields in PARTS:
        for item in guardian_rows(model, user, today).order_by("pk"):
            if item.student_id in by_child:
                by_child[item.student_id].setdefault(key, []).append(row(item, fields))
    notes = guardian_rows(Note, user, today).select_related("category", "author").prefetch_related("reactions")
    for note in notes:
        if note.student_id in by_child:
            by_child[note.student_id].setdefault("notes", []).append({
                "category": note.category.name,
                **row(note, ["date", "text"]),
                "author": person(note.author),
                "reactions": [
                    {"by": "you" if reaction.author_id == user.pk else "", "text": reaction.text,
                     "at": reaction.created_at}
                    for reaction in note.reactions.all()
                    if reaction.author_id == user.pk
                ],
            })
    for child in children:
        requests = corrections.requests_of_guardian(user, child).order_by("created_at", "pk")
        by_child[child.pk]["correction_requests"] = [
            {**row(request, ["subject", "comment", "created_at", "status", "reason", "handled_at"]),
             "changes": json.loads(request.changes or "{}")}
            for request in requests
        ]
        by_child[child.pk]["viewed_by_school"] = [
            {"at": entry.created_at, "who": person(entry.actor), "what": entry.part_label}
            for entry in label_parts(parts.viewed_by(child))
        ]
    return Section("records", {"children": list(by_child.values())})
