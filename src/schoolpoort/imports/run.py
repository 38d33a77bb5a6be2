"""The actions the page and the ``import_sis`` command share: keep a file and show its dry run
(``preview``), and apply it (``apply_run``): re-read the kept file, re-plan inside one transaction,
write only when there are no errors and the plan is still the one that was shown."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schoolpoort.core.models import AuditEntry, School

from . import formats
from .applier import apply_plan
from .csvfile import RowError
from .dataset import Dataset
from .models import ImportRun
from .planner import SchoolPlan, plan_school


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


def read_run(run: ImportRun) -> Dataset:
    with run.file.open("rb") as handle:
        data = handle.read()
    return formats.parse(data, run.format or None)


def plan_run(run: ImportRun) -> Result:
    return plan_dataset(read_run(run), school=run.school, board=run.board if run.school_id is None else None)


def preview(*, school: School | None, board=None, user, filename: str, data: bytes) -> tuple[ImportRun, Result]:
    """Keep the file, make its dry run, and remember what it showed."""
    fmt = formats.detect(data) or ""
    run = ImportRun(
        school=school,
        board=board,
        created_by=user if getattr(user, "pk", None) else None,
        format=fmt,
        filename=filename[:255],
    )
    run.file.save(filename, ContentFile(data), save=False)
    result = plan_dataset(formats.parse(data, fmt or None), school=school, board=board)
    run.summary = result.counts
    run.digest = result.digest()
    run.status = ImportRun.Status.FAILED if result.all_errors else ImportRun.Status.PREVIEWED
    run.save()
    return run, result


class PlanChanged(Exception):
    """The data changed since the preview: show the new one instead of applying."""

    def __init__(self, result: Result):
        super().__init__("plan changed")
        self.result = result


def apply_run(run: ImportRun, user, *, digest: str | None = None) -> Result:
    """Apply ``run`` all or nothing. Raises ``PlanChanged`` (nothing written) when ``digest`` is
    given and the plan is no longer the one shown; returns the result, with errors and nothing
    written when the file has any."""
    with transaction.atomic():
        # Lock the run: two clicks on "apply" apply once.
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.status == ImportRun.Status.APPLIED:
            return plan_run(run)  # already done: now an empty plan
        result = plan_run(run)
        if result.all_errors:
            run.status = ImportRun.Status.FAILED
            run.summary = result.counts
            run.save(update_fields=["status", "summary"])
            return result
        if digest is not None and digest != result.digest():
            changed = result
        else:
            changed = None
            for plan in result.plans:
                apply_plan(plan)
            run.status = ImportRun.Status.APPLIED
            run.applied_at = timezone.now()
            run.summary = result.counts
            run.save(update_fields=["status", "applied_at", "summary"])
            for plan in result.plans:
                AuditEntry.record(user, "imports.applied", run, school=plan.school, **plan.counts)
    if changed is not None:
        run.summary = changed.counts
        run.digest = changed.digest()
        run.save(update_fields=["summary", "digest"])
        raise PlanChanged(changed)
    return result
