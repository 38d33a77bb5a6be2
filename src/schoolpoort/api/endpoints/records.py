"""A child's records and results for a parent's app: the children whose records the caller
opens (with the parts they may open), and a child's report cards, method tests and standardised
tests where the school opened them to parents. The same rule as the records pages
(``records.access.student_for_part_or_404``: relation, module, part, closed period, parental
authority; the rows through ``visible_to``), never cached, and staff reading a part is audited as
on the pages (``core.audit``)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Schema
from ninja.decorators import decorate_view

from schoolpoort.core.audit import audits_reads
from schoolpoort.records.access import (
    no_store,
    note_staff_read,
    opened_parts,
    student_for_part_or_404,
    students_with_parts,
)
from schoolpoort.records.models import Part
from schoolpoort.records.results import reading

from .. import cursors
from ..errors import ERRORS

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
