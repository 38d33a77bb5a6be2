"""Who sees which part of a child's records, for the pages. The rule itself lives in ``rules.py``
(as SQL, under the managers: ``Note.objects.visible_to(user)`` is already right); here the pages
read it: the tabs a user may open (``visible_parts``, one query), the pupil or a 404
(``student_for_part_or_404``), and what a page offers staff.

The results app (report cards, tests) builds on these pieces: ``student_for_part_or_404`` for its
pages, ``child_nav`` for the tabs and the ``records/base_child.html`` template."""

from __future__ import annotations

import datetime
from functools import wraps

from django.db.models import Case, Q, QuerySet, Value, When
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from schoolpoort.core.access import (
    guardian_student_ids,
    roles_of,
)
from schoolpoort.core.audit import read_parts
from schoolpoort.core.models import Student

from . import rules
from .models import ALL_PARTS, ClosedPeriod, Part, RecordsSettings

MODULE = rules.MODULE
read_parts(Part.choices)  # the labels of the guardian's "who at school viewed" page

# The page of each part; each takes the student's id. The results app provides its three.
PART_URL_NAMES = {
    Part.CARD: "records:card",
    Part.FAMILY: "records:family",
    Part.MEDICAL: "records:medical",
    Part.INVOICES: "records:invoices",
    Part.PLANS: "records:plans",
    Part.REPORT_CARDS: "results:report_cards",
    Part.METHOD_TESTS: "results:method_tests",
    Part.STANDARDISED_TESTS: "results:standardised_tests",
    Part.NOTES: "records:notes",
}


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def settings_for(school) -> RecordsSettings:
    """The school's records settings, made with the defaults on first use; cached on the school."""
    cached = getattr(school, "_records_settings", None)
    if cached is None:
        cached, _created = RecordsSettings.objects.get_or_create(school=school)
        school._records_settings = cached
    return cached


# --- Who -----------------------------------------------------------------------------------------


def staff_student_q(user, today: datetime.date | None = None) -> Q:
    """Pupils whose records the user keeps as staff (``rules.staff_students_q``)."""
    return rules.staff_students_q(user, today)


def record_students_visible_to(user, today: datetime.date | None = None) -> QuerySet:
    """Current pupils whose records the user may open (some parts only, for some guardians)."""
    if not _signed_in(user):
        return Student.objects.none()
    return Student.objects.filter(archived_at__isnull=True).filter(
        staff_student_q(user, today) | Q(pk__in=guardian_student_ids(user))
    )


def record_students_editable_by(user, today: datetime.date | None = None) -> QuerySet:
    """Current pupils whose records the user keeps as staff (what they may edit is per part)."""
    return Student.objects.filter(staff_student_q(user, today))


def is_staff_for(user, student) -> bool:
    """Whether the user meets this pupil's records as staff (school office, director, board, or
    a teacher of the pupil's group); cached on the student object (``student_for_part_or_404``
    reads it with the pupil)."""
    cache = student.__dict__.setdefault("_records_staff_for", {})
    if user.pk not in cache:
        kept = Student.objects.filter(pk=student.pk).filter(staff_student_q(user))
        cache[user.pk] = _signed_in(user) and kept.exists()
    return cache[user.pk]


def is_office_for(user, student) -> bool:
    """Administration, director or board admin of the pupil's school: they edit every part."""
    return roles_of(user).administers(student.school)


# --- Which parts ---------------------------------------------------------------------------------


def _with_parts(queryset: QuerySet, user, today: datetime.date) -> QuerySet:
    """Each pupil with a flag per part: whether ``rules.part_q`` lets the user open it."""
    def flag(q: Q):
        return Case(When(q, then=Value(True)), default=Value(False))

    flags = {f"_opens_{part}": flag(rules.part_q(user, part, today)) for part in ALL_PARTS}
    return queryset.annotate(_kept_by_staff=flag(rules.staff_students_q(user, today)), **flags)


def _remember_parts(student, user, today: datetime.date) -> list[str]:
    parts = [part for part in ALL_PARTS if getattr(student, f"_opens_{part}", False)]
    student.__dict__.setdefault("_records_visible_parts", {})[(user.pk, today)] = parts
    # Read in the same query: whether the pupil's records are the user's as staff.
    student.__dict__.setdefault("_records_staff_for", {})[user.pk] = bool(student._kept_by_staff)
    return parts


def visible_parts(user, student, today: datetime.date | None = None) -> list[str]:
    """The parts of this pupil's records the user may open today, in the order of ``Part``: one
    query (none after ``student_for_part_or_404``)."""
    today = _today(today)
    cached = student.__dict__.get("_records_visible_parts", {}).get((user.pk, today))
    if cached is not None:
        return cached
    if not _signed_in(user):
        return []
    flagged = _with_parts(Student.objects.filter(pk=student.pk), user, today).first()
    return _remember_parts(flagged, user, today) if flagged else []


def students_with_parts(user, today: datetime.date | None = None) -> QuerySet:
    """The pupils whose records the user opens, annotated so that ``opened_parts`` reads each
    one's parts without another query."""
    today = _today(today)
    return _with_parts(record_students_visible_to(user, today).select_related("school"), user, today)


def opened_parts(student, user, today: datetime.date | None = None) -> list[str]:
    """The parts of a pupil from ``students_with_parts`` the user may open, in the order of ``Part``."""
    return _remember_parts(student, user, _today(today))


def closed_notices(user, student, today: datetime.date | None = None) -> list[ClosedPeriod]:
    """Closed periods in force that hide parts from this guardian (for a friendly notice)."""
    today = _today(today)
    if is_staff_for(user, student):
        return []
    return list(ClosedPeriod.objects.filter(school_id=student.school_id).in_force(today))


def student_for_part_or_404(user, student_id: int, part: str, today: datetime.date | None = None) -> Student:
    """The pupil, if the user may open ``part`` of their records today; otherwise 404. One query,
    which also reads the tabs (``visible_parts``)."""
    today = _today(today)
    if not _signed_in(user):
        raise Http404
    try:
        student = _with_parts(Student.objects.select_related("school"), user, today).get(pk=student_id)
    except (Student.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if part not in _remember_parts(student, user, today):
        raise Http404
    return student


def note_staff_read(request, student, part: str) -> None:
    """Staff opening any part of a child's records (page or edit form) is audited through
    ``core.audit`` (the guardian sees who at school looked); the view carries ``audits_reads``.
    Guardians reading their own child's records are not logged."""
    if is_staff_for(request.user, student):
        request.reads.add([student], str(part), school=student.school_id)


# --- Pages ---------------------------------------------------------------------------------------


def no_store(view):
    """Record pages are never cached: ``never_cache`` sends
    ``Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private``."""
    return wraps(view)(never_cache(view))


def part_url(part: str, student) -> str | None:
    try:
        return reverse(PART_URL_NAMES[part], args=[student.pk])
    except NoReverseMatch:  # a part whose pages are not built (yet)
        return None


def child_nav(user, student, current_part: str, today: datetime.date | None = None) -> dict:
    """Context for ``records/base_child.html``: the child and one tab per part the user may open."""
    tabs = []
    for part in visible_parts(user, student, today):
        url = part_url(part, student)
        if url:
            tabs.append({"part": part, "label": Part(part).label, "url": url, "current": part == current_part})
    return {
        "student": student,
        "parts": tabs,
        "current_part": current_part,
        "records_as_staff": is_staff_for(user, student),
    }
