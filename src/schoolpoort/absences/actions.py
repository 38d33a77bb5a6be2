"""Actions on absences and leave that the pages and the API share. Each is atomic; notifications go
through ``notify()`` inside the same transaction, so they commit (or roll back) with the change.
Every function that depends on the clock takes ``now`` (default: the real time)."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from schoolpoort.core.models import AuditEntry, ModuleSwitch, Student
from schoolpoort.core.versions import content_changed
from schoolpoort.lib import events

from . import notifications
from .access import MODULE
from .models import Absence, AbsenceSettings, AttendanceMark, LeaveRequest, UnexplainedAbsenceAlert
from .schooldays import school_days
from .uploads import Statement


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _today(now: datetime.datetime | None) -> datetime.date:
    return timezone.localdate(_now(now))


# --- Absences ---------------------------------------------------------------------------------


@transaction.atomic
def report_absence(
    actor,
    student: Student,
    *,
    reason: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    from_time: datetime.time | None = None,
    until_time: datetime.time | None = None,
    note: str = "",
    source: str = Absence.Source.GUARDIAN,
    now: datetime.datetime | None = None,
) -> Absence:
    """Record an absence (checked by the form) and tell the other guardians, the teachers and the
    administration. A sickness without a last day stays open until someone reports the child
    better; any other absence without a last day is for one day. Staff registrations count as
    confirmed."""
    now = _now(now)
    if from_time is not None or (ends_on is None and reason != Absence.Reason.SICK):
        ends_on = starts_on
    by_staff = source == Absence.Source.STAFF
    late = (
        not by_staff
        and starts_on == _today(now)
        and AbsenceSettings.for_school(student.school_id).is_past_cutoff(now)
    )
    absence = Absence.objects.create(
        student=student,
        school_id=student.school_id,
        reason=reason,
        starts_on=starts_on,
        ends_on=ends_on,
        from_time=from_time,
        until_time=until_time,
        note=note.strip(),
        source=source,
        reported_by=actor,
        after_cutoff=late,
        confirmed_by=actor if by_staff else None,
        confirmed_at=now if by_staff else None,
    )
    if by_staff:
        AuditEntry.record(actor, "absences.registered", absence, school=student.school, student=student.pk)
    notifications.absence_reported(absence, actor)
    events.announce(  # the school's systems (webhooks): ids and days, never the note
        events.ABSENCE_REPORTED, school_id=absence.school_id, absence_id=absence.pk, student_id=student.pk,
        student_number=student.sis_id, reason=reason, starts_on=starts_on, ends_on=ends_on, source=source,
    )
    return absence


@transaction.atomic
def report_better(absence: Absence, actor, *, back_today: bool = True, now: datetime.datetime | None = None) -> bool:
    """The child is better: back at school today (the sickness ended yesterday) or tomorrow (it
    ends today). Only an open sickness; returns whether it was open."""
    locked = Absence.objects.select_for_update().get(pk=absence.pk)
    if not locked.is_open:
        return False
    today = _today(now)
    last_day = today - datetime.timedelta(days=1) if back_today else today
    locked.ends_on = max(locked.starts_on, last_day)
    locked.better_reported_at = _now(now)
    locked.better_reported_by = actor
    locked.save(update_fields=["ends_on", "better_reported_at", "better_reported_by"])
    absence.ends_on, absence.better_reported_at = locked.ends_on, locked.better_reported_at
    absence.better_reported_by = actor
    notifications.absence_better(absence, actor)
    return True


@transaction.atomic
def confirm_absence(absence: Absence, actor, now: datetime.datetime | None = None) -> bool:
    """Staff have seen the report; the parents see that it arrived. Returns whether it was new."""
    now = _now(now)
    updated = Absence.objects.filter(pk=absence.pk, confirmed_at__isnull=True).update(
        confirmed_by=actor, confirmed_at=now
    )
    content_changed("absences")  # update() passes the signals (absences/signals.py)
    if updated:
        absence.confirmed_by, absence.confirmed_at = actor, now
    return bool(updated)


# --- Marked absent by the teacher, and the unexplained-absence check ----------------------------


@transaction.atomic
def mark_absent(actor, student: Student, day: datetime.date | None = None, now=None) -> AttendanceMark:
    """The teacher does not see the child in class. At the school's check time (at once when that
    has passed) a task looks whether anyone reported the absence."""
    day = day or _today(now)
    mark, created = AttendanceMark.objects.get_or_create(
        student=student, date=day, defaults={"school_id": student.school_id, "marked_by": actor}
    )
    if created:
        schedule_check(student, day)
    return mark


@transaction.atomic
def unmark_absent(student: Student, day: datetime.date | None = None, now=None) -> bool:
    """The child turned up after all: the check finds no mark and does nothing."""
    deleted, _by_model = AttendanceMark.objects.filter(student=student, date=day or _today(now)).delete()
    return bool(deleted)


def schedule_check(student: Student, day: datetime.date, settings_row: AbsenceSettings | None = None) -> None:
    from .tasks import check_unexplained_absence

    settings_row = settings_row or AbsenceSettings.for_school(student.school_id)
    task = check_unexplained_absence.using(run_after=settings_row.check_at(day), queue_name="urgent", priority=50)
    task.enqueue(student.pk, day.isoformat())


def is_explained(student: Student, day: datetime.date) -> bool:
    """A report (by a parent or the school) or approved leave covers the day."""
    if Absence.objects.on(day).filter(student=student).exists():
        return True
    return LeaveRequest.objects.filter(
        student=student, status=LeaveRequest.Status.APPROVED, starts_on__lte=day, ends_on__gte=day
    ).exists()


def check_unexplained(student_id: int, day: datetime.date, now: datetime.datetime | None = None) -> bool:
    """The work of the check: an urgent message to the parents when the child is still marked
    absent without a report at the school's check time, the switch is on, and the day is today.
    Exactly once per child per day (a unique row). Returns whether it sent the message."""
    now = _now(now)
    student = Student.objects.select_related("school").filter(pk=student_id, archived_at__isnull=True).first()
    if student is None or _today(now) != day:
        return False
    settings_row = AbsenceSettings.for_school(student.school_id)
    if not settings_row.unexplained_alert:
        return False
    if not ModuleSwitch.objects.filter(school_id=student.school_id, module=MODULE, enabled=True).exists():
        return False
    if now < settings_row.check_at(day):  # the check time moved later since the mark: check then
        schedule_check(student, day, settings_row)
        return False
    if not AttendanceMark.objects.filter(student=student, date=day).exists() or is_explained(student, day):
        return False
    try:
        with transaction.atomic():
            UnexplainedAbsenceAlert.objects.create(student=student, school_id=student.school_id, date=day)
            notifications.unexplained_absence(student, day)
    except IntegrityError:  # another check sent it already
        return False
    return True


# --- Leave -------------------------------------------------------------------------------------


@transaction.atomic
def request_leave(
    actor,
    student: Student,
    *,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    reason: str,
    circumstance: str = "",
    statement: Statement | None = None,
) -> LeaveRequest:
    """Store a leave request (checked by the form against the rules) and tell the director."""
    leave = LeaveRequest(
        student=student,
        school_id=student.school_id,
        requested_by=actor,
        kind=kind,
        circumstance=circumstance if kind == LeaveRequest.Kind.CIRCUMSTANCES else "",
        starts_on=starts_on,
        ends_on=ends_on,
        school_days=school_days(starts_on, ends_on, student.school.region),
        reason=reason.strip(),
    )
    if statement is not None:
        leave.statement_name = statement.original_name
        leave.statement_type = statement.content_type
        leave.statement_size = statement.size
        leave.statement.save(statement.original_name, ContentFile(statement.data), save=False)
    leave.save()
    notifications.leave_requested(leave)
    return leave


@transaction.atomic
def decide_leave(leave: LeaveRequest, actor, *, approve: bool, reason: str = "", now=None) -> bool:
    """The director approves, or refuses with a reason (the form asks for it). Only a request
    that waits for a decision; returns whether it did."""
    now = _now(now)
    status = LeaveRequest.Status.APPROVED if approve else LeaveRequest.Status.REFUSED
    updated = LeaveRequest.objects.filter(pk=leave.pk, status=LeaveRequest.Status.REQUESTED).update(
        status=status, decided_by=actor, decided_at=now, decision_reason=reason.strip()
    )
    if not updated:
        return False
    leave.refresh_from_db()
    AuditEntry.record(actor, f"absences.leave_{status}", leave, school=leave.school, student=leave.student_id)
    notifications.leave_decided(leave)
    return True


@transaction.atomic
def withdraw_leave(leave: LeaveRequest, actor, now=None) -> bool:
    """The parent withdraws a request that waits for a decision, or approved leave that has not
    begun. Returns whether it did."""
    now = _now(now)
    if not leave.can_be_withdrawn(_today(now)):
        return False
    updated = LeaveRequest.objects.filter(pk=leave.pk, status=leave.status).update(
        status=LeaveRequest.Status.WITHDRAWN, withdrawn_at=now
    )
    if updated:
        leave.status, leave.withdrawn_at = LeaveRequest.Status.WITHDRAWN, now
    return bool(updated)
