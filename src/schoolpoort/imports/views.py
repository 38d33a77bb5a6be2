"""The import page of a school's administration: upload → dry run → confirm. Thin: the work is
in ``run`` (preview, apply), the planner and ``core.staging`` (the parked file). Only
administration, director and board admin of the school see it (``administered_school_or_404``);
runs are fetched through ``visible_to``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from schoolpoort.core import staging
from schoolpoort.core.access import administered_school_or_404, get_visible_or_404

from . import formats
from .forms import UploadForm
from .models import ImportRun
from .run import PlanChanged, Preview, Result, apply_run, plan_run, preview, stored_preview

HISTORY_PER_PAGE = 20
ROWS_PER_PAGE = 50
SECTION_LABELS = {
    "errors": gettext_lazy("Errors: nothing is imported until these are fixed"),
    "added": gettext_lazy("New pupils"),
    "changed": gettext_lazy("Changed pupils"),
    "moved": gettext_lazy("Moved to another group"),
    "archived": gettext_lazy("Leavers (archived; their guardians lose access)"),
    "returned": gettext_lazy("Back at school"),
    "groups": gettext_lazy("Groups"),
    "teachers": gettext_lazy("Teachers"),
    "guardians_added": gettext_lazy("New guardians"),
    "guardians_changed": gettext_lazy("Changed guardians"),
    "guardians_removed": gettext_lazy("Guardians no longer listed (without an account: removed)"),
    "warnings": gettext_lazy("Warnings"),
}


def _run_or_404(user, school, run_id: int) -> ImportRun:
    return get_visible_or_404(ImportRun.objects.filter(school=school).select_related("upload"), user, pk=run_id)


@login_required
@require_http_methods(["GET", "POST"])
def index(request, school_id: int):
    school = administered_school_or_404(request.user, school_id)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        name, data = form.name_and_data()
        run, _result = preview(school=school, user=request.user, filename=name, data=data)
        return redirect("imports:run", school.pk, run.pk)
    history = Paginator(
        ImportRun.objects.filter(school=school).select_related("created_by"), HISTORY_PER_PAGE
    ).get_page(request.GET.get("pagina"))
    return render(request, "imports/index.html", {"school": school, "form": form, "history": history})


def _sections(request, result: Result | Preview) -> list[dict]:
    wanted, page_number = request.GET.get("deel"), request.GET.get("pagina")
    plan = result.plans[0] if result.plans else None
    rows = {"errors": result.all_errors, "warnings": result.all_warnings}
    if plan is not None:
        rows.update(plan.shown)
    sections = []
    for name, label in SECTION_LABELS.items():
        items = rows.get(name) or []
        if not items:
            continue
        page = Paginator(items, ROWS_PER_PAGE).get_page(page_number if name == wanted else 1)
        sections.append(
            {
                "name": name,
                "label": label,
                "count": len(items),
                "page": page,
                "open": name in ("errors", wanted) or len(items) <= 10,
            }
        )
    return sections


def _expired(request, school):
    messages.error(request, _("This preview has expired. Please choose the file again."))
    return redirect("imports:index", school.pk)


@login_required
@require_http_methods(["GET", "POST"])
def run_detail(request, school_id: int, run_id: int):
    school = administered_school_or_404(request.user, school_id)
    run = _run_or_404(request.user, school, run_id)
    if request.method == "POST" and run.status != ImportRun.Status.APPLIED:
        try:
            result = apply_run(run, request.user, digest=request.POST.get("digest", ""))
        except staging.Expired:
            return _expired(request, school)
        except PlanChanged:
            messages.warning(
                request, _("The data changed since this preview. Check the new preview and confirm again.")
            )
            return redirect("imports:run", school.pk, run.pk)
        if result.all_errors:
            messages.error(request, _("Nothing was imported: the file has errors."))
        else:
            messages.success(request, _("The import is done."))
        return redirect("imports:run", school.pk, run.pk)
    run.refresh_from_db()
    result = None  # applied: what was done is in the summary; a new plan would be empty
    expired = reading = False
    if run.status == ImportRun.Status.READING:
        reading = True  # the worker reads a large file; the page refreshes until it is done
    elif run.status != ImportRun.Status.APPLIED:
        if run.upload is None or run.upload.is_expired:
            expired = True
        else:
            try:  # the preview as made when the file came in (or last confirmed); older runs: plan now
                result = stored_preview(run) or plan_run(run)
            except staging.Expired:
                expired = True
    return render(
        request,
        "imports/run.html",
        {
            "school": school,
            "run": run,
            "result": result,
            "reading": reading,
            "expired": expired,
            "sections": _sections(request, result) if result else [],
            "digest": run.upload.digest_for(result.digest()) if result else "",
            "format_label": formats.FORMATS.get(run.format, run.format),
            "summary": [(SECTION_LABELS[k], v) for k, v in run.summary.items() if k in SECTION_LABELS and v],
            "can_apply": result is not None and not result.all_errors and not result.is_empty,
        },
    )


@login_required
def run_file(request, school_id: int, run_id: int):
    school = administered_school_or_404(request.user, school_id)
    run = _run_or_404(request.user, school, run_id)
    try:
        data = staging.read(run.upload) if run.upload else None
    except staging.Expired:
        data = None
    if data is None:
        raise Http404
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, run.filename or "import")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
