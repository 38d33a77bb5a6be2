"""Sign-up answers for the school's systems (``signups:read``): the forms of a school, and the
answers to one form as its results page shows them (``signups.results``: a fixed number of queries
however many answers), for whoever manages the form there; anyone else gets 404."""

from __future__ import annotations

import datetime

from django.http import Http404
from ninja import Router, Schema

from schoolpoort.core.access import get_visible_or_404
from schoolpoort.signups.access import manages
from schoolpoort.signups.models import Form
from schoolpoort.signups.results import results

from .. import cursors
from ..errors import ERRORS
from ..moments import Moment
from ..schools import reached_school

router = Router(tags=["sign-ups"])
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class SchoolFormOut(Schema):
    id: int
    title: str
    per: str
    deadline: datetime.datetime
    published_at: datetime.datetime | None
    changed_at: datetime.datetime


class FormPage(Schema):
    items: list[SchoolFormOut]
    next_cursor: str | None


class SchoolQuestionOut(Schema):
    id: int
    text: str
    kind: str


class SchoolAnswerOut(Schema):
    question_id: int
    values: list[str]


class ResponseOut(Schema):
    id: int
    who_for: str
    student_ids: list[int]
    groups: str
    answered_by: str
    answered_at: datetime.datetime
    changed_at: datetime.datetime
    answers: list[SchoolAnswerOut]


class AnswersOut(Schema):
    form: SchoolFormOut
    questions: list[SchoolQuestionOut]
    responses: list[ResponseOut]
    answered: int
    waiting: int


def _form(form: Form) -> dict:
    return {"id": form.pk, "title": form.title, "per": form.per, "deadline": form.deadline,
            "published_at": form.published_at, "changed_at": form.updated_at}


@router.get("/schools/{school_id}/signups/forms", response={200: FormPage, **ERRORS}, url_name="school_signup_forms",
            summary="Sign-up forms at one school")
def signup_forms(request, school_id: int, cursor: str | None = None, limit: int = PAGE_SIZE):
    """The forms the caller sees at the school, newest first."""
    caller = request.auth
    caller.require("signups:read")
    school = reached_school(caller, school_id)
    found = Form.objects.visible_to(caller.user).filter(school=school)
    page, next_cursor = cursors.pk_page(found, cursor, limit, MAX_PAGE_SIZE, newest_first=True)
    return {"items": [_form(f) for f in page], "next_cursor": next_cursor}


@router.get("/schools/{school_id}/signups/forms/{form_id}/answers", response={200: AnswersOut, **ERRORS},
            url_name="signup_answers", summary="The answers to one sign-up form")
def signup_answers(request, school_id: int, form_id: int, since: Moment | None = None):
    """Every answer (or those given or changed at or after ``since``), with who has not answered
    yet counted; for those who manage the form (its results page), 404 for anyone else. A form has
    one school's families at most, so the answers come in one page."""
    caller = request.auth
    caller.require("signups:read")
    school = reached_school(caller, school_id)
    form = get_visible_or_404(Form.objects.filter(school=school).prefetch_related("groups"), caller.user, pk=form_id)
    if not manages(caller.user, form):
        raise Http404
    found = results(form)
    questions = [result.question for result in found.questions]
    responses = [
        {
            "id": row.response.pk, "who_for": row.who_for, "student_ids": row.student_ids, "groups": row.groups,
            "answered_by": row.by, "answered_at": row.response.created_at, "changed_at": row.response.updated_at,
            "answers": [{"question_id": q.pk, "values": row.answers[q.pk]} for q in questions if q.pk in row.answers],
        }
        for row in found.rows
        if since is None or row.response.updated_at >= since
    ]
    return {
        "form": _form(form),
        "questions": [{"id": q.pk, "text": q.text, "kind": q.kind} for q in questions],
        "responses": responses,
        "answered": len(found.state.answered),
        "waiting": len(found.state.waiting),
    }
