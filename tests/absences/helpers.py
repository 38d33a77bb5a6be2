"""Helpers of the absence tests."""

import datetime

from django.core.management import call_command
from django.utils import timezone
from django_scopes import scope

from schoolpoort.absences import actions
from schoolpoort.absences.models import Absence, AbsenceSettings, LeaveRequest
from schoolpoort.absences.schooldays import full_school_week
from schoolpoort.core.models import ModuleClosure, ModuleSwitch
from schoolpoort.notify.models import Broadcast

EARLY = datetime.time(0, 0)  # a check or cut-off time that has always passed today
LATE = datetime.time(23, 59, 59)  # one that never has


def english(*users):
    """Pages in English: the assertions read the English strings (the Dutch catalogue comes later)."""
    for user in users:
        user.language = "en"
        user.save(update_fields=["language"])


def run_worker():
    with scope():  # as in the worker process: no scope until a task declares its own
        call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)


def set_times(school, *, cutoff=None, check=None, alert=None) -> AbsenceSettings:
    row = AbsenceSettings.for_school(school)
    if cutoff is not None:
        row.cutoff_time = cutoff
    if check is not None:
        row.check_time = check
    if alert is not None:
        row.unexplained_alert = alert
    row.save()
    return row


def module(school, enabled=True):
    ModuleSwitch.objects.filter(school=school, module="absences").update(enabled=enabled)


def close_module(school):
    today = timezone.localdate()
    ModuleClosure.objects.create(school=school, module="absences", starts_on=today, ends_on=today)


def report(user, student, *, reason=Absence.Reason.SICK, starts_on=None, ends_on=None, source="guardian", **extra):
    return actions.report_absence(
        user, student, reason=reason, starts_on=starts_on or timezone.localdate(), ends_on=ends_on, source=source,
        **extra,
    )


def recipients(key: str) -> dict[int, str]:
    """Recipient id → title of every broadcast with this key."""
    result = {}
    for broadcast in Broadcast.objects.filter(key=key):
        for user_id in broadcast.recipient_ids:
            result[user_id] = broadcast.title
    return result


def holiday_week(school, today=None, weeks_ahead=10) -> tuple[datetime.date, datetime.date]:
    """A Monday-to-Friday of five school days, ``weeks_ahead`` weeks or more from today, outside the
    first weeks of a school year: valid holiday leave."""
    today = today or timezone.localdate()
    return full_school_week(today + datetime.timedelta(weeks=weeks_ahead), school.region)


def leave(user, student, *, status=LeaveRequest.Status.REQUESTED, kind=LeaveRequest.Kind.HOLIDAY, days=None,
          **fields) -> LeaveRequest:
    first, last = days or holiday_week(student.school)
    return LeaveRequest.objects.create(
        student=student, school=student.school, requested_by=user, kind=kind, starts_on=first, ends_on=last,
        reason=fields.pop("reason", "Seizoenswerk"), status=status, **fields,
    )
