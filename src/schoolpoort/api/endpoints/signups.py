"""Sign-ups for a parent's app: the open forms, one form with its questions and places, the
caller's answers (per child or for the family), answering and withdrawing. The same forms
(``Form.objects.visible_to``), answers and checks as the form page (``signups.answering``: the
page's ``ResponseForm``) and the rush-proof ``signups.signing``: a full place answers 409 with the
nearest free places instead; an answer another parent saved meanwhile answers 409 too, never
overwritten unseen (send the ``response_id`` you saw as ``expected_response_id``)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from schoolpoort.signups import answering, signing
from schoolpoort.signups.audience import children_of
from schoolpoort.signups.forms import ResponseForm
from schoolpoort.signups.results import questions_of

from ..errors import ERRORS, Error, FormInvalid

router = Router(tags=["signups"])


class FormOut(Schema):
    id: int
    title: str
    school_id: int
    audience_label: str
    deadline: datetime.datetime
    per_child: bool
    is_open: bool
    url: str


class FormListItem(FormOut):
    answered: bool


class OptionOut(Schema):
    id: int
    label: str
    capacity: int | None
    free: int | None
    full: bool


class QuestionOut(Schema):
    id: int
    kind: str
    text: str
    required: bool
    many: bool
    options: list[OptionOut]


class FormDetail(FormOut):
    description: str
    questions: list[QuestionOut]


class AnswerOut(Schema):
    question_id: int
    option_ids: list[int]
    text: str


class SectionOut(Schema):
    student_id: int | None
    student: str | None
    response_id: int | None
    answered_by_me: bool
    answers: list[AnswerOut]


class AnswerIn(Schema):
    question_id: int
    option_ids: list[int] = []
    text: str = ""


class ResponseIn(Schema):
    student_id: int | None = None
    expected_response_id: int | None = None
    answers: list[AnswerIn]


class Refused(Error):
    code: str
    alternatives: list[OptionOut]


def _form(form) -> dict:
    return {
        "id": form.pk, "title": form.title, "school_id": form.school_id, "audience_label": form.audience_label,
        "deadline": form.deadline, "per_child": form.per_child, "is_open": form.is_open(),
        "url": settings.SITE_URL + form.get_absolute_url(),
    }


def _option(option) -> dict:
    return {"id": option.pk, "label": option.label, "capacity": option.capacity, "free": option.free,
            "full": option.is_full}


def _sections(form, user) -> list[dict]:
    children = children_of(user, form) if form.published else []
    responses = answering.responses_of(form, user, children)
    sections = []
    for key, child in answering.section_keys(form, children):
        response = responses.get(key)
        answers: dict[int, dict] = {}
        for answer in response.answers.all() if response else []:
            item = answers.setdefault(answer.question_id, {"question_id": answer.question_id, "option_ids": [],
                                                           "text": ""})
            if answer.option_id:
                item["option_ids"].append(answer.option_id)
            else:
                item["text"] = answer.text
        sections.append({
            "student_id": child.pk if child else None, "student": child.full_name if child else None,
            "response_id": response.pk if response else None,
            "answered_by_me": bool(response and response.responded_by_id == user.pk),
            "answers": list(answers.values()),
        })
    return sections


@router.get("/signups", response={200: list[FormListItem], **ERRORS}, url_name="signup_forms",
            summary="The open sign-up forms the caller sees")
def signup_forms(request):
    """Published and before the deadline, the nearest deadline first."""
    request.auth.require_session()
    user = request.auth.user
    answering.usable_schools_or_404(user)
    forms = answering.visible_forms(user).filter(published_at__isnull=False, deadline__gt=timezone.now())
    return [{**_form(form), "answered": form.answered} for form in forms.order_by("deadline", "pk")]


@router.get("/signups/{form_id}", response={200: FormDetail, **ERRORS}, url_name="signup_form",
            summary="One sign-up form with its questions and places")
def signup_form(request, form_id: int):
    request.auth.require_session()
    form = answering.form_or_404(request.auth.user, form_id)
    return {
        **_form(form), "description": form.description,
        "questions": [
            {"id": q.pk, "kind": q.kind, "text": q.text, "required": q.required, "many": q.many,
             "options": [_option(o) for o in q.options.all()] if q.has_options else []}
            for q in questions_of(form)
        ],
    }


@router.get("/signups/{form_id}/answers", response={200: list[SectionOut], **ERRORS}, url_name="signup_answers",
            summary="The caller's answers: per child, or the family's")
def signup_answers(request, form_id: int):
    """An answer another parent of the child gave shows too (the answer is the child's or the
    family's); who gave it is only ``answered_by_me``."""
    request.auth.require_session()
    user = request.auth.user
    form = answering.form_or_404(user, form_id)
    if not children_of(user, form) or not form.published:
        raise Http404
    return _sections(form, user)


def _data(key: str, questions, payload: ResponseIn) -> QueryDict:
    """The answer as the page's form posts it, for the page's ``ResponseForm``."""
    data = QueryDict(mutable=True)
    by_id = {question.pk: question for question in questions}
    for answer in payload.answers:
        question = by_id.get(answer.question_id)
        if question is None:
            continue
        name = f"{key}-{ResponseForm.field_name(question)}"
        if question.has_options:
            data.setlist(name, [str(pk) for pk in answer.option_ids])
        else:
            data[name] = answer.text
    return data


def _refused(refused: signing.SignupError):
    """A full place or an answer saved meanwhile: 409 (with the nearest free places); else 422."""
    if isinstance(refused, signing.OptionFull | signing.AnsweredMeanwhile):
        alternatives = refused.alternatives if isinstance(refused, signing.OptionFull) else []
        return Status(409, {"detail": refused.message, "code": refused.code,
                            "alternatives": [_option(o) for o in alternatives]})
    return Status(422, {"detail": [{"loc": ["body"], "msg": refused.message, "type": refused.code}]})


@router.post("/signups/{form_id}/answers", response={201: SectionOut, 409: Refused, **ERRORS},
             url_name="signup_answer", summary="Sign up, or change the answer")
def signup_answer(request, form_id: int, payload: ResponseIn):
    """For one child (per-child forms: ``student_id``) or the family, checked as on the form page.
    Mistakes answer 422 at their question (``loc``: ``["body", "q<question id>"]``); a full place
    or an answer saved meanwhile 409; a form past its deadline 422."""
    request.auth.require_session()
    user = request.auth.user
    form = answering.form_or_404(user, form_id)
    key, child = answering.section_of(user, form, payload.student_id)
    response = answering.responses_of(form, user, [child] if child else children_of(user, form)).get(key)
    questions = questions_of(form)
    bound = answering.response_form(questions, response, key, _data(key, questions, payload))
    if not form.is_open():
        return _refused(signing.SignupClosed(_("The deadline has passed: answers can no longer be changed.")))
    if not bound.is_valid():
        raise FormInvalid(bound)
    try:
        signing.submit(form, user, bound.choices(), student=child, expected_response_id=payload.expected_response_id)
    except signing.SignupError as refused:
        return _refused(refused)
    section = next(s for s in _sections(form, user) if s["student_id"] == (child.pk if child else None))
    return Status(201, section)


@router.delete("/signups/{form_id}/answers/{response_id}", response={204: None, **ERRORS},
               url_name="signup_withdraw", summary="Withdraw an answer")
def signup_withdraw(request, form_id: int, response_id: int):
    """Until the deadline, as on the form page: its places come free."""
    request.auth.require_session()
    user = request.auth.user
    form = answering.form_or_404(user, form_id)
    children = children_of(user, form) if form.published else []
    response = next((r for r in answering.responses_of(form, user, children).values() if r.pk == response_id), None)
    if response is None:
        raise Http404
    try:
        signing.withdraw(response, user)
    except signing.SignupError as refused:
        return _refused(refused)
    return Status(204, None)
