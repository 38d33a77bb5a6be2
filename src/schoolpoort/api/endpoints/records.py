"""A child's records and results for a parent's app: the children whose records the caller
opens (with the parts they may open); a child's personal data, family contacts, medical details,
invoices, support plans and notes, and the caller's correction requests (read through
``records.parts``, as the pages read them: decrypted by the fields, hidden guardians left out,
cancelled invoices and closed note categories not for guardians); and a child's report cards,
method tests and standardised tests where the school opened them to parents. The same rule as the
records pages (``records.access.student_for_part_or_404``: relation, module, part, closed period,
parental authority; the rows through ``visible_to``), never cached, and staff reading a part is
audited as on the pages (``core.audit``)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.decorators import decorate_view

from schoolpoort.core.audit import audits_reads
from schoolpoort.records import corrections, parts
from schoolpoort.records.access import (
    is_staff_for,
    no_store,
    note_staff_read,
    opened_parts,
    settings_for,
    student_for_part_or_404,
    students_with_parts,
)
from schoolpoort.records.forms import CorrectionForm
from schoolpoort.records.models import CorrectionRequest, Part
from schoolpoort.records.results import reading

from .. import cursors
from ..errors import ERRORS, FormInvalid

router = Router(tags=["records"])
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class RecordsChildOut(Schema):
    id: int
    name: str
    school_id: int
    parts: list[str]


class ChildPage(Schema):
    items: list[RecordsChildOut]
    next_cursor: str | None


class LineOut(Schema):
    subject: str
    grade: str
    text: str


class ReportCardOut(Schema):
    id: int
    period: str
    school_year: str
    released_on: datetime.date
    remark: str
    lines: list[LineOut]
    file_url: str | None


class MethodTestOut(Schema):
    id: int
    subject: str
    method: str
    block: str
    taken_on: datetime.date
    score_kind: str
    score: Decimal
    norm: Decimal | None
    passed: bool | None
    remark: str


class StandardisedTestOut(Schema):
    id: int
    test: str
    moment: str
    school_year: str
    taken_on: datetime.date
    ability_score: Decimal | None
    level: str


@router.get("/records/children", response={200: ChildPage, **ERRORS}, url_name="record_children",
            summary="The children whose records the caller opens")
@decorate_view(no_store)
def record_children(request, cursor: str | None = None, limit: int = PAGE_SIZE):
    """Each with the parts of the records the caller may open today (``card``, ``report_cards``,
    ``method_tests``, ``standardised_tests``, …)."""
    request.auth.require_session()
    user, today = request.auth.user, timezone.localdate()
    students = students_with_parts(user, today).order_by("pk")
    if (after := cursors.decode(cursor, 1)) is not None:
        if not isinstance(after[0], int):
            raise cursors.invalid()
        students = students.filter(pk__gt=after[0])
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    rows = list(students[: limit + 1])
    page, more = rows[:limit], len(rows) > limit
    return {
        "items": [{"id": s.pk, "name": s.full_name, "school_id": s.school_id, "parts": opened_parts(s, user, today)}
                  for s in page],
        "next_cursor": cursors.encode([page[-1].pk]) if more else None,
    }


def _student(request, student_id: int, part: str):
    student = student_for_part_or_404(request.auth.user, student_id, part)
    note_staff_read(request, student, part)
    return student


@router.get("/records/children/{student_id}/report-cards", response={200: list[ReportCardOut], **ERRORS},
            url_name="report_cards", summary="A child's report cards")
@decorate_view(no_store, audits_reads)
def report_cards(request, student_id: int):
    """From each period's release day; ``file_url`` is the page's own download address of the PDF."""
    request.auth.require_session()
    today = timezone.localdate()
    student = _student(request, student_id, Part.REPORT_CARDS)
    return [
        {"id": card.pk, "period": card.period.name, "school_year": card.period.school_year.name,
         "released_on": card.period.released_on, "remark": card.remark,
         "lines": [{"subject": line.subject, "grade": line.grade, "text": line.text} for line in card.lines.all()],
         "file_url": settings.SITE_URL + reverse("results:report_card_file", args=[card.pk]) if card.file else None}
        for card in reading.report_cards_of(request.auth.user, student, today)
    ]


@router.get("/records/children/{student_id}/method-tests", response={200: list[MethodTestOut], **ERRORS},
            url_name="method_tests", summary="A child's method tests")
@decorate_view(no_store, audits_reads)
def method_tests(request, student_id: int):
    request.auth.require_session()
    student = _student(request, student_id, Part.METHOD_TESTS)
    return [
        {"id": t.pk, "subject": t.subject, "method": t.method, "block": t.block, "taken_on": t.taken_on,
         "score_kind": t.score_kind, "score": t.score, "norm": t.norm, "passed": t.passed, "remark": t.remark}
        for t in reading.method_tests_of(request.auth.user, student)
    ]


@router.get("/records/children/{student_id}/standardised-tests",
            response={200: list[StandardisedTestOut], **ERRORS}, url_name="standardised_tests",
            summary="A child's standardised tests")
@decorate_view(no_store, audits_reads)
def standardised_tests(request, student_id: int):
    request.auth.require_session()
    student = _student(request, student_id, Part.STANDARDISED_TESTS)
    return [
        {"id": t.pk, "test": t.test, "moment": t.moment, "school_year": t.school_year.name, "taken_on": t.taken_on,
         "ability_score": t.ability_score, "level": t.level}
        for t in reading.standardised_tests_of(request.auth.user, student)
    ]


class CardGuardianOut(Schema):
    name: str
    relation: str
    has_parental_authority: bool
    phone: str


class CardOut(Schema):
    name: str
    date_of_birth: datetime.date | None
    street: str
    postal_code: str
    city: str
    phone: str
    mobile: str
    email: str
    guardians: list[CardGuardianOut]


class ContactOut(Schema):
    id: int
    name: str
    relation: str
    phone: str
    is_emergency: bool


class MedicalOut(Schema):
    allergies: str
    medication: str
    diet: str
    doctor: str
    dentist: str
    notes: str


class InvoiceOut(Schema):
    id: int
    description: str
    amount: Decimal
    amount_paid: Decimal
    outstanding: Decimal
    status: str
    due_on: datetime.date | None
    paid_on: datetime.date | None
    reference: str


class InvoicesOut(Schema):
    items: list[InvoiceOut]
    open_total: Decimal
    how_to_pay: str


class PlanOut(Schema):
    id: int
    title: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    goals: str
    evaluation: str
    signed_by: str | None
    signed_at: datetime.datetime | None


class ReactionOut(Schema):
    author: str
    text: str
    created_at: datetime.datetime


class NoteOut(Schema):
    id: int
    category_id: int
    category: str
    date: datetime.date
    text: str
    author: str
    reactions: list[ReactionOut]


class NotePage(Schema):
    items: list[NoteOut]
    next_cursor: str | None


def _name(user) -> str:
    return user.full_name if user else ""


@router.get("/records/children/{student_id}/card", response={200: CardOut, **ERRORS}, url_name="record_card",
            summary="A child's personal data")
@decorate_view(no_store, audits_reads)
def card(request, student_id: int):
    """What the card page shows: address, phones, family e-mail (empty when the school has none)
    and the guardians, without a guardian hidden from the caller."""
    request.auth.require_session()
    user = request.auth.user
    student = _student(request, student_id, Part.CARD)
    record = parts.card_of(user, student)
    fields = ("street", "postal_code", "city", "phone", "mobile", "email")
    return {
        "name": student.full_name, "date_of_birth": student.date_of_birth,
        **{field: getattr(record, field, "") or "" for field in fields},
        "guardians": [{"name": g.display_name, "relation": g.relation, "phone": g.phone,
                       "has_parental_authority": g.has_parental_authority}
                      for g in parts.guardians_for(user, student)],
    }


@router.get("/records/children/{student_id}/family", response={200: list[ContactOut], **ERRORS},
            url_name="record_family", summary="A child's other contacts")
@decorate_view(no_store, audits_reads)
def family(request, student_id: int):
    request.auth.require_session()
    student = _student(request, student_id, Part.FAMILY)
    return [{"id": c.pk, "name": c.name, "relation": c.relation, "phone": c.phone, "is_emergency": c.is_emergency}
            for c in parts.contacts_for(request.auth.user, student)]


@router.get("/records/children/{student_id}/medical", response={200: MedicalOut, **ERRORS},
            url_name="record_medical", summary="A child's medical details")
@decorate_view(no_store, audits_reads)
def medical(request, student_id: int):
    """Every field empty when the school has none on record."""
    request.auth.require_session()
    student = _student(request, student_id, Part.MEDICAL)
    record = parts.medical_of(request.auth.user, student)
    return {field: getattr(record, field, "") or "" for field in MedicalOut.model_fields}


@router.get("/records/children/{student_id}/invoices", response={200: InvoicesOut, **ERRORS},
            url_name="record_invoices", summary="A child's invoices")
@decorate_view(no_store, audits_reads)
def invoices(request, student_id: int):
    """Newest due date first; a guardian never sees a cancelled one. ``how_to_pay`` is the school's text."""
    request.auth.require_session()
    student = _student(request, student_id, Part.INVOICES)
    rows = list(parts.invoices_for(request.auth.user, student))
    return {
        "items": [{"id": i.pk, "description": i.description, "amount": i.amount, "amount_paid": i.amount_paid,
                   "outstanding": i.outstanding, "status": i.status, "due_on": i.due_on, "paid_on": i.paid_on,
                   "reference": i.reference} for i in rows],
        "open_total": sum((i.outstanding for i in rows), Decimal(0)),
        "how_to_pay": settings_for(student.school).payment_instructions,
    }


