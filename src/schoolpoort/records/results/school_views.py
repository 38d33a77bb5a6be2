"""School-wide pages of the office (administration, director, board): the report periods with
their release dates, and the CSV import of test results with a dry run."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from schoolpoort.core.access import administered_school_or_404, require_module

from .. import import_flow
from . import imports
from .forms import ImportForm, ReportPeriodForm
from .models import ReportPeriod

MODULE = "records"
IMPORTER = import_flow.Importer("results.", "results:import", imports.make_plan, imports.digest, imports.write)


def _office_school(user, school_id):
    school = administered_school_or_404(user, school_id)
    require_module(user, school, MODULE)
    return school


@login_required
@require_http_methods(["GET", "POST"])
def periods(request, school_id: int, period_id: int | None = None):
    school = _office_school(request.user, school_id)
    instance = get_object_or_404(ReportPeriod, pk=period_id, school=school) if period_id else None
    form = ReportPeriodForm(request.POST or None, instance=instance, school=school)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The report period has been saved."))
        return redirect("results:periods", school.pk)
    listing = (
        ReportPeriod.objects.filter(school=school)
        .select_related("school_year")
        .order_by("-school_year__starts_on", "-released_on")
    )
    page = Paginator(listing, 25).get_page(request.GET.get("pagina"))
    return render(request, "results/periods.html", {"school": school, "form": form, "page": page, "editing": instance})


@login_required
@require_http_methods(["GET", "POST"])
def import_results(request, school_id: int):
    """Upload → dry run (what would change, every bad row with its line) → confirm → apply. The
    file is parked in ``core.staging`` between the two steps; the form carries its token."""
    school = _office_school(request.user, school_id)
    context = {"school": school, "kinds": imports.KINDS, "columns": imports.COLUMNS}

    def page(form, plan=None, token=""):
        if plan is not None:
            context.update(plan=plan, token=token, kind_label=imports.KINDS[plan.kind])
        return render(request, "results/import.html", {**context, "form": form})

    if request.method == "POST" and "token" in request.POST:
        return import_flow.confirm(
            IMPORTER, request, school, lambda kind, plan, token: page(ImportForm(initial={"kind": kind}), plan, token)
        )
    form = ImportForm(request.POST or None, request.FILES or None)
    return page(form, *(import_flow.preview(IMPORTER, request, school, form) or ()))
