"""Staff pages of the records: the administration's queue of correction requests, and the forms
with which staff keep each part (the office every part; teachers notes and plans of their groups).
What the user may not edit is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from schoolpoort.core.access import administered_school_or_404
from schoolpoort.core.audit import audits_reads
from schoolpoort.core.models import AuditEntry

from . import corrections, parts
from .access import child_nav, no_store, note_staff_read, settings_for, student_for_part_or_404
from .forms import CardForm, ContactForm, InvoiceForm, MedicalForm, NoteForm, PlanForm, RefuseForm, SettingsForm
from .models import Contact, CorrectionRequest, Invoice, MedicalInfo, Part, StudentCard, SupportPlan


def _editable_student_or_404(user, student_id: int, part: str):
    student = student_for_part_or_404(user, student_id, part)
    if not parts.may_edit(user, student, part):
        raise Http404
    return student


def _form_page(request, student, part: str, form, title: str, *, reads: bool | None = None, **context):
    # A form that shows what the school keeps (or that it keeps nothing: the one medical record,
    # the one card) is a read (``core.audit``); an empty form for a new row is not.
    if form.instance.pk if reads is None else reads:
        note_staff_read(request, student, part)
    return render(
        request,
        "records/staff_form.html",
        {
            **child_nav(request.user, student, part),
            "form": form,
            "form_title": title,
            **context,
        },
    )


# --- Correction queue -----------------------------------------------------------------------------


@login_required
@no_store
def queue(request):
    if not _administers_any(request.user):
        raise Http404
    status = request.GET.get("status", CorrectionRequest.Status.RECEIVED)
    if status not in CorrectionRequest.Status.values:
        status = CorrectionRequest.Status.RECEIVED
    rows = corrections.queue_for(request.user).filter(status=status).order_by("due_on", "pk")
    page = Paginator(rows, 30).get_page(request.GET.get("pagina"))
    return render(
        request,
        "records/queue.html",
        {
            "page": page,
            "status": status,
            "statuses": CorrectionRequest.Status.choices,
            "today": timezone.localdate(),
        },
    )


def _administers_any(user) -> bool:
    from schoolpoort.core.access import roles_of

    roles = roles_of(user)
    return bool(roles.board_school_ids) or any(
        roles_set & {"administration", "director"} for roles_set in roles.school_roles.values()
    )


def _request_or_404(user, request_id: int) -> CorrectionRequest:
    request = corrections.queue_for(user).filter(pk=request_id).first()
    if request is None:
        raise Http404
    return request


@login_required
@no_store
def correction(request, request_id: int):
    row = _request_or_404(request.user, request_id)
    return render(
        request,
        "records/correction.html",
        {
            "row": row,
            "changes": corrections.changes_of(row),
            "refuse_form": RefuseForm(),
        },
    )


@login_required
@require_POST
@no_store
def correction_apply(request, request_id: int):
    row = _request_or_404(request.user, request_id)
    try:
        corrections.apply(row.pk, request.user, corrections.queue_for(request.user))
    except corrections.AlreadyHandled:
        messages.error(request, _("This request has already been handled."))
    except ValidationError as error:
        messages.error(request, _("The change cannot be applied: %(error)s") % {"error": "; ".join(error.messages)})
        return redirect("records:correction", row.pk)
    else:
        messages.success(request, _("The change has been applied and the parent informed."))
    return redirect("records:queue")


@login_required
@require_POST
@no_store
def correction_refuse(request, request_id: int):
    row = _request_or_404(request.user, request_id)
    form = RefuseForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "records/correction.html",
            {
                "row": row,
                "changes": corrections.changes_of(row),
                "refuse_form": form,
            },
            status=200,
        )
    try:
        corrections.refuse(row.pk, request.user, form.cleaned_data["reason"], corrections.queue_for(request.user))
    except corrections.AlreadyHandled:
        messages.error(request, _("This request has already been handled."))
    else:
        messages.success(request, _("The request has been refused and the parent informed."))
    return redirect("records:queue")


# --- Editing the parts ------------------------------------------------------------------------------


def _audited_save(request, form, student, action: str):
    obj = form.save()
    AuditEntry.record(request.user, action, obj=obj, school=student.school)
    messages.success(request, _("Saved."))
    return obj


@login_required
@require_http_methods(["GET", "POST"])
@no_store
@audits_reads
def card_edit(request, student_id: int):
    student = _editable_student_or_404(request.user, student_id, Part.CARD)
    record = StudentCard.objects.filter(student=student).first() or StudentCard(student=student)
    form = CardForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        _audited_save(request, form, student, "records.card_changed")
        return redirect("records:card", student.pk)
    return _form_page(request, student, Part.CARD, form, _("Edit the personal data"), reads=True)


@login_required
@require_http_methods(["GET", "POST"])
@no_store
@audits_reads
def medical_edit(request, student_id: int):
    student = _editable_student_or_404(request.user, student_id, Part.MEDICAL)
    record = MedicalInfo.objects.filter(student=student).first() or MedicalInfo(student=student)
    form = MedicalForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        _audited_save(request, form, student, "records.medical_changed")
        return redirect("records:medical", student.pk)
    return _form_page(request, student, Part.MEDICAL, form, _("Edit the medical details"), reads=True)


@login_required
@require_http_methods(["GET", "POST"])
@no_store
@audits_reads
def invoice_edit(request, student_id: int, invoice_id: int | None = None):
    student = _editable_student_or_404(request.user, student_id, Part.INVOICES)
    invoice = Invoice(student=student)
    if invoice_id is not None:
        invoice = Invoice.objects.filter(student=student, pk=invoice_id).first()
        if invoice is None:
            raise Http404
    form = InvoiceForm(request.POST or None, instance=invoice)
    if request.method == "POST" and form.is_valid():
        _audited_save(request, form, student, "records.invoice_saved")
        return redirect("records:invoices", student.pk)
    return _form_page(request, student, Part.INVOICES, form, _("Edit the invoice") if invoice.pk else _("New invoice"))


def _contact_or_404(student, contact_id: int) -> Contact:
    contact = Contact.objects.filter(student=student, pk=contact_id).first()
    if contact is None:
        raise Http404
    return contact


@login_required
@require_http_methods(["GET", "POST"])
@no_store
@audits_reads
def contact_edit(request, student_id: int, contact_id: int | None = None):
    """A family member or emergency contact of the pupil, kept by the office."""
    student = _editable_student_or_404(request.user, student_id, Part.FAMILY)
    if contact_id is None:
        last = Contact.objects.filter(student=student).aggregate(last=Max("order"))["last"] or 0
        contact = Contact(student=student, order=last + 1)
    else:
        contact = _contact_or_404(student, contact_id)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        _audited_save(request, form, student, "records.contact_saved")
        return redirect("records:family", student.pk)
    title = _("Edit the contact") if contact.pk else _("New contact")
    return _form_page(request, student, Part.FAMILY, form, title, contact=contact if contact.pk else None)


@login_required
@require_POST
@no_store
def contact_delete(request, student_id: int, contact_id: int):
    student = _editable_student_or_404(request.user, student_id, Part.FAMILY)
    contact = _contact_or_404(student, contact_id)
    AuditEntry.record(request.user, "records.contact_deleted", obj=student, school=student.school)
    contact.delete()
    messages.success(request, _("The contact has been removed."))
    return redirect("records:family", student.pk)


@login_required
@require_http_methods(["GET", "POST"])
@no_store
@audits_reads
def plan_edit(request, student_id: int, plan_id: int | None = None):
    student = _editable_student_or_404(request.user, student_id, Part.PLANS)
    plan = SupportPlan(student=student, created_by=request.user)
    if plan_id is not None:
        plan = SupportPlan.objects.filter(student=student, pk=plan_id).first()
        if plan is None:
            raise Http404
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        _audited_save(request, form, student, "records.plan_saved")
        return redirect("records:plans", student.pk)
    return _form_page(request, student, Part.PLANS, form, _("Edit the plan") if plan.pk else _("New support plan"))


@login_required
@require_http_methods(["GET", "POST"])
@no_store
@audits_reads
def note_create(request, student_id: int):
    student = _editable_student_or_404(request.user, student_id, Part.NOTES)
    form = NoteForm(student.school, request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        note = form.save(commit=False)
        note.student, note.author = student, request.user
        note.save()
        AuditEntry.record(request.user, "records.note_saved", obj=note, school=student.school)
        messages.success(request, _("Saved."))
        return redirect("records:notes", student.pk)
    return _form_page(request, student, Part.NOTES, form, _("New note"))


@login_required
@require_http_methods(["GET", "POST"])
@no_store
def school_settings(request, school_id: int):
    school = administered_school_or_404(request.user, school_id)
    form = SettingsForm(request.POST or None, instance=settings_for(school))
    if request.method == "POST" and form.is_valid():
        form.save()
        AuditEntry.record(request.user, "records.settings_changed", obj=form.instance, school=school)
        messages.success(request, _("Saved."))
        return redirect("records:settings", school.pk)
    return render(request, "records/settings.html", {"school": school, "form": form})
