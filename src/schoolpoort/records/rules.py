"""The one home of who may open which part of a child's records, as SQL: every ``visible_to`` of
the records' and the results' rows is built from ``part_student_q``, and so are the pages' tabs
and their 404 (``access.visible_parts``, ``access.student_for_part_or_404``).

- guardian: their own current children, where the records module is open at the school
  (switched on, not closed for a period); a part that is on, unless a closed period covers it
  today or, without parental authority, the school keeps that part from them;
- staff: the pupils of the groups they teach this school year; administration and director: every
  current pupil of their school; board admin: of the board's schools. Where the module is switched
  on; closed periods never stop them.

No settings row for a school means the defaults (``RecordsSettings``): every part on, and the
parts of ``DEFAULT_WITHOUT_AUTHORITY`` open to guardians without authority.

Imports no models at load time: ``records.models`` and ``results.models`` build their managers on it."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from schoolpoort.core.access import NOTHING, SubqueryIds

MODULE = "records"
CARD = "card"  # the root of the records: on whenever the module is
# Parts a guardian without parental authority sees while the school has not chosen otherwise.
DEFAULT_WITHOUT_AUTHORITY = ("card", "report_cards", "method_tests", "standardised_tests")


def _model(name: str):
    return apps.get_model("records", name)


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _holding(queryset, field: str, part: str):
    """Rows whose JSON list ``field`` holds ``part``. Part codes are plain words, so the quoted code
    in the list's text is an exact match, the same on SQLite (no JSON containment lookup there)
    and PostgreSQL."""
    return queryset.annotate(**{f"{field}_text": Cast(field, TextField())}), {f"{field}_text__contains": f'"{part}"'}


def _settings_rows(school_ref: str = "school_id"):
    return _model("RecordsSettings").objects.filter(school_id=OuterRef(school_ref))


def part_on_q(part: str, school_ref: str = "school_id") -> Q:
    """The part is switched on at the school (no settings row: every part is)."""
    if part == CARD:
        return Q()
    rows, holds = _holding(_settings_rows(school_ref), "parts_on", part)
    return ~Exists(rows.exclude(**holds))


def _open_without_authority_q(part: str) -> Q:
    rows, holds = _holding(_settings_rows(), "parts_without_authority", part)
    if part in DEFAULT_WITHOUT_AUTHORITY:
        return ~Exists(rows.exclude(**holds))
    return Exists(rows.filter(**holds))


def _closed_q(part: str, today: datetime.date) -> Q:
    rows, holds = _holding(
        _model("ClosedPeriod").objects.filter(
            school_id=OuterRef("school_id"), starts_on__lte=today, ends_on__gte=today
        ),
        "parts",
        part,
    )
    return Exists(rows.filter(**holds))


def staff_students_q(user, today: datetime.date | None = None) -> Q:
    """Pupils whose records the user keeps as staff (what they may edit is per part)."""
    ids = SubqueryIds(user, today)
    if not ids.signed_in:
        return NOTHING
    taught = apps.get_model("core", "Enrollment").objects.filter(group_id__in=ids.taught_groups).values("student_id")
    return Q(archived_at__isnull=True) & (Q(school_id__in=ids.managed_schools) | Q(pk__in=taught))


def staff_part_q(user, part: str, today: datetime.date | None = None) -> Q:
    """Pupils (``core.Student``) of whom the user opens ``part`` as staff."""
    ids = SubqueryIds(user, today)
    if not ids.signed_in:
        return NOTHING
    return staff_students_q(user, today) & Q(school_id__in=ids.switched_on_schools(MODULE)) & part_on_q(part)


def guardian_part_q(user, part: str, today: datetime.date | None = None) -> Q:
    """Pupils (``core.Student``) of whom the user opens ``part`` as guardian."""
    today = _today(today)
    ids = SubqueryIds(user, today)
    if not ids.signed_in:
        return NOTHING
    authority = apps.get_model("core", "Guardianship").objects.filter(
        student_id=OuterRef("pk"), user=user, has_parental_authority=True
    )
    return (
        Q(pk__in=ids.children, school_id__in=ids.open_schools(MODULE))
        & part_on_q(part)
        & ~_closed_q(part, today)
        & (Exists(authority) | _open_without_authority_q(part))
    )


def part_q(user, part: str, today: datetime.date | None = None) -> Q:
    """Pupils (``core.Student``) of whom the user may open ``part`` today."""
    return staff_part_q(user, part, today) | guardian_part_q(user, part, today)


def students(q: Q):
    """``q`` as a subquery of pupil ids, for the rows of a part: ``student_id__in=students(q)``."""
    return apps.get_model("core", "Student").objects.filter(q).values("pk")


def guardian_rows_q(user, part: str, today: datetime.date | None = None, guardian_q: Q | None = None) -> Q:
    """Rows of ``part`` (with a ``student`` key) the user sees as guardian: of the children whose
    ``part`` they may open, the rows ``guardian_q`` lets through (all by default)."""
    as_guardian = Q(student_id__in=students(guardian_part_q(user, part, today)))
    return as_guardian & guardian_q if guardian_q is not None else as_guardian


def part_rows_q(user, part: str, today: datetime.date | None = None, guardian_q: Q | None = None) -> Q:
    """Rows of ``part`` the user may see: every row of the pupils they keep as staff, and
    ``guardian_rows_q`` of their children."""
    return Q(student_id__in=students(staff_part_q(user, part, today))) | guardian_rows_q(user, part, today, guardian_q)


# --- What guardians see of a part beyond opening it (staff see every row) ---------------------


def guardian_plans_q() -> Q:
    """Support plans from the school's ``plans_visible_from`` on."""
    later_start = _settings_rows("student__school_id").filter(plans_visible_from__gt=OuterRef("starts_on"))
    return ~Exists(later_start)


def guardian_notes_q() -> Q:
    """Notes in categories open to guardians, dated from the school's ``notes_visible_from`` on."""
    later_start = _settings_rows("student__school_id").filter(notes_visible_from__gt=OuterRef("date"))
    return Q(category__open_to_guardians=True) & ~Exists(later_start)


def guardian_invoices_q() -> Q:
    return ~Q(status="cancelled")