@router.get("/records/children/{student_id}/plans", response={200: list[PlanOut], **ERRORS},
            url_name="record_plans", summary="A child's support plans")
@decorate_view(no_store, audits_reads)
def plans(request, student_id: int):
    """A guardian sees the plans from the school's chosen start date on."""
    request.auth.require_session()
    student = _student(request, student_id, Part.PLANS)
    return [{"id": p.pk, "title": p.title, "starts_on": p.starts_on, "ends_on": p.ends_on, "goals": p.goals,
             "evaluation": p.evaluation, "signed_by": _name(p.signed_by) if p.signed_by_id else None,
             "signed_at": p.signed_at}
            for p in parts.plans_for(request.auth.user, student)]


@router.get("/records/children/{student_id}/notes", response={200: NotePage, **ERRORS},
            url_name="record_notes", summary="A child's notes")
@decorate_view(no_store, audits_reads)
def notes(request, student_id: int, category: int | None = None, cursor: str | None = None,
          limit: int = PAGE_SIZE):
    """Newest written first (cursor); a guardian sees the categories open to parents, from the
    school's chosen date on, with the reactions."""
    request.auth.require_session()
    student = _student(request, student_id, Part.NOTES)
    rows = parts.notes_for(request.auth.user, student)
    if category is not None:
        rows = rows.filter(category_id=category)
    page, next_cursor = cursors.pk_page(rows, cursor, limit, MAX_PAGE_SIZE, newest_first=True)
    return {
        "items": [{"id": n.pk, "category_id": n.category_id, "category": n.category.name, "date": n.date,
                   "text": n.text, "author": _name(n.author),
                   "reactions": [{"author": _name(r.author), "text": r.text, "created_at": r.created_at}
                                 for r in n.reactions.all()]}
                  for n in page],
        "next_cursor": next_cursor,
    }


