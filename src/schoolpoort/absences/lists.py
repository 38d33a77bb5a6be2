"""The lists of a day for staff: per group (every pupil with what is known about them today) and per
school (who is away, by group). Each costs a fixed number of queries, whatever the number of pupils."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from schoolpoort.core.models import Enrollment, Group, School, Student

from .access import staff_group_q, usable_school_ids
from .models import Absence, AttendanceMark, LeaveRequest, UnexplainedAbsenceAlert


@dataclass
class PupilDay:
    student: Student
    absence: Absence | None = None
    leave: LeaveRequest | None = None
    mark: AttendanceMark | None = None
    alerted: bool = False  # the parents got the unexplained-absence message
    group_names: str = ""

    @property
    def status(self) -> str:
        if self.absence is not None:
            return "reported"
        if self.leave is not None:
            return "leave"
        if self.mark is not None:
            return "unexplained"
        return "present"

    @property
    def is_away(self) -> bool:
        return self.status != "present"


def day_rows(students: list[Student], day: datetime.date) -> list[PupilDay]:
    """What is known about each pupil on ``day``: three queries (absences, leave, marks with alerts)."""
    ids = [student.pk for student in students]
    absences: dict[int, Absence] = {}
    for absence in (
        Absence.objects.on(day).filter(student_id__in=ids).select_related("reported_by", "confirmed_by")
        .order_by("starts_on", "pk")
    ):
        absences.setdefault(absence.student_id, absence)
    leaves = {
        leave.student_id: leave
        for leave in LeaveRequest.objects.filter(
            student_id__in=ids, status=LeaveRequest.Status.APPROVED, starts_on__lte=day, ends_on__gte=day
        )
    }
    marks = {mark.student_id: mark for mark in AttendanceMark.objects.filter(student_id__in=ids, date=day)}
    alerted = set(
        UnexplainedAbsenceAlert.objects.filter(student_id__in=ids, date=day).values_list("student_id", flat=True)
    )
    return [
        PupilDay(student, absences.get(student.pk), leaves.get(student.pk), marks.get(student.pk),
                 student.pk in alerted)
        for student in students
    ]


def group_day(group: Group, day: datetime.date) -> list[PupilDay]:
    """Every pupil of the group, those who are away first."""
    students = list(
        Student.objects.filter(enrollments__group=group, archived_at__isnull=True).order_by("first_name", "last_name")
    )
    rows = day_rows(students, day)
    return sorted(rows, key=lambda row: not row.is_away)


@dataclass
class GroupSection:
    name: str
    rows: list[PupilDay] = field(default_factory=list)


def school_day(school: School, day: datetime.date) -> list[GroupSection]:
    """The pupils of the school who are away on ``day`` (reported, on leave or marked absent), by group."""
    away = (
        Q(absences__in=Absence.objects.on(day))
        | Q(leave_requests__status=LeaveRequest.Status.APPROVED, leave_requests__starts_on__lte=day,
            leave_requests__ends_on__gte=day)
        | Q(attendance_marks__date=day)
    )
    students = list(
        Student.objects.filter(away, school=school).distinct().order_by("first_name", "last_name")
    )
    rows = day_rows(students, day)
    groups: dict[int, list[str]] = {}
    enrollments = Enrollment.objects.filter(
        student_id__in=[s.pk for s in students], group__in=Group.objects.current(day)
    ).select_related("group")
    for enrollment in enrollments.order_by("group__grades", "group__name"):
        groups.setdefault(enrollment.student_id, []).append(enrollment.group.name)
    sections: dict[str, GroupSection] = {}
    for row in rows:
        row.group_names = ", ".join(groups.get(row.student.pk, []))
        sections.setdefault(row.group_names, GroupSection(row.group_names)).rows.append(row)
    return [sections[name] for name in sorted(sections, key=lambda name: (name == "", _natural(name)))]


def _natural(name: str) -> list:
    return [int(part) if part.isdigit() else part for part in name.replace("/", " ").split()]


def taught_group_counts(user, today: datetime.date | None = None) -> list[Group]:
    """The user's current groups where absences are switched on, each with ``away``: the number
    of pupils reported absent today (one query)."""
    today = today or timezone.localdate()
    on_today = Q(enrollments__student__absences__starts_on__lte=today) & (
        Q(enrollments__student__absences__ends_on__isnull=True)
        | Q(enrollments__student__absences__ends_on__gte=today)
    )
    return list(
        Group.objects.current(today)
        .filter(staff_group_q(user), teachers=user)
        .select_related("school")
        .annotate(away=Count("enrollments__student", filter=on_today, distinct=True))
        .order_by("school__name", "grades", "name")
    )


def school_counts(user, school_ids, today: datetime.date | None = None) -> list[School]:
    """The given schools, each with ``away``: pupils reported absent today (one query)."""
    today = today or timezone.localdate()
    on_today = Q(absences__starts_on__lte=today) & (Q(absences__ends_on__isnull=True) | Q(absences__ends_on__gte=today))
    return list(
        School.objects.filter(pk__in=school_ids, id__in=usable_school_ids(user))
        .annotate(away=Count("absences__student", filter=on_today, distinct=True))
        .order_by("name")
    )
