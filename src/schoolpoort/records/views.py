"""The child's records for guardians and staff: the list of children, then one page per part.
Every page goes through ``student_for_part_or_404`` (404 for what the user may not open), is sent
with ``Cache-Control: no-store``, and staff opening any part is audited (``core.audit``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from schoolpoort.core.audit import audits_reads, label_parts
from schoolpoort.core.models import AuditEntry, Guardianship

from . import corrections, parts
from .access import (
    child_nav,
    closed_notices,
    is_staff_for,
    no_store,
    note_staff_read,
    record_students_visible_to,
    settings_for,
    student_for_part_or_404,
)
from .forms import CorrectionForm, ReactionForm
from .models import CorrectionRequest, NoteReaction, Part

VIEWED_PER_PAGE = 50


def _page(request, student, part: str, template: str, **context):
    context = {**child_nav(request.user, student, part), **context}
    context.setdefault("can_edit", parts.may_edit(request.user, student, part))
    context["closed"] = closed_notices(request.user, student)
    return render(request, template, context)


@login_required
@no_store
def index(request):
    """The children whose records the user opens: a guardian's own, a teacher's groups, the school."""
    students = (
        record_students_visible_to(request.user)
        .select_related("school")
        .order_by("school__name", "first_name", "last_name", "pk")
    )
    query = request.GET.get("q", "").strip()
    for word in query.split()[:4]:
        students = students.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    page = Paginator(students, 50).get_page(request.GET.get("pagina"))
    return render(request, "records/index.html", {"page": page, "query": query})


@login_required
@no_store
@audits_reads
def card(request, student_id: int):
    student = student_for_part_or_404(request.user, student_id, Part.CARD)
    note_staff_read(request, student, Part.CARD)
    record = parts.card_of(request.user, student)
    guardians = parts.guardians_for(request.user, student)
    open_requests = (
        corrections.requests_of_guardian(request.user, student).filter(status=CorrectionRequest.Status.RECEIVED).count()
    )
    return _page(
        request,
        student,
        Part.CARD,
        "records/card.html",
        record=record,
        guardians=guardians,
        open_requests=open_requests,
    )


@login_required
@no_store
@audits_reads
def family(request, student_id: int):
    student = student_for_part_or_404(request.user, student_id, Part.FAMILY)
    note_staff_read(request, student, Part.FAMILY)
    contacts = parts.contacts_for(request.user, student)
    return _page(request, student, Part.FAMILY, "records/family.html", contacts=contacts)


@login_required
@no_store
@audits_reads
def medical(request, student_id: int):
    student = student_for_part_or_404(request.user, student_id, Part.MEDICAL)
    note_staff_read(request, student, Part.MEDICAL)
    record = parts.medical_of(request.user, student)
    return _page(request, student, Part.MEDICAL, "records/medical.html", record=record)


@login_required
@no_store
@audits_reads
def invoices(request, student_id: int):
    student = student_for_part_or_404(request.user, student_id, Part.INVOICES)
    note_staff_read(request, student, Part.INVOICES)
    rows = list(parts.invoices_for(request.user, student))
    open_total = sum((invoice.outstanding for invoice in rows), 0)
    return _page(
        request,
        student,
        Part.INVOICES,
        "records/invoices.html",
        invoices=rows,
        open_total=open_total,
        how_to_pay=settings_for(student.school).payment_instructions,
    )


@login_required
@no_store
@audits_reads
def plans(request, student_id: int):
    student = student_for_part_or_404(request.user, student_id, Part.PLANS)
    note_staff_read(request, student, Part.PLANS)
    may_sign = (
        not is_staff_for(request.user, student)
        and Guardianship.objects.filter(student=student, user=request.user, has_parental_authority=True).exists()
    )
    return _page(
        request,
        student,
        Part.PLANS,
        "records/plans.html",
        plans=list(parts.plans_for(request.user, student)),
        may_sign=may_sign,
    )


@login_required
@require_POST
@no_store
def sign_plan(request, student_id: int, plan_id: int):
    student = student_for_part_or_404(request.user, student_id, Part.PLANS)
    if (
        is_staff_for(request.user, student)
        or not Guardianship.objects.filter(student=student, user=request.user, has_parental_authority=True).exists()
    ):
        raise Http404
    with transaction.atomic():
        plan = parts.plans_for(request.user, student).select_for_update(of=("self",)).filter(pk=plan_id).first()
        if plan is None:
            raise Http404
        if plan.signed_at is None:
            plan.signed_by, plan.signed_at = request.user, timezone.now()
            plan.save(update_fields=["signed_by", "signed_at"])
            AuditEntry.record(request.user, "records.plan_signed", obj=plan, school=student.school)
            messages.success(request, _("You have signed the plan."))
    return redirect("records:plans", student.pk)


@login_required
@no_store
@audits_reads
def notes(request, student_id: int):
    student = student_for_part_or_404(request.user, student_id, Part.NOTES)
    note_staff_read(request, student, Part.NOTES)
    categories = list(parts.note_categories_for(request.user, student))
    chosen = request.GET.get("categorie", "")
    rows = parts.notes_for(request.user, student)
    if chosen.isdigit():
        rows = rows.filter(category_id=int(chosen))
    page = Paginator(rows, 25).get_page(request.GET.get("pagina"))
    return _page(
        request,
        student,
        Part.NOTES,
        "records/notes.html",
        page=page,
        categories=categories,
        chosen=chosen,
        as_staff=is_staff_for(request.user, student),
        reaction_form=ReactionForm(),
    )


@login_required
@require_POST
@no_store
def react(request, student_id: int, note_id: int):
    student = student_for_part_or_404(request.user, student_id, Part.NOTES)
    if is_staff_for(request.user, student):
        raise Http404
    note = parts.notes_for(request.user, student).filter(pk=note_id, category__guardians_react=True).first()
    if note is None:
        raise Http404
    form = ReactionForm(request.POST)
    if form.is_valid():
        NoteReaction.objects.create(note=note, author=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Your reaction has been sent to the school."))
    else:
        messages.error(request, _("Write a reaction first."))
    return redirect("records:notes", student.pk)


@login_required
@no_store
def viewed(request, student_id: int):
    """Who at school read this child's data: records, results, the class list, exports."""
    student = student_for_part_or_404(request.user, student_id, Part.CARD)
    page = Paginator(parts.viewed_by(student), VIEWED_PER_PAGE).get_page(request.GET.get("pagina"))
    entries = [(entry, entry.part_label) for entry in label_parts(page)]
    return _page(request, student, "viewed", "records/viewed.html", entries=entries, page=page, can_edit=False)


