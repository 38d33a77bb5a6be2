"""The sign-up pages parents use: the list of forms and square posts, one form with the answer of
each child or of the family, signing up, changing and withdrawing. Every form is fetched through
``Form.objects.visible_to`` (a form the user may not see is a 404)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from schoolpoort.core.hiding import hidden_guardians
from schoolpoort.core.models import Student
from schoolpoort.notify.api import mark_read, mark_read_under

from . import answering, signing
from .access import manages
from .audience import children_of
from .forms import CapacityForm, ResponseForm
from .models import Form, Question, Response, SquarePost
from .results import questions_of
from .scope import targets_for

CLOSED_SHOWN = 10
SQUARE_SHOWN = 20


def form_or_404(request, form_id: int) -> Form:
    return answering.request_form_or_404(request, form_id)


@login_required
def index(request):
    user = request.user
    schools = answering.usable_schools_or_404(user)
    now = timezone.now()
    forms = answering.visible_forms(user)
    open_forms = list(forms.filter(published_at__isnull=False, deadline__gt=now).order_by("deadline", "pk"))
    closed_forms = list(forms.filter(published_at__isnull=False, deadline__lte=now).order_by("-deadline", "-pk")[
        :CLOSED_SHOWN
    ])
    drafts = list(forms.filter(published_at__isnull=True).order_by("deadline", "pk"))
    shown = Q(reactions__removed_at__isnull=True)
    posts = list(
        SquarePost.objects.visible_to(user)
        .select_related("school", "author")
        .prefetch_related("groups")
        .annotate(
            reaction_count=Count("reactions", filter=shown & Q(reactions__option__isnull=True)),
            vote_count=Count("reactions", filter=shown & Q(reactions__option__isnull=False)),
        )
        .order_by("-created_at", "-pk")[:SQUARE_SHOWN]
    )
    return render(
        request,
        "signups/index.html",
        {
            "open_forms": open_forms,
            "closed_forms": closed_forms,
            "drafts": drafts,
            "posts": posts,
            "can_create": bool(targets_for(user, schools)),
            "several_schools": len({form.school_id for form in [*open_forms, *closed_forms, *drafts]}) > 1,
        },
    )


@dataclass
class Section:
    """One answer on the form page: for one child (per-child forms) or for the family."""

    key: str  # "child12" or "family": the prefix of its fields and the id of its place on the page
    student: Student | None
    response: Response | None
    form: ResponseForm | None  # None when the form is closed
    error: str = ""
    questions: tuple = ()
    by_hidden: bool = False  # answered by a guardian who hides from the viewer: not named (``core.hiding``)

    @property
    def answers(self) -> list[tuple[Question, list[str]]]:
        """The saved answer per question, for reading."""
        if self.response is None:
            return []
        by_question: dict[int, list[str]] = {}
        for answer in self.response.answers.all():
            by_question.setdefault(answer.question_id, []).append(
                answer.option.label if answer.option_id else answer.text
            )
        return [(q, by_question[q.pk]) for q in self.questions if q.pk in by_question]


_responses = answering.responses_of
_response_form = answering.response_form


def _sections(form: Form, user, questions, children, bound: dict | None = None) -> list[Section]:
    """The page's answers; ``bound`` replaces one section's form (after a failed save)."""
    if not children:
        return []
    responses = _responses(form, user, children)
    others = {r.responded_by_id for r in responses.values() if r.responded_by_id not in (None, user.pk)}
    hidden = hidden_guardians(user).user_ids & others if others else set()
    keys = answering.section_keys(form, children)
    is_open = form.is_open()
    sections = []
    for key, child in keys:
        response = responses.get(key)
        section = Section(key, child, response, _response_form(questions, response, key) if is_open else None)
        if bound and bound["key"] == key:
            section.error = bound["error"]
            if is_open:
                section.form = bound["form"]
        section.questions = tuple(questions)
        section.by_hidden = response is not None and response.responded_by_id in hidden
        sections.append(section)
    return sections


def _page(request, form: Form, *, bound=None, status=200, questions=None):
    """``questions``: the form's questions with their places when the caller read them already."""
    user = request.user
    questions = questions_of(form) if questions is None else questions
    children = children_of(user, form) if form.published else []
    is_manager = manages(user, form)
    has_responses = is_manager and form.responses.exists()
    if has_responses:
        for question in questions:
            for option in question.options.all():
                if option.capacity is not None:
                    option.capacity_form = CapacityForm(initial={"capacity": option.capacity}, prefix=f"o{option.pk}")
    return render(
        request,
        "signups/form.html",
        {
            "form": form,
            "questions": questions,
            "sections": _sections(form, user, questions, children, bound),
            "is_open": form.is_open(),
            "is_manager": is_manager,
            "has_responses": has_responses,
        },
        status=status,
    )


def mark_read_reminders(user, key: str) -> None:
    """Reminders have keys of their own ("<key>:reminder:<time>")."""
    mark_read_under(user, f"{key}:")


@login_required
def detail(request, form_id: int):
    form = form_or_404(request, form_id)
    if form.published:
        mark_read(request.user, form.notification_key)
        mark_read_reminders(request.user, form.notification_key)
    return _page(request, form)


def _section_of(request, form: Form, children: list[Student]) -> tuple[str, Student | None]:
    """The child (per-child forms) or family the posted answer is for; 404 when it is not the user's."""
    return answering.section_of(request.user, form, request.POST.get("student", ""), children)


def _expected(request) -> int | None:
    value = request.POST.get("response", "")
    return int(value) if value.isdigit() else None


@login_required
@require_POST
def respond(request, form_id: int):
    form = form_or_404(request, form_id)
    user = request.user
    children = children_of(user, form) if form.published else []
    key, child = _section_of(request, form, children)
    response = _responses(form, user, [child] if child else children).get(key)
    questions = questions_of(form)
    bound = _response_form(questions, response, key, request.POST)
    error = ""
    if not form.is_open():
        error = _("The deadline has passed: answers can no longer be changed.")
    elif bound.is_valid():
        try:
            signing.submit(form, user, bound.choices(), student=child, expected_response_id=_expected(request))
        except signing.AnsweredMeanwhile as refused:
            messages.warning(request, refused.message)
            return redirect(f"{form.get_absolute_url()}#{key}")
        except signing.SignupError as refused:
            error = refused.message
            # Places have changed: show them as they are now (read after the refusal), with what
            # the parent chose.
            questions = questions_of(form)
            bound = _response_form(questions, response, key, request.POST)
            bound.is_valid()
        else:
            messages.success(
                request,
                _("Thank you, your answer has been saved. You can change it until the deadline.")
                if response is None
                else _("Your answer has been changed."),
            )
            return redirect(f"{form.get_absolute_url()}#{key}")
    else:
        error = _("Your answer has not been saved yet. Please correct what is marked below.")
    return _page(request, form, bound={"key": key, "form": bound, "error": error}, status=200, questions=questions)


@login_required
@require_http_methods(["POST"])
def withdraw(request, form_id: int):
    form = form_or_404(request, form_id)
    user = request.user
    children = children_of(user, form) if form.published else []
    key, child = _section_of(request, form, children)
    response = _responses(form, user, [child] if child else children).get(key)
    if response is None or response.pk != _expected(request):
        messages.warning(request, _("This answer has changed meanwhile. Please look again."))
        return redirect(f"{form.get_absolute_url()}#{key}")
    try:
        signing.withdraw(response, user)
    except signing.SignupError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Your answer has been withdrawn."))
    return redirect(f"{form.get_absolute_url()}#{key}")
