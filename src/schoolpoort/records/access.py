"""Who sees which part of a child's records, built from the building blocks of ``core.access``.

- guardian: their own current children; every part that is on, unless a closed period covers it
  today or (without parental authority) the school keeps that part from them;
- teacher: the pupils of the groups they teach this school year;
- administration, director: every current pupil of their school; board admin: of the board's schools.
Staff are never stopped by a closed period. The core module "records" must be switched on (and, for
guardians, not closed). Whatever a user may not see is a 404.

The results app (report cards, tests) builds on these pieces: ``student_for_part_or_404`` for its
pages, ``child_nav`` for the tabs and the ``records/base_child.html`` template."""

from __future__ import annotations

import datetime
from functools import wraps

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from schoolpoort.core.access import (
    NOTHING,
    guardian_student_ids,
    managed_school_ids,
    modules_for_schools,
    roles_of,
    taught_group_ids,
)
from schoolpoort.core.audit import read_parts
from schoolpoort.core.models import Enrollment, Guardianship, Student

from .models import ALL_PARTS, ClosedPeriod, Part, RecordsSettings

MODULE = "records"
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
    """Pupils whose records the user sees as staff."""
    if not _signed_in(user):
        return NOTHING
    taught = Enrollment.objects.filter(group_id__in=taught_group_ids(user, today)).values("student_id")
    return Q(school_id__in=managed_school_ids(user)) | Q(pk__in=taught)


def record_students_visible_to(user, today: datetime.date | None = None) -> QuerySet:
    """Current pupils whose records the user may open (some parts only, for some guardians)."""
    if not _signed_in(user):
        return Student.objects.none()
    return Student.objects.filter(archived_at__isnull=True).filter(
        staff_student_q(user, today) | Q(pk__in=guardian_student_ids(user))
    )


def record_students_editable_by(user, today: datetime.date | None = None) -> QuerySet:
    """Current pupils whose records the user keeps as staff (what they may edit is per part)."""
    return Student.objects.filter(archived_at__isnull=True).filter(staff_student_q(user, today))


def is_staff_for(user, student) -> bool:
    """Whether the user meets this pupil's records as staff (school office, director, board, or
    a teacher of the pupil's group); cached on the student object."""
    cache = student.__dict__.setdefault("_records_staff_for", {})
    if user.pk not in cache:
        roles = roles_of(user)
        if roles.administers(student.school):
            cache[user.pk] = True
        elif roles.is_staff_at(student.school):
            cache[user.pk] = Enrollment.objects.filter(student=student, group_id__in=taught_group_ids(user)).exists()
        else:
            cache[user.pk] = False
    return cache[user.pk]


def is_office_for(user, student) -> bool:
    """Administration, director or board admin of the pupil's school: they edit every part."""
    return roles_of(user).administers(student.school)


# --- Which parts ---------------------------------------------------------------------------------


def _guardian_state(user, student, today: datetime.date):
    """(has parental authority, closed periods in force) for a guardian; two queries, cached."""
    key = (user.pk, today)
    cache = student.__dict__.setdefault("_records_guardian_state", {})
    if key not in cache:
        authority = Guardianship.objects.filter(student=student, user=user, has_parental_authority=True).exists()
        closed = list(ClosedPeriod.objects.filter(school_id=student.school_id).in_force(today))
        cache[key] = (authority, closed)
    return cache[key]


def _module_usable(user, student, as_staff: bool, today: datetime.date) -> bool:
    (school_modules,) = modules_for_schools(user, [student.school], today)
    state = next(s for s in school_modules.states if s.info.code == MODULE)
    return state.enabled if as_staff else state.is_open


def visible_parts(user, student, today: datetime.date | None = None) -> list[str]:
    """The parts of this pupil's records the user may open today, in the order of ``Part``.
    Assumes the student is in ``record_students_visible_to(user)``."""
    today = _today(today)
    cache = student.__dict__.setdefault("_records_visible_parts", {})
    key = (user.pk, today)
    if key in cache:
        return cache[key]
    as_staff = is_staff_for(user, student)
    if not _module_usable(user, student, as_staff, today):
        parts: list[str] = []
    else:
        settings = settings_for(student.school)
        parts = [part for part in ALL_PARTS if settings.is_on(part)]
        if not as_staff:
            authority, closed = _guardian_state(user, student, today)
            parts = [part for part in parts if not any(period.closes(part) for period in closed)]
            if not authority:
                parts = [part for part in parts if settings.open_to_guardian_without_authority(part)]
    cache[key] = parts
    return parts


def closed_notices(user, student, today: datetime.date | None = None) -> list[ClosedPeriod]:
    """Closed periods in force that hide parts from this guardian (for a friendly notice)."""
    today = _today(today)
    if is_staff_for(user, student):
        return []
    _authority, closed = _guardian_state(user, student, today)
    return closed


def student_for_part_or_404(user, student_id: int, part: str, today: datetime.date | None = None) -> Student:
    """The pupil, if the user may open ``part`` of their records today; otherwise 404."""
    try:
        student = record_students_visible_to(user, today).select_related("school").get(pk=student_id)
    except (Student.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if part not in visible_parts(user, student, today):
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
