"""The actions the page and the ``import_sis`` command share: park a file (``core.staging``) and
show its dry run (``preview``; the worker reads a large file), and apply it (``apply_run``):
staging re-reads the parked file, re-plans inside one locked transaction and writes only when there
are no errors and the file and plan are still the ones that were shown."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from schoolpoort.core import staging
from schoolpoort.core.models import AuditEntry, Enrollment, Group, Guardianship, School, StaffMembership, Student
from schoolpoort.lib import events
from schoolpoort.lib.csv import RowError
from schoolpoort.lib.db import analyze

from . import formats
from .applier import apply_plan
from .dataset import Dataset
from .models import ImportRun
from .planner import Change, SchoolPlan, plan_school


@dataclass
class Result:
    """The dry run of one file: a plan per school, and what is wrong with the file as a whole."""

    format: str
    plans: list[SchoolPlan] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)

    @property
    def all_errors(self) -> list[RowError]:
        return sorted(self.errors + [e for p in self.plans for e in p.errors], key=lambda e: (e.source, e.line))

    @property
    def all_warnings(self) -> list[RowError]:
        return sorted(self.warnings + [w for p in self.plans for w in p.warnings], key=lambda e: (e.source, e.line))

    @property
    def counts(self) -> dict[str, int]:
        total: dict[str, int] = {}
        for plan in self.plans:
            for name, count in plan.counts.items():
                total[name] = total.get(name, 0) + count
        total["errors"] = len(self.all_errors)
        total["warnings"] = len(self.all_warnings)
        return total

    @property
    def is_empty(self) -> bool:
        return all(p.is_empty for p in self.plans)

    def digest(self) -> str:
        import hashlib

        parts = [p.digest() for p in self.plans] + [f"{e.source}:{e.line}:{e.message}" for e in self.errors]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()


def plan_dataset(dataset: Dataset, *, school: School | None = None, board=None, brins=None) -> Result:
    """Plans for the schools in ``dataset``: only ``school`` (the page), or every school of the
    file that belongs to ``board`` / is in ``brins`` (the command)."""
    result = Result(format=dataset.format, errors=list(dataset.errors), warnings=list(dataset.warnings))
    if dataset.errors and not dataset.schools:
        return result
    # With errors in the file the plans are still made: they find the rest of the bad rows (a
    # pupil number that does not exist), so that one upload reports every problem.
    if school is not None:
        data = dataset.for_brin(school.brin)
        if data is None and len(dataset.schools) == 1 and not dataset.schools[0].brin:
            data = dataset.schools[0]  # a guardian CSV without a BRIN column: for this school
        others = sorted({s.brin for s in dataset.schools if s is not data and s.brin})
        if data is None:
            result.errors.append(
                RowError(
                    1,
                    _("This file is for BRIN %(found)s, not for %(school)s (%(brin)s).")
                    % {"found": ", ".join(others) or "-", "school": school.name, "brin": school.brin},
                )
            )
            return result
        if others and dataset.format == formats.GUARDIANS:
            result.errors.append(
                RowError(1, _("This file also has rows for other schools (%(brins)s).") % {"brins": ", ".join(others)})
            )
            return result
        result.plans.append(plan_school(school, data))
        return result

    wanted = {s.brin for s in dataset.schools if s.brin}
    schools = School.objects.filter(brin__in=sorted(wanted))
    if board is not None:
        schools = schools.filter(board=board)
    if brins:
        schools = schools.filter(brin__in=[b.upper() for b in brins])
    by_brin = {s.brin.upper(): s for s in schools}
    for data in dataset.schools:
        if brins and data.brin not in {b.upper() for b in brins}:
            continue
        school_obj = by_brin.get(data.brin)
        if school_obj is None:
            result.errors.append(
                RowError(1, _("There is no school with BRIN %(brin)s here.") % {"brin": data.brin or "-"})
            )
            continue
        result.plans.append(plan_school(school_obj, data))
    return result


KIND = "imports.sis"
LIFETIME = datetime.timedelta(days=1)  # an administration may check a preview and confirm it the next day


def read_run(run: ImportRun) -> Dataset:
    """The kept file, parsed. Raises ``staging.Expired`` when it is gone."""
    if run.upload is None:
        raise staging.Expired
    return formats.parse(staging.read(run.upload), run.format or None)


def plan_run(run: ImportRun) -> Result:
    return _plan(run, read_run(run))


def _plan(run: ImportRun, dataset: Dataset) -> Result:
    return plan_dataset(dataset, school=run.school, board=run.board if run.school_id is None else None)


def _remember(run: ImportRun, result: Result) -> None:
    run.summary = result.counts
    run.digest = result.digest()
    run.status = ImportRun.Status.FAILED if result.all_errors else ImportRun.Status.PREVIEWED
    run.preview = _preview_data(result)


@dataclass
class ShownPlan:
    shown: dict[str, list[Change]]


@dataclass
class Preview:
    """The dry run as it was shown, read back from ``ImportRun.preview``: the page shows it without
    parsing the file again (a large file is parsed once, by the worker)."""

    plans: list[ShownPlan]
    all_errors: list[RowError]
    all_warnings: list[RowError]
    is_empty: bool
    plan_digest: str

    def digest(self) -> str:
        return self.plan_digest


def _errors_data(errors: list[RowError]) -> list:
    return [[e.line, e.message, e.source] for e in errors]


def _preview_data(result: Result) -> dict:
    first = result.plans[0] if result.plans else None  # the page shows one school
    return {
        "digest": result.digest(),
        "is_empty": result.is_empty,
        "errors": _errors_data(result.all_errors),
        "warnings": _errors_data(result.all_warnings),
        "shown": (
            {name: [[c.key, c.name, c.line, c.changes] for c in rows] for name, rows in first.shown.items()}
            if first is not None
            else None
        ),
    }


def stored_preview(run: ImportRun) -> Preview | None:
    """The preview last made of ``run`` (None for a run from before previews were stored)."""
    data = run.preview
    if not data:
        return None
    shown = data["shown"]
    plans = []
    if shown is not None:
        rows = {
            name: [Change(key, who, line, [tuple(c) for c in changes]) for key, who, line, changes in items]
            for name, items in shown.items()
        }
        plans.append(ShownPlan(rows))
    return Preview(
        plans=plans,
        all_errors=[RowError(*e) for e in data["errors"]],
        all_warnings=[RowError(*e) for e in data["warnings"]],
        is_empty=data["is_empty"],
        plan_digest=data["digest"],
    )


def preview(
    *, school: School | None, board=None, user, filename: str, data: bytes, inline: bool = False
) -> tuple[ImportRun, Result | None]:
    """Park the file and make its dry run, remembering what it showed. A large file is read by the
    worker instead (``inline`` forces reading it here, as the command does): the result is then
    None and the run is ``READING`` until ``read_in_worker`` has run."""
    later = staging.is_large(data) and not inline
    upload = staging.park(
        kind=KIND,
        data=data,
        filename=filename,
        school=school,
        owner=user,
        lifetime=LIFETIME,
        keep=True,
        read_later=later,
    )
    run = ImportRun(
        school=school,
        board=board,
        created_by=user if getattr(user, "pk", None) else None,
        format=formats.detect(data) or "",
        filename=filename[:255],
        upload=upload,
    )
    if later:
        run.status = ImportRun.Status.READING
        run.save()
        from .tasks import read_import

        read_import.enqueue(run.pk)  # in this transaction: the worker sees the run once it is committed
        return run, None
    result = _plan(run, formats.parse(data, run.format or None))
    _remember(run, result)
    run.save()
    return run, result


def read_in_worker(run: ImportRun) -> Result:
    """The worker's half of ``preview`` for a large file, in the language of who uploaded it."""
    language = getattr(run.created_by, "language", "") or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            result = plan_run(run)
    except staging.Expired:
        run.status = ImportRun.Status.FAILED
        run.save(update_fields=["status"])
        raise
    _remember(run, result)
    run.save(update_fields=["summary", "digest", "status", "preview"])
    staging.mark_read(run.upload)
    return result


