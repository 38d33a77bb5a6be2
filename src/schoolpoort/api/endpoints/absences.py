"""Absences: the caller's list (a parent: their children's; staff and a school's system: what the
account sees at the school) since a moment or on a day, and a parent's report, through the same
form rules and action as the report page (absences.forms, absences.actions)."""

from __future__ import annotations

import datetime
from typing import Literal

from django.conf import settings
from django.http import Http404
from ninja import Router, Schema, Status

from schoolpoort.absences import actions
from schoolpoort.absences.access import guardian_children
from schoolpoort.absences.forms import AbsenceForm
from schoolpoort.absences.models import Absence
from schoolpoort.core.access import get_visible_or_404
from schoolpoort.core.models import School, Student

from .. import cursors
from ..errors import ERRORS, FormInvalid
from ..moments import ClockTime, Moment, clock

router = Router(tags=["absences"])
PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


class AbsenceOut(Schema):
    id: int
    student_id: int
    student: str
    school_id: int
    reason: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    from_time: ClockTime | None
    until_time: ClockTime | None
    note: str
    source: str
    reported_at: datetime.datetime
    after_cutoff: bool
    confirmed: bool
    better_reported_at: datetime.datetime | None
    url: str


class AbsencePage(Schema):
    items: list[AbsenceOut]
    next_cursor: str | None


class AbsenceIn(Schema):
    student_id: int
    reason: Literal["sick", "doctor", "other"]
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    from_time: datetime.time | None = None
    until_time: datetime.time | None = None
    note: str = ""


def _out(absence: Absence) -> dict:
    return {
        "id": absence.pk, "student_id": absence.student_id, "student": absence.student.full_name,
        "school_id": absence.school_id, "reason": absence.reason, "starts_on": absence.starts_on,
        "ends_on": absence.ends_on, "from_time": clock(absence.from_time), "until_time": clock(absence.until_time),
        "note": absence.note, "source": absence.source, "reported_at": absence.created_at,
        "after_cutoff": absence.after_cutoff, "confirmed": absence.is_confirmed,
        "better_reported_at": absence.better_reported_at,
        "url": settings.SITE_URL + absence.get_absolute_url(),
    }


def parents_form_data(caller, payload) -> tuple:
    """What a parent's report or request is checked against, as on the page: the caller's own
    children (404 without any) and the payload as the page's form reads it (``student_id`` as
    ``student``, text values)."""
    children = list(guardian_children(caller.user))
    if not children:
        raise Http404
    students = Student.objects.filter(pk__in=[slot.student_id for slot in children]).select_related("school")
    data = {name: ("" if value is None else str(value)) for name, value in payload.dict().items()}
    data["student"] = data.pop("student_id")
    return students, data


def _page(absences, since, on, cursor, limit) -> dict:
    """Oldest report first, so that a system that writes them back can go on from its last cursor."""
    if since is not None:
        absences = absences.filter(created_at__gte=since)
    if on is not None:
        absences = absences.on(on)
    page, next_cursor = cursors.pk_page(absences.select_related("student"), cursor, limit, MAX_PAGE_SIZE)
    return {"items": [_out(a) for a in page], "next_cursor": next_cursor}


@router.get("/absences", response={200: AbsencePage, **ERRORS}, url_name="absences",
            summary="Absences the caller may see")
def absences(request, since: Moment | None = None, on: datetime.date | None = None,
             cursor: str | None = None, limit: int = PAGE_SIZE):
    """A parent: their children's absences. Staff: what they see on the absence pages. A token with
    ``absences:read``: the absences of its school. ``since``: reported at or after this moment;
    ``on``: absent on this day."""
    caller = request.auth
    caller.require("absences:read")
    found = Absence.objects.visible_to(caller.user)
    if caller.school_id is not None:
        found = found.filter(school_id=caller.school_id)
    return _page(found, since, on, cursor, limit)


@router.get("/schools/{school_id}/absences", response={200: AbsencePage, **ERRORS}, url_name="school_absences",
            summary="Absences at one school")
def school_absences(request, school_id: int, since: Moment | None = None,
                    on: datetime.date | None = None, cursor: str | None = None, limit: int = PAGE_SIZE):
    """As ``/absences``, at one school; a school the caller does not reach (or, with a token, any
    school but the token's) does not exist."""
    caller = request.auth
    caller.require("absences:read")
    if caller.school_id is not None and caller.school_id != school_id:
        raise Http404
    school = get_visible_or_404(School, caller.user, pk=school_id)
    return _page(Absence.objects.visible_to(caller.user).filter(school=school), since, on, cursor, limit)


@router.post("/absences", response={201: AbsenceOut, **ERRORS}, url_name="report_absence",
             summary="Report a child absent")
def report_absence(request, payload: AbsenceIn):
    """A parent reports their child sick (or absent for the doctor, or otherwise), as on the report
    page: the same checks, the same notifications to the school and the other guardian."""
    caller = request.auth
    caller.require_session()
    students, data = parents_form_data(caller, payload)
    for name in ("from_time", "until_time"):
        data[name] = data[name][:5]
    form = AbsenceForm(data, students=students)
    if not form.is_valid():
        raise FormInvalid(form)
    cleaned = form.cleaned_data
    absence = actions.report_absence(
        caller.user, cleaned["student"], reason=cleaned["reason"], starts_on=cleaned["starts_on"],
        ends_on=cleaned["ends_on"], from_time=cleaned["from_time"], until_time=cleaned["until_time"],
        note=cleaned["note"], source=Absence.Source.GUARDIAN,
    )
    return Status(201, _out(absence))
