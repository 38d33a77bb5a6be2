"""School-wide pages of the office (administration, director, board): the report periods with
their release dates, and the CSV import of test results with a dry run."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from schoolpoort.core import staging
from schoolpoort.core.access import administered_school_or_404, require_module

from . import imports
from .forms import ImportForm, ReportPeriodForm
from .models import ReportPeriod

MODULE = "records"
KIND = "results."  # staged uploads of this page are "results.<kind>"


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
    user = request.user
    school = _office_school(user, school_id)
    context = {"school": school, "kinds": imports.KINDS, "columns": imports.COLUMNS}
    if request.method == "POST" and "token" in request.POST:
        return _confirm_import(request, school, context)

    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind, data = form.cleaned_data["kind"], upload.read()
        plan = imports.make_plan(school, kind, data, user)
        token = ""
        if not plan.errors and not plan.is_empty:
            parked = staging.park(kind=KIND + kind, data=data, filename=upload.name, school=school, owner=user)
            token = staging.token_for(parked, imports.digest(plan))
        context.update(plan=plan, token=token, kind_label=imports.KINDS[kind])
    context["form"] = form
    return render(request, "results/import.html", context)


def _confirm_import(request, school, context):
    user = request.user
    try:
        parked, digest = staging.from_token(user, request.POST["token"], school=school, kind_prefix=KIND)
        kind = parked.kind.removeprefix(KIND)
        done = staging.confirm(
            parked,
            digest=digest,
            make_plan=lambda data: imports.make_plan(school, kind, data, user),
            digest_of=imports.digest,
            write=lambda plan: imports.write(school, plan, user),
        )
    except staging.Expired:
        messages.error(request, _("This preview has expired. Please choose the file again."))
        return redirect("results:import", school.pk)
    if done.outcome == "already":
        messages.info(request, _("This file has already been imported."))
        return redirect("results:import", school.pk)
    plan = done.plan
    if not done.applied:  # the data changed since the preview: nothing was written, show it again
        token = "" if plan.errors or plan.is_empty else staging.token_for(parked, imports.digest(plan))
        messages.warning(request, _("The data changed since this preview. Check the new preview and confirm again."))
        context.update(form=ImportForm(initial={"kind": kind}), plan=plan, token=token, kind_label=imports.KINDS[kind])
        return render(request, "results/import.html", context)
    messages.success(
        request,
        _("Imported: %(added)s added, %(changed)s changed, %(unchanged)s unchanged.")
        % {"added": len(plan.added), "changed": len(plan.changed), "unchanged": plan.unchanged},
    )
    return redirect("results:import", school.pk)