class PlanChanged(Exception):
    """The data changed since the preview: show the new one instead of applying."""

    def __init__(self, result: Result):
        super().__init__("plan changed")
        self.result = result


def _imported_tables() -> list[str]:
    """The tables an import writes in bulk (``applier.apply_plan``)."""
    models = [get_user_model(), Group, Student, Enrollment, Guardianship, StaffMembership]
    return [model._meta.db_table for model in models]


def apply_run(run: ImportRun, user, *, digest: str | None = None) -> Result:
    """Apply ``run`` all or nothing, once. ``digest`` is what the confirm form carried
    (``run.upload.digest_for(plan digest)``); without it, the plan last shown (the command).
    Raises ``PlanChanged`` (nothing written) when the file or the plan is no longer the one shown,
    ``staging.Expired`` when the file is gone; returns the result, with errors and nothing written
    when the file has any."""
    if run.upload is None:
        raise staging.Expired
    if digest is None:
        digest = run.upload.digest_for(run.digest)

    def write(result: Result) -> bool:
        if result.all_errors:
            return False
        for plan in result.plans:
            apply_plan(plan)
        # A whole school's people in one go: the audience queries of the next notices must not be
        # planned on the statistics of the tables before it (lib/db.py).
        analyze(_imported_tables())
        run.status = ImportRun.Status.APPLIED
        run.applied_at = timezone.now()
        run.summary = result.counts
        run.save(update_fields=["status", "applied_at", "summary"])
        for plan in result.plans:
            AuditEntry.record(user, "imports.applied", run, school=plan.school, **plan.counts)
            events.announce(events.IMPORT_FINISHED, school_id=plan.school.pk, import_id=run.pk, counts=plan.counts)
        return True

    done = staging.confirm(
        run.upload,
        digest=digest,
        make_plan=lambda data: _plan(run, formats.parse(data, run.format or None)),
        digest_of=Result.digest,
        write=write,
    )
    if done.outcome == "already":
        return Result(format=run.format)
    result = done.plan
    if done.outcome == "refused":
        run.status = ImportRun.Status.FAILED
        run.summary = result.counts
        run.save(update_fields=["status", "summary"])
    elif done.outcome == "changed":
        _remember(run, result)
        run.save(update_fields=["summary", "digest", "status", "preview"])
        raise PlanChanged(result)
    return result
