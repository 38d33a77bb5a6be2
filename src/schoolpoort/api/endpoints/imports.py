"""The administration import run by a school's system (``imports:run``), through the same staging
flow as the import page (``imports.run``: the file is parked, its dry run stored; confirming
re-reads the parked file and writes only when the file and the plan are still the ones shown):
POST the file → 201 with the plan; GET the plan; POST confirm with the plan's ``confirm_digest``.
For those who administer the school (the page's rule); 404 for anyone else."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from schoolpoort.core import staging
from schoolpoort.core.access import get_visible_or_404
from schoolpoort.imports.forms import UploadForm
from schoolpoort.imports.models import ImportRun
from schoolpoort.imports.run import PlanChanged, apply_run, plan_run, preview, stored_preview

from ..errors import ERRORS, Error, FormInvalid
from ..schools import administered_school

router = Router(tags=["imports"])
FILES = File(...)  # multipart, one file or several (OneRoster's CSV files)


class Problem(Schema):
    line: int
    message: str
    file: str


class ImportRunOut(Schema):
    id: int
    status: str  # reading, previewed, applied, failed; "expired" once the preview's file is gone
    filename: str
    format: str
    uploaded_at: datetime.datetime
    applied_at: datetime.datetime | None
    counts: dict[str, int]
    errors: list[Problem]
    warnings: list[Problem]
    can_confirm: bool
    confirm_digest: str | None
    url: str
    detail: str | None = None  # why a confirm did nothing


class ConfirmIn(Schema):
    confirm_digest: str


def _problems(rows) -> list[dict]:
    return [{"line": row.line, "message": str(row.message), "file": row.source} for row in rows]


def _out(request, run: ImportRun, result=None, detail: str | None = None) -> dict:
    """What the run page shows: the stored dry run (made when the file came in, or last confirmed)."""
    status, digest, errors, warnings, can_confirm = run.status, None, [], [], False
    if run.status not in (ImportRun.Status.READING, ImportRun.Status.APPLIED):
        if run.upload is None or run.upload.is_expired:
            status = "expired"
        else:
            try:
                result = result or stored_preview(run) or plan_run(run)
            except staging.Expired:
                status = "expired"
    if result is not None and status != "expired":
        errors, warnings = _problems(result.all_errors), _problems(result.all_warnings)
        can_confirm = run.status != ImportRun.Status.APPLIED and not result.all_errors and not result.is_empty
        digest = run.upload.digest_for(result.digest()) if can_confirm else None
    return {
        "id": run.pk, "status": status, "filename": run.filename, "format": run.format, "uploaded_at": run.created_at,
        "applied_at": run.applied_at, "counts": run.summary or {}, "errors": errors, "warnings": warnings,
        "can_confirm": can_confirm, "confirm_digest": digest,
        "url": request.build_absolute_uri(f"/api/v1/schools/{run.school_id}/imports/{run.pk}"),
        "detail": detail,
    }


def _run_or_404(caller, school_id: int, run_id: int) -> tuple:
    school = administered_school(caller, school_id)
    run = get_visible_or_404(ImportRun.objects.filter(school=school).select_related("upload"), caller.user, pk=run_id)
    return school, run


@router.post("/schools/{school_id}/imports", response={201: ImportRunOut, **ERRORS}, url_name="school_imports",
             summary="Upload a file of the administration system: its dry run")
def upload(request, school_id: int, files: list[UploadedFile] = FILES):
    """EDEX.XML, the guardian CSV, or OneRoster (a ZIP, or its CSV files together) as multipart
    ``files``. Nothing changes yet: the answer is the plan (what it would add, change, archive)
    and the problems. A large file is read by the worker: ``status`` is ``reading`` until then."""
    caller = request.auth
    caller.require("imports:run")
    school = administered_school(caller, school_id)
    form = UploadForm({}, request.FILES)
    if not form.is_valid():
        raise FormInvalid(form)
    name, data = form.name_and_data()
    run, result = preview(school=school, user=caller.user, filename=name, data=data)
    return Status(201, _out(request, run, result))


@router.get("/schools/{school_id}/imports/{run_id}", response={200: ImportRunOut, **ERRORS}, url_name="school_import",
            summary="The plan of an import, or what it did")
def import_run(request, school_id: int, run_id: int):
    caller = request.auth
    caller.require("imports:run")
    _school, run = _run_or_404(caller, school_id, run_id)
    return _out(request, run)


@router.post("/schools/{school_id}/imports/{run_id}/confirm",
             response={200: ImportRunOut, 409: ImportRunOut, 410: Error, **ERRORS}, url_name="confirm_import",
             summary="Run an import as planned")
def confirm(request, school_id: int, run_id: int, payload: ConfirmIn):
    """Runs the import all or nothing, once, if the file and the plan are still the ones the
    ``confirm_digest`` was given with. When the school's data changed meanwhile nothing is written
    and the answer is 409 with the new plan (confirm that one); while a large file is still being
    read, 409 too; an expired preview answers 410. A file with errors is not imported: 200 with
    ``status`` ``failed`` and its errors."""
    caller = request.auth
    caller.require("imports:run")
    _school, run = _run_or_404(caller, school_id, run_id)
    if run.status == ImportRun.Status.READING:
        return Status(409, _out(request, run, detail=_("The file is still being read. Ask again in a moment.")))
    if run.status != ImportRun.Status.APPLIED:
        try:
            apply_run(run, caller.user, digest=payload.confirm_digest)
        except staging.Expired:
            raise HttpError(410, _("This preview has expired. Please choose the file again.")) from None
        except PlanChanged as changed:
            run.refresh_from_db()
            detail = _("The data changed since this preview. Check the new preview and confirm again.")
            return Status(409, _out(request, run, changed.result, detail=detail))
    run.refresh_from_db()
    return _out(request, run)
