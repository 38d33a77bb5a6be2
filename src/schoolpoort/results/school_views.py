"""School-wide pages of the office (administration, director, board): the report periods with
their release dates, and the CSV import of test results with a dry run."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from schoolpoort.core.access import administered_school_or_404, require_module

from . import imports
from .forms import ImportForm, ReportPeriodForm
from .models import ReportPeriod

MODULE = "records"
PARKED = "results/imports"
TOKEN_SALT = "schoolpoort.results.import"
TOKEN_MAX_AGE = 60 * 60  # a preview may be confirmed for an hour


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
    file is parked under a random name between the two steps; the form carries a signed token."""
    user = request.user
    school = _office_school(user, school_id)
    context = {"school": school, "kinds": imports.KINDS, "columns": imports.COLUMNS}
    if request.method == "POST" and "token" in request.POST:
        try:
            parked = signing.loads(request.POST["token"], salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        except signing.BadSignature:
            messages.error(request, _("This preview has expired. Please choose the file again."))
            return redirect("results:import", school.pk)
        if parked["school"] != school.pk or not default_storage.exists(parked["name"]):
            messages.error(request, _("This preview has expired. Please choose the file again."))
            return redirect("results:import", school.pk)
        with default_storage.open(parked["name"], "rb") as handle:
            data = handle.read()
        plan = imports.apply(school, parked["kind"], data, user)
        if plan.errors:  # the data changed since the preview: show it again, nothing was written
            context.update(
                form=ImportForm(initial={"kind": parked["kind"]}),
                plan=plan,
                token=request.POST["token"],
                kind_label=imports.KINDS[parked["kind"]],
            )
            return render(request, "results/import.html", context)
        default_storage.delete(parked["name"])
        messages.success(
            request,
            _("Imported: %(added)s added, %(changed)s changed, %(unchanged)s unchanged.")
            % {"added": len(plan.added), "changed": len(plan.changed), "unchanged": plan.unchanged},
        )
        return redirect("results:import", school.pk)

    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        kind, data = form.cleaned_data["kind"], form.cleaned_data["file"].read()
        plan = imports.make_plan(school, kind, data, user)
        token = ""
        if not plan.errors and not plan.is_empty:
            name = default_storage.save(f"{PARKED}/{uuid.uuid4().hex}.csv", ContentFile(data))
            token = signing.dumps({"school": school.pk, "kind": kind, "name": name}, salt=TOKEN_SALT)
        context.update(plan=plan, token=token, kind_label=imports.KINDS[kind])
    context["form"] = form
    return render(request, "results/import.html", context)
