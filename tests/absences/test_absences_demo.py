"""The demo's absences (DEMO.md): pupils away today in groep 3 and 6 of De Regenboog and groep 5 of
De Ark, four weeks of history, one open sickness, one pending holiday-leave request that keeps the
rules; the leave requests told, no tasks of absences; nothing for Daan Smit today."""

import datetime

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from schoolpoort.absences.lists import group_day
from schoolpoort.absences.models import Absence, AbsenceSettings, AttendanceMark, LeaveRequest
from schoolpoort.absences.rules import leave_problems
from schoolpoort.lib.demo import ARK, REGENBOOG
from schoolpoort.notify.models import Broadcast


def test_pupils_are_away_today_in_the_three_groups(demo):
    today = timezone.localdate()
    away = {key: [row for row in group_day(demo.groups[key], today) if row.is_away]
            for key in [(REGENBOOG, "3"), (REGENBOOG, "6"), (ARK, "5")]}
    assert all(away.values())
    assert {row.status for row in away[REGENBOOG, "6"]} == {"reported", "unexplained"}
    daan = demo.students["Daan Smit"]
    assert not Absence.objects.on(today).filter(student=daan).exists()
    assert not AttendanceMark.objects.filter(student=daan).exists()


def test_noor_is_sick_until_a_parent_reports_her_better(demo):
    (open_sickness,) = Absence.objects.filter(ends_on__isnull=True)
    assert open_sickness.student == demo.students["Noor Jansen"] and open_sickness.reason == "sick"
    assert open_sickness.reported_by == demo.users["jansen@ouders.example"]


def test_there_are_weeks_of_history_mostly_confirmed_and_without_overlaps(demo):
    today = timezone.localdate()
    past = Absence.objects.filter(starts_on__lt=today - datetime.timedelta(days=1))
    assert past.count() >= 15 and past.filter(starts_on__lt=today - datetime.timedelta(weeks=2)).exists()
    assert past.filter(confirmed_at__isnull=False).count() > past.count() / 2
    for absence in Absence.objects.all():
        others = Absence.objects.filter(student=absence.student).exclude(pk=absence.pk)
        assert not others.overlapping(absence.starts_on, absence.ends_on).exists(), absence


def test_the_pending_holiday_leave_keeps_the_rules(demo):
    (pending,) = LeaveRequest.objects.filter(status="requested")
    assert pending.student == demo.students["Yasmina El Moussaoui"] and pending.kind == "holiday"
    assert pending.requested_by == demo.users["elmoussaoui@ouders.example"]
    assert pending.statement.read().startswith(b"%PDF-")
    assert leave_problems(student=pending.student, kind=pending.kind, starts_on=pending.starts_on,
                          ends_on=pending.ends_on, has_statement=True, exclude_pk=pending.pk) == []


def test_the_demo_tells_of_its_leave_requests_and_both_schools_have_settings(demo):
    # Issue 15: the notification centre shows the demo's items (the leave asked and the one decided).
    broadcasts = Broadcast.objects.filter(module="absences")
    assert broadcasts.count() >= 2 and all(b.fanned_out_at for b in broadcasts)
    assert not DBTaskResult.objects.filter(task_path__startswith="schoolpoort.absences").exists()
    assert AbsenceSettings.objects.count() == 2
