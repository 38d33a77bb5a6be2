"""Absences for parents' apps, beside the list and the report (endpoints/absences.py): a child is
better, and leave requests (the list, asking with the employer's statement, one request's status and
its statement), through the same access rule (``visible_to``), form rules and actions as the pages
(absences.actions, absences.forms)."""

from __future__ import annotations

import datetime
from typing import Literal

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status, UploadedFile

from schoolpoort.absences import actions
from schoolpoort.absences.forms import LeaveForm
from schoolpoort.absences.models import Absence, LeaveRequest
from schoolpoort.core.access import get_visible_or_404
from schoolpoort.core.files import send_file

from .. import cursors
from ..errors import ERRORS, Error, FormInvalid
from .absences import AbsenceOut, _out, parents_form_data

router = Router(tags=["absences"])
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
FILE_ANSWER = {"responses": {200: {"description": "The file", "content": {
    "*/*": {"schema": {"type": "string", "format": "binary"}}}}}}


class BetterIn(Schema):
    back: Literal["today", "tomorrow"] = "today"


@router.post("/absences/{absence_id}/better", response={200: AbsenceOut, 409: Error, **ERRORS},
             url_name="absence_better", summary="Report a child better")
def absence_better(request, absence_id: int, payload: BetterIn):
    """As the button on the absence page: the child is back at school today (the sickness ended
    yesterday) or tomorrow. Only an open sickness (else 409); the school is told."""
    caller = request.auth
    caller.require_session()
    absence = get_visible_or_404(Absence.objects.select_related("student__school"), caller.user, pk=absence_id)
    if not actions.report_better(absence, caller.user, back_today=payload.back == "today"):
        return Status(409, {"detail": _("This absence is not open: it has an end already.")})
    return _out(absence)


class LeaveOut(Schema):
    id: int
    student_id: int
    student: str
    school_id: int
    kind: str
    circumstance: str
    starts_on: datetime.date
    ends_on: datetime.date
    school_days: int
    reason: str
    status: str
    status_label: str
    decision_reason: str
    decided_at: datetime.datetime | None
    withdrawn_at: datetime.datetime | None
    asked_at: datetime.datetime
    asked_by_me: bool
    statement_name: str | None
    statement_url: str | None
    url: str


class LeavePage(Schema):
    items: list[LeaveOut]
    next_cursor: str | None


def _leave(leave: LeaveRequest, user) -> dict:
    # Who asked is not named: an ex-partner hidden from the other guardian (core.hiding) stays hidden.
    return {
        "id": leave.pk, "student_id": leave.student_id, "student": leave.student.full_name,
        "school_id": leave.school_id, "kind": leave.kind, "circumstance": leave.circumstance,
        "starts_on": leave.starts_on, "ends_on": leave.ends_on, "school_days": leave.school_days,
        "reason": leave.reason, "status": leave.status, "status_label": leave.get_status_display(),
        "decision_reason": leave.decision_reason, "decided_at": leave.decided_at,
        "withdrawn_at": leave.withdrawn_at, "asked_at": leave.created_at,
        "asked_by_me": leave.requested_by_id == user.pk,
        "statement_name": (leave.statement_name or None) if leave.statement else None,
        "statement_url": (settings.SITE_URL + reverse("api:leave_statement", args=[leave.pk]))
        if leave.statement else None,
        "url": settings.SITE_URL + leave.get_absolute_url(),
    }


def _visible_leave(caller):
    found = LeaveRequest.objects.visible_to(caller.user).select_related("student")
    if caller.school_id is not None:
        found = found.filter(school_id=caller.school_id)
    return found


@router.get("/leave-requests", response={200: LeavePage, **ERRORS}, url_name="leave_requests",
            summary="Leave requests the caller may see")
def leave_requests(request, cursor: str | None = None, limit: int = PAGE_SIZE):
    """A parent: their children's requests; a school's director or administration: the school's
    (a token needs ``absences:read``). Newest first."""
    caller = request.auth
    caller.require("absences:read")
    found = _visible_leave(caller)
    page, next_cursor = cursors.pk_page(found, cursor, limit, MAX_PAGE_SIZE, newest_first=True)
    return {"items": [_leave(leave, caller.user) for leave in page], "next_cursor": next_cursor}


@router.get("/leave-requests/{leave_id}", response={200: LeaveOut, **ERRORS}, url_name="leave_request",
            summary="One leave request and its status")
def leave_request(request, leave_id: int):
    caller = request.auth
    caller.require("absences:read")
    return _leave(get_visible_or_404(_visible_leave(caller), caller.user, pk=leave_id), caller.user)


@router.get("/leave-requests/{leave_id}/statement", response={200: None, **ERRORS}, url_name="leave_statement",
            summary="The employer's statement of a leave request", openapi_extra=FILE_ANSWER)
def leave_statement(request, leave_id: int):
    """As on the leave page: for whoever may see the request, always as a download."""
    caller = request.auth
    caller.require("absences:read")
    leave = get_visible_or_404(_visible_leave(caller), caller.user, pk=leave_id)
    return send_file(request, leave.statement, filename=leave.statement_name or None,
                     content_type=leave.statement_type or None)


class LeaveIn(Schema):
    student_id: int
    kind: Literal[tuple(LeaveRequest.Kind.values)]  # type: ignore[valid-type]
    circumstance: str = ""
    starts_on: datetime.date
    ends_on: datetime.date
    reason: str


@router.post("/leave-requests", response={201: LeaveOut, **ERRORS}, url_name="ask_leave",
             summary="Ask for leave")
def ask_leave(request, payload: Form[LeaveIn], statement: File[UploadedFile] = None):
    """A parent asks the director for leave for their child (multipart/form-data, as the leave page):
    the same rules (holiday leave needs the employer's statement: a PDF, JPG or PNG checked as every
    upload), the same message to the director. A rule broken or a file refused answers 422 with why."""
    caller = request.auth
    caller.require_session()
    students, data = parents_form_data(caller, payload)
    form = LeaveForm(data, {"statement": statement} if statement is not None else {}, students=students,
                     user=caller.user)
    if not form.is_valid():
        raise FormInvalid(form)
    return Status(201, _leave(form.request_leave(), caller.user))
