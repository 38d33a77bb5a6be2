"""Every staff read of sensitive data is audited: the one mechanism.

A read is one ``AuditEntry`` per pupil whose data the staff member saw (the pupil is the object,
``detail["part"]`` says what of it), so the guardian's "who at school viewed" page finds it by the
child. Modules declare the parts they audit with ``read_part`` (code and readable label, at import
of a module their URLconf loads, so every label is known when that page is served) and
write reads with ``audit_read`` (one insert, however many pupils), or, in a view, note them on
``request.reads`` under the ``audits_reads`` decorator: one insert per request, and only when the
page was actually shown (no entry for a 404 or an error).

Guardians reading their own child's data are not audited; the caller decides who reads as staff."""

from __future__ import annotations

from collections.abc import Iterable
from functools import wraps

from django.db.models import QuerySet

from .models import AuditEntry

# The action of every read; the records app wrote it before the mechanism moved here, and the
# guardian's page must keep showing those entries.
READ_ACTION = "records.view"
STUDENT_TYPE = "core.student"

_PART_LABELS: dict[str, object] = {}


def read_part(code: str, label) -> str:
    """Declare a part whose reads are audited, with the label the guardian sees (lazy)."""
    _PART_LABELS[code] = label
    return code


def read_parts(choices: Iterable[tuple[str, object]]) -> None:
    for code, label in choices:
        read_part(code, label)


def part_label(code: str) -> str:
    """The readable label of a part, or the code of one no module declares (any more)."""
    return str(_PART_LABELS.get(code, code))


def _pupils(students, school) -> list[tuple[int, int | None]]:
    """(student id, school id) of each pupil; one query for a queryset, none for objects."""
    if isinstance(students, QuerySet):
        return list(students.order_by().values_list("pk", "school_id").distinct())
    school_id = getattr(school, "pk", school)
    return [(student.pk, school_id or student.school_id) for student in students]


def _entries(actor, pupils, part: str, school=None) -> list[AuditEntry]:
    if not getattr(actor, "is_authenticated", False):
        return []
    school_id = getattr(school, "pk", school)
    seen: set[int] = set()
    entries = []
    for student_id, student_school_id in pupils:
        if student_id in seen:
            continue
        seen.add(student_id)
        entries.append(AuditEntry(
            actor=actor, school_id=school_id or student_school_id, action=READ_ACTION,
            object_type=STUDENT_TYPE, object_id=str(student_id), detail={"part": part},
        ))
    return entries


def audit_read(actor, students, part: str, *, school=None) -> int:
    """Write that ``actor`` (staff) saw ``part`` of these pupils: one row per pupil, one insert.
    ``students`` is a list of ``Student`` objects or a queryset of them (then one query more)."""
    entries = _entries(actor, _pupils(students, school), part, school)
    AuditEntry.objects.bulk_create(entries)
    return len(entries)


class Reads:
    """The reads one request noted; written together after a successful response."""

    def __init__(self, actor):
        self.actor = actor
        self._pending: list[AuditEntry] = []

    def add(self, students, part: str, *, school=None) -> None:
        self._pending += _entries(self.actor, _pupils(students, school), part, school)

    def write(self) -> int:
        entries, self._pending = self._pending, []
        AuditEntry.objects.bulk_create(entries)
        return len(entries)


def audits_reads(view):
    """For a staff view that shows sensitive data: gives it ``request.reads`` to note what it
    showed, and writes that in one insert when the response succeeds (below 400)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.reads = Reads(request.user)
        response = view(request, *args, **kwargs)
        if response.status_code < 400:
            request.reads.write()
        return response

    return wrapper


def reads_of(student_id: int):
    """Who at school read this pupil's data, newest first (a queryset: page through it, then
    ``label_parts`` on the page)."""
    return (
        AuditEntry.objects.filter(action=READ_ACTION, object_type=STUDENT_TYPE, object_id=str(student_id))
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )


def label_parts(entries) -> list[AuditEntry]:
    """The entries, each with a readable ``part_label``."""
    entries = list(entries)
    for entry in entries:
        entry.part_label = part_label(entry.detail.get("part", ""))
    return entries