# --- Correction requests (guardians) --------------------------------------------------------------


@login_required
@no_store
def correction_list(request, student_id: int):
    student = student_for_part_or_404(request.user, student_id, Part.CARD)
    if is_staff_for(request.user, student):
        rows = CorrectionRequest.objects.filter(student=student)
    else:
        rows = corrections.requests_of_guardian(request.user, student)
    rows = [(row, corrections.changes_of(row)) for row in rows.select_related("handled_by")[:50]]
    return _page(request, student, "corrections", "records/corrections.html", rows=rows, can_edit=False)


@login_required
@require_http_methods(["GET", "POST"])
@no_store
def correction_create(request, student_id: int, subject: str):
    if subject not in corrections.FIELDS:
        raise Http404
    part = Part.CARD if subject == CorrectionRequest.Subject.CARD else Part.MEDICAL
    student = student_for_part_or_404(request.user, student_id, part)
    if is_staff_for(request.user, student):
        raise Http404  # staff change the record itself
    record = corrections.record_of(student, subject)
    form = CorrectionForm(subject, record, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            corrections.propose(request.user, student, subject, form.cleaned_data, form.cleaned_data["comment"])
        except corrections.NothingChanged:
            form.add_error(None, _("You have not changed anything. Change the details that are wrong."))
        else:
            messages.success(request, _("Thank you. The school administration will handle your request."))
            return redirect("records:corrections", student.pk)
    return _page(request, student, part, "records/correction_form.html", form=form, subject=subject, can_edit=False)
