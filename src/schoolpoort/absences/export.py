"""CSV export of a school's absences and approved leave for the school administration system (e.g.
ParnasSys, ESIS): one row per absence or leave that overlaps the period, with the pupil number the
administration system knows. Every export is written to the audit log."""

from __future__ import annotations

import datetime
import io

from django.utils import timezone
from django.utils.translation import gettext_lazy

from schoolpoort.core.audit import audit_read, read_part
from schoolpoort.core.models import AuditEntry, Enrollment, Student
from schoolpoort.lib.csv import spreadsheet_writer

from .models import Absence, LeaveRequest

COLUMNS = [
    "pupil_number", "last_name", "infix", "first_name", "group", "kind", "reason", "first_day", "last_day",
    "from_time", "until_time", "source", "reported_at", "confirmed_at", "note",
]
EXPORT = read_part("absences_export", gettext_lazy("Absences (export)"))


def _cell(value) -> str:
    """A value as one line of text (the writer makes formulas harmless: lib/csv.py)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()[:5] if isinstance(value, datetime.time) else value.isoformat()
    return " ".join(str(value).split())


def _groups_by_student(school, student_ids) -> dict[int, list[tuple[datetime.date, datetime.date, str]]]:
    groups: dict[int, list[tuple[datetime.date, datetime.date, str]]] = {}
    enrollments = Enrollment.objects.filter(student_id__in=student_ids, group__school=school).select_related(
        "group__school_year"
    )
    for enrollment in enrollments:
        year = enrollment.group.school_year
        groups.setdefault(enrollment.student_id, []).append((year.starts_on, year.ends_on, enrollment.group.name))
    return groups


def _group_on(groups, student_id: int, day: datetime.date) -> str:
    return ", ".join(sorted(name for first, last, name in groups.get(student_id, []) if first <= day <= last))


def rows(school, first: datetime.date, last: datetime.date) -> list[list[str]]:
    """The rows of the export (four queries), in the order of their first day."""
    return _rows_and_pupils(school, first, last)[0]


def _rows_and_pupils(school, first: datetime.date, last: datetime.date) -> tuple[list[list[str]], set[int]]:
    absences = list(Absence.objects.filter(school=school).overlapping(first, last).select_related("student"))
    leaves = list(
        LeaveRequest.objects.filter(school=school, status=LeaveRequest.Status.APPROVED)
        .overlapping(first, last).select_related("student")
    )
    pupils = {item.student_id for item in [*absences, *leaves]}
    groups = _groups_by_student(school, pupils)
    items = []
    for absence in absences:
        student = absence.student
        items.append((absence.starts_on, student.last_name, student.first_name, [
            student.sis_id, student.last_name, student.infix, student.first_name,
            _group_on(groups, student.pk, absence.starts_on), "absence", absence.reason, absence.starts_on,
            absence.ends_on, absence.from_time, absence.until_time, absence.source, absence.created_at,
            absence.confirmed_at, absence.note,
        ]))
    for leave in leaves:
        student = leave.student
        reason = f"{leave.kind}:{leave.circumstance}" if leave.circumstance else leave.kind
        items.append((leave.starts_on, student.last_name, student.first_name, [
            student.sis_id, student.last_name, student.infix, student.first_name,
            _group_on(groups, student.pk, leave.starts_on), "leave", reason, leave.starts_on, leave.ends_on,
            None, None, "guardian", leave.created_at, leave.decided_at, "",
        ]))
    items.sort(key=lambda item: item[:3])
    return [[_cell(value) for value in item[3]] for item in items], pupils


def export_csv(school, first: datetime.date, last: datetime.date, actor) -> tuple[str, int]:
    """The CSV text (UTF-8, comma-separated, a header row) and its number of rows; audited: the
    export itself, and a read of every pupil in it (``core.audit``, one insert)."""
    data, pupils = _rows_and_pupils(school, first, last)
    buffer = io.StringIO()
    writer = spreadsheet_writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(data)
    AuditEntry.record(actor, "absences.exported", school=school, school_id=school.pk, first=first.isoformat(),
                      last=last.isoformat(), rows=len(data))
    audit_read(actor, [Student(pk=pk, school_id=school.pk) for pk in sorted(pupils)], EXPORT, school=school)
    return buffer.getvalue(), len(data)
