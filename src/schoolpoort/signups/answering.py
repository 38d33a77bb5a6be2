"""Reading and answering a sign-up form as a parent, for the pages and the JSON API alike: the
forms the user sees (``Form.objects.visible_to``), the answers the user sees per child or for the
family, the form that checks an answer (``forms.ResponseForm``) and the child or family an answer
is for. Saving goes through the rush-proof ``signing.submit`` and ``signing.withdraw``."""

from __future__ import annotations

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q
from django.http import Http404

from schoolpoort.core.access import get_in_reach_or_404, get_visible_or_404, guardian_student_ids
from schoolpoort.core.models import Guardianship, Student

from .access import form_q, visible_guardian_form_q
from .audience import children_of, family_response
from .forms import ResponseForm
from .models import Answer, Form, Response
from .scope import usable_schools


def _form_page_rows():
    return Form.objects.select_related("school", "created_by").prefetch_related("groups")


def form_or_404(user, form_id: int) -> Form:
    return get_visible_or_404(_form_page_rows(), user, pk=form_id)


def request_form_or_404(request, form_id: int) -> Form:
    """``form_or_404`` for the form's own pages, which a whole school opens at once in a sign-up
    rush: the same rule (``access.form_q``) read with the request's id lists."""
    return get_in_reach_or_404(request, _form_page_rows(), form_q, pk=form_id)


def usable_schools_or_404(user) -> list:
    """The user's schools where the module is usable; 404 where it is of no use to the user."""
    schools = usable_schools(user)
    if not schools:
        raise Http404
    return schools


def visible_forms(user):
    """Every form the user sees, each with ``answered`` (the user's family answered it) and
    ``for_me`` (it asks the user as a parent)."""
    family_users = Guardianship.objects.filter(
        student_id__in=guardian_student_ids(user), user__isnull=False
    ).values("user_id")
    mine = Response.objects.filter(form=OuterRef("pk")).filter(
        Q(student_id__in=guardian_student_ids(user)) | Q(family_user_id__in=family_users)
    )
    return (
        Form.objects.visible_to(user)
        .select_related("school")
        .prefetch_related("groups")
        .annotate(
            answered=Exists(mine),
            for_me=ExpressionWrapper(visible_guardian_form_q(user), output_field=BooleanField()),
        )
    )


def responses_of(form: Form, user, children: list[Student]) -> dict[str, Response]:
    """The answers the user sees, by section key ("child12" or "family"), their answers with them."""
    answers = Prefetch("answers", queryset=Answer.objects.select_related("option").order_by("pk"))
    if form.per_child:
        found = Response.objects.filter(form=form, student__in=children).select_related("responded_by")
        return {f"child{r.student_id}": r for r in found.prefetch_related(answers)}
    response = family_response(user, form, children, rows=Response.objects.prefetch_related(answers))
    return {} if response is None else {"family": response}


def section_keys(form: Form, children: list[Student]) -> list[tuple[str, Student | None]]:
    """The answers the user gives: one per child (per-child forms) or one for the family."""
    if not children:
        return []
    return [(f"child{child.pk}", child) for child in children] if form.per_child else [("family", None)]


def response_form(questions, response: Response | None, key: str, data=None) -> ResponseForm:
    chosen, texts = set(), {}
    if response is not None:
        for answer in response.answers.all():
            if answer.option_id:
                chosen.add(answer.option_id)
            else:
                texts[answer.question_id] = answer.text
    return ResponseForm(data, questions=questions, chosen=chosen, texts=texts, prefix=key)


def section_of(user, form: Form, student_id, children: list[Student] | None = None) -> tuple[str, Student | None]:
    """The child (per-child forms, ``student_id``) or family an answer is for; 404 when it is not
    the user's. ``children``: the user's children in the form's audience, when read already."""
    if children is None:
        children = children_of(user, form) if form.published else []
    if not children:
        raise Http404
    if not form.per_child:
        return "family", None
    try:
        student_id = int(student_id)
    except (TypeError, ValueError):
        raise Http404 from None
    child = next((child for child in children if child.pk == student_id), None)
    if child is None:
        raise Http404
    return f"child{child.pk}", child