class ChangeOut(Schema):
    field: str
    label: str
    old: str
    new: str


class CorrectionOut(Schema):
    id: int
    subject: str
    status: str
    created_at: datetime.datetime
    due_on: datetime.date
    comment: str
    reason: str
    handled_at: datetime.datetime | None
    changes: list[ChangeOut]


class CorrectionIn(Schema):
    """The fields to change (the card's for ``card``, the medical ones for ``medical``); a field
    left out stays as it is."""

    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    phone: str | None = None
    mobile: str | None = None
    email: str | None = None
    allergies: str | None = None
    medication: str | None = None
    diet: str | None = None
    doctor: str | None = None
    dentist: str | None = None
    notes: str | None = None
    comment: str = ""


def _correction(row: CorrectionRequest) -> dict:
    return {"id": row.pk, "subject": row.subject, "status": row.status, "created_at": row.created_at,
            "due_on": row.due_on, "comment": row.comment, "reason": row.reason, "handled_at": row.handled_at,
            "changes": [{"field": f, "label": label, "old": old, "new": new}
                        for f, label, old, new in corrections.changes_of(row)]}


@router.get("/records/children/{student_id}/corrections", response={200: list[CorrectionOut], **ERRORS},
            url_name="record_corrections", summary="Correction requests about a child")
@decorate_view(no_store)
def correction_list(request, student_id: int):
    """As the page: a parent's own requests with their status (``received``, ``processed``,
    ``refused`` with the ``reason``), newest first, at most 50; staff see every request."""
    request.auth.require_session()
    user = request.auth.user
    student = student_for_part_or_404(user, student_id, Part.CARD)
    if is_staff_for(user, student):
        rows = CorrectionRequest.objects.filter(student=student)
    else:
        rows = corrections.requests_of_guardian(user, student)
    return [_correction(row) for row in rows[:50]]


@router.post("/records/children/{student_id}/corrections/{subject}", response={201: CorrectionOut, **ERRORS},
             url_name="record_correction_create", summary="Propose a correction")
def correction_create(request, student_id: int, subject: str, payload: CorrectionIn):
    """A parent proposes a change to the card or the medical details (``subject``: ``card`` or
    ``medical``), checked by the page's form; the administration handles it. Nothing changed, or a
    value the form refuses, answers 422; staff change the record itself (404)."""
    request.auth.require_session()
    user = request.auth.user
    if subject not in corrections.FIELDS:
        raise Http404
    part = Part.CARD if subject == CorrectionRequest.Subject.CARD else Part.MEDICAL
    student = student_for_part_or_404(user, student_id, part)
    if is_staff_for(user, student):
        raise Http404
    record = corrections.record_of(student, subject)
    given = payload.dict(exclude_unset=True)
    data = {field: given[field] if given.get(field) is not None else getattr(record, field) or ""
            for field in corrections.FIELDS[subject]}
    form = CorrectionForm(subject, record, {**data, "comment": payload.comment})
    if form.is_valid():
        try:
            row = corrections.propose(user, student, subject, form.cleaned_data, form.cleaned_data["comment"])
        except corrections.NothingChanged:
            form.add_error(None, _("You have not changed anything. Change the details that are wrong."))
        else:
            return Status(201, _correction(row))
    raise FormInvalid(form)
