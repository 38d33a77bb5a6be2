"""School-wide pages of the office (administration, director, board admin of the school): the CSV
import of the records with its dry run, the note categories and the closed periods. They are
reached from the records settings; for anyone else the school does not exist (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, ProtectedError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from schoolpoort.core.access import administered_school_or_404
from schoolpoort.core.models import AuditEntry

from . import csvimport, import_flow
from .access import no_store
from .forms import ClosedPeriodForm, ImportForm, NoteCategoryForm
from .models import ClosedPeriod, NoteCategory, Part

IMPORTER = import_flow.Importer("records.", "records:import", csvimport.make_plan, csvimport.digest, csvimport.write)
PREVIEW_ROWS = 200


# --- Import ---------------------------------------------------------------------------------------


def _import_context(school, **context) -> dict:
    history = AuditEntry.objects.filter(school=school, action="records.import").select_related("actor")
    return {
        "school": school,
        "kinds": csvimport.KINDS,
        "history": [
            (entry, csvimport.KINDS.get(entry.detail.get("kind"), "")) for entry in history.order_by("-created_at")[:10]
        ],
        "preview_rows": PREVIEW_ROWS,
        **context,
    }


def _plan_context(plan, token: str = "") -> dict:
    return {
        "plan": plan,
        "token": token,
        "kind_label": csvimport.KINDS[plan.kind],
        "added_rows": plan.added[:PREVIEW_ROWS],
        "changed_rows": plan.changed[:PREVIEW_ROWS],
    }


@login_required
@require_http_methods(["GET", "POST"])
@no_store
def import_records(request, school_id: int):
    """Upload → dry run (what would change, every bad row with its line) → confirm → apply."""
    school = administered_school_or_404(request.user, school_id)

    def page(form, **context):
        return render(request, "records/import.html", _import_context(school, form=form, **context))

    if request.method == "POST" and "token" in request.POST:
        return import_flow.confirm(
            IMPORTER, request, school,
            lambda kind, plan, token: page(ImportForm(initial={"kind": kind}), **_plan_context(plan, token)),
        )
    form = ImportForm(request.POST or None, request.FILES or None)
    previewed = import_flow.preview(IMPORTER, request, school, form)
    return page(form, **(_plan_context(*previewed) if previewed else {}))


# --- Note categories ------------------------------------------------------------------------------


def _category_or_404(school, category_id: int) -> NoteCategory:
    category = NoteCategory.objects.filter(school=school, pk=category_id).first()
    if category is None:
        raise Http404
    return category


def _categories_page(request, school, form, editing=None):
    categories = NoteCategory.objects.filter(school=school).annotate(note_count=Count("notes")).order_by("name")
    return render(
        request,
        "records/note_categories.html",
        {"school": school, "form": form, "editing": editing, "categories": list(categories)},
    )


@login_required
@require_http_methods(["GET", "POST"])
@no_store
def note_categories(request, school_id: int):
    school = administered_school_or_404(request.user, school_id)
    form = NoteCategoryForm(request.POST or None, instance=NoteCategory(school=school))
    if request.method == "POST" and form.is_valid():
        category = form.save()
        AuditEntry.record(request.user, "records.note_category_saved", obj=category, school=school)
        messages.success(request, _("The category has been added."))
        return redirect("records:note_categories", school.pk)
    return _categories_page(request, school, form)


@login_required
@require_http_methods(["GET", "POST"])
@no_store
def note_category_edit(request, school_id: int, category_id: int):
    school = administered_school_or_404(request.user, school_id)
    category = _category_or_404(school, category_id)
    form = NoteCategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        form.save()
        AuditEntry.record(request.user, "records.note_category_saved", obj=category, school=school)
        messages.success(request, _("Saved."))
        return redirect("records:note_categories", school.pk)
    return _categories_page(request, school, form, editing=category)


@login_required
@require_POST
@no_store
def note_category_delete(request, school_id: int, category_id: int):
    school = administered_school_or_404(request.user, school_id)
    category = _category_or_404(school, category_id)
    try:
        category.delete()
    except ProtectedError:
        messages.error(request, _("This category has notes; it can be renamed or closed to parents, not removed."))
    else:
        AuditEntry.record(request.user, "records.note_category_deleted", school=school, name=category.name)
        messages.success(request, _("The category has been removed."))
    return redirect("records:note_categories", school.pk)


# --- Closed periods -------------------------------------------------------------------------------


def _period_or_404(school, period_id: int) -> ClosedPeriod:
    period = ClosedPeriod.objects.filter(school=school, pk=period_id).first()
    if period is None:
        raise Http404
    return period


def _periods_page(request, school, form, editing=None):
    today = timezone.localdate()
    # Current and coming periods first (the ones that matter), then the past ones, newest first.
    coming = list(ClosedPeriod.objects.filter(school=school, ends_on__gte=today).order_by("starts_on", "pk"))
    past = Paginator(ClosedPeriod.objects.filter(school=school, ends_on__lt=today).order_by("-ends_on", "-pk"), 20)
    labels = dict(Part.choices)
    return render(
        request,
        "records/closed_periods.html",
        {
            "school": school,
            "form": form,
            "editing": editing,
            "coming": [(period, [labels.get(p, p) for p in period.parts]) for period in coming],
            "page": past.get_page(request.GET.get("pagina")),
            "labels": labels,
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@no_store
def closed_periods(request, school_id: int):
    school = administered_school_or_404(request.user, school_id)
    form = ClosedPeriodForm(request.POST or None, instance=ClosedPeriod(school=school))
    if request.method == "POST" and form.is_valid():
        period = form.save()
        AuditEntry.record(request.user, "records.closed_period_saved", obj=period, school=school)
        messages.success(request, _("The closed period has been added."))
        return redirect("records:closed_periods", school.pk)
    return _periods_page(request, school, form)


@login_required
@require_http_methods(["GET", "POST"])
@no_store
def closed_period_edit(request, school_id: int, period_id: int):
    school = administered_school_or_404(request.user, school_id)
    period = _period_or_404(school, period_id)
    form = ClosedPeriodForm(request.POST or None, instance=period)
    if request.method == "POST" and form.is_valid():
        form.save()
        AuditEntry.record(request.user, "records.closed_period_saved", obj=period, school=school)
        messages.success(request, _("Saved."))
        return redirect("records:closed_periods", school.pk)
    return _periods_page(request, school, form, editing=period)


@login_required
@require_POST
@no_store
def closed_period_delete(request, school_id: int, period_id: int):
    school = administered_school_or_404(request.user, school_id)
    period = _period_or_404(school, period_id)
    AuditEntry.record(
        request.user,
        "records.closed_period_deleted",
        school=school,
        starts_on=period.starts_on.isoformat(),
        ends_on=period.ends_on.isoformat(),
    )
    period.delete()
    messages.success(request, _("The closed period has been removed."))
    return redirect("records:closed_periods", school.pk)
