"""Pages of privacy: the register of personal data of a school with its retention terms (the basis
of its verwerkingsregister) and the erasure requests of families, for the director (school admin)
and the board admin; for everyone else they do not exist (404). And the privacy statement for
parents, public per school, generated from the same register."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from schoolpoort.core.access import managed_school_or_404, roles_of
from schoolpoort.core.models import AuditEntry, School, Student
from schoolpoort.core.personal_data import ERASED_NAME
from schoolpoort.core.scopes import school_scope, scopes_disabled

from . import erasure as erasures
from . import register
from .forms import ErasureForm, TermForm
from .models import ErasureRequest, RetentionTerm


def _rows(school, entries, forms: bool = False):
    own = register.school_terms(school)
    rows = []
    for entry in entries:
        term = own.get(entry.key, entry.term)
        row = {"entry": entry, "term": term, "own": entry.key in own}
        if forms:
            row["form"] = TermForm(initial={"amount": term.amount, "unit": term.unit},
                                   prefix=entry.key)
        rows.append(row)
    return rows


def _students(school):
    return Student.objects.filter(school=school).exclude(first_name=ERASED_NAME, last_name="").order_by(
        "last_name", "first_name"
    )


@login_required
def register_page(request, school_id: int):
    school = managed_school_or_404(request.user, school_id)
    entries = register.entries()
    if request.method == "POST":
        key = request.POST.get("key", "")
        if key not in {entry.key for entry in entries}:
            raise Http404
        if request.POST.get("action") == "default":
            RetentionTerm.objects.filter(school=school, key=key).delete()
            AuditEntry.record(request.user, "privacy.term_reset", school=school, key=key)
            messages.success(request, _("The term is the default again."))
            return redirect("privacy:register", school.pk)
        form = TermForm(request.POST, prefix=key)
        if form.is_valid():
            RetentionTerm.objects.update_or_create(
                school=school, key=key,
                defaults={"amount": form.cleaned_data["amount"], "unit": form.cleaned_data["unit"],
                          "changed_by": request.user},
            )
            AuditEntry.record(request.user, "privacy.term_changed", school=school, key=key,
                              amount=form.cleaned_data["amount"], unit=form.cleaned_data["unit"])
            messages.success(request, _("The term has been saved."))
            return redirect("privacy:register", school.pk)
        messages.error(request, _("The term was not saved: give a whole number of days or months."))
    return render(request, "privacy/register.html", {
        "school": school,
        "rows": _rows(school, entries, forms=True),
        "requests": ErasureRequest.objects.filter(school=school).select_related("requested_by", "confirmed_by")[:20],
        "erasure_form": ErasureForm(students=_students(school)),
    })


@login_required
@require_POST
def request_erasure(request, school_id: int):
    school = managed_school_or_404(request.user, school_id)
    form = ErasureForm(request.POST, students=_students(school))
    if not form.is_valid():
        messages.error(request, _("Choose the pupil whose family asks for erasure."))
        return redirect("privacy:register", school.pk)
    student = _students(school).get(pk=form.cleaned_data["student"])
    try:
        made = erasures.request_erasure(student, request.user, form.cleaned_data["reason"])
    except erasures.ErasureRefused as refused:
        messages.error(request, str(refused))
        return redirect("privacy:register", school.pk)
    messages.success(request, _("The request is waiting for a second admin of the school to confirm it."))
    return redirect("privacy:erasure", school.pk, made.pk)


@login_required
def erasure(request, school_id: int, request_id: int):
    school = managed_school_or_404(request.user, school_id)
    item = get_object_or_404(
        ErasureRequest.objects.select_related("student", "requested_by", "confirmed_by"), school=school, pk=request_id
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "confirm":
                erasures.confirm_erasure(item, request.user)
                messages.success(request, _("Confirmed. The erasure is carried out in the background."))
            elif request.POST.get("action") == "cancel":
                erasures.cancel_erasure(item, request.user)
                messages.success(request, _("The request has been cancelled."))
        except erasures.ErasureRefused as refused:
            messages.error(request, str(refused))
        return redirect("privacy:erasure", school.pk, item.pk)
    family = None
    if item.student is not None and item.status == ErasureRequest.Status.REQUESTED:
        student_ids, user_ids = erasures.family_of(item.student)
        family = {
            "pupils": Student.objects.filter(pk__in=student_ids).order_by("first_name"),
            "guardians": _guardian_accounts(user_ids),
        }
    entries = register.entries()
    return render(request, "privacy/erasure.html", {
        "school": school,
        "item": item,
        "family": family,
        "erased": [{"entry": e, "count": item.result.get(e.key)} for e in entries if not e.kept_on_request],
        "kept": [e for e in entries if e.kept_on_request],
        "own_request": item.requested_by_id == request.user.pk,
        "can_confirm": item.status == ErasureRequest.Status.REQUESTED and item.requested_by_id != request.user.pk
        and roles_of(request.user).manages(school),
    })


def _guardian_accounts(user_ids):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk__in=user_ids).order_by("last_name", "first_name")


def statements(request):
    """The privacy statements of the user's schools (from Mijn account), or of every school for a
    visitor (public: a school's name is no secret)."""
    schools = list(School.objects.visible_to(request.user).order_by("name")) if request.user.is_authenticated else []
    if not schools:
        with scopes_disabled():
            schools = list(School.objects.order_by("name"))
    if len(schools) == 1:
        return redirect("privacy:statement", schools[0].brin)
    return render(request, "privacy/statements.html", {"schools": schools})


def statement(request, brin: str):
    """What the school keeps about a family, why, who sees it and how long: from the register
    with the school's own terms."""
    with scopes_disabled():
        school = get_object_or_404(School.objects.select_related("board"), brin=brin)
    with school_scope(school):
        rows = [row for row in _rows(school, register.entries()) if row["entry"].for_parents]
    return render(request, "privacy/statement.html", {"school": school, "rows": rows})
