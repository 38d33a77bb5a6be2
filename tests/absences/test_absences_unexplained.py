"""Unexplained absence: a pupil the teacher marked absent, with no report by the school's check
time, brings an urgent message to the parents at once (a switch per school), exactly once per child
per day. The checks run in the real task worker."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from schoolpoort.absences import actions
from schoolpoort.absences.models import LeaveRequest, UnexplainedAbsenceAlert
from schoolpoort.core.models import Guardianship
from schoolpoort.notify.models import Broadcast, Notification
from tests.absences.helpers import EARLY, LATE, english, leave, module, report, run_worker, set_times
from tests.world import build_world

pytestmark = pytest.mark.django_db(transaction=True)  # the worker closes the connection


@pytest.fixture
def world():
    return build_world()


def alerts(world, role="guardian"):
    return list(Notification.objects.filter(recipient=world.users[role], key__startswith="absences.unexplained:"))


def mark_in_class(client, world, student=None):
    """The teacher marks the pupil absent on the group's list of today, as on the page."""
    client.force_login(world.users["teacher"])
    student = student or world.child
    response = client.post(reverse("absences:mark", args=[world.group3.pk, student.pk]), {"absent": "1"})
    assert response.status_code == 302


def test_marked_absent_without_a_report_brings_one_urgent_message_to_both_parents(client, world):
    set_times(world.school, check=EARLY)
    english(world.users["guardian"])
    mark_in_class(client, world)
    run_worker()
    for role in ("guardian", "other_guardian"):
        (notification,) = alerts(world, role)
        assert notification.urgent
        assert notification.url == reverse("absences:report") + f"?kind={world.child.pk}"
    assert alerts(world)[0].title == "Noor is not at school and we have no report. Please contact the school."
    assert not alerts(world, "teacher") and not alerts(world, "guardian_other_group")
    assert UnexplainedAbsenceAlert.objects.filter(student=world.child, date=timezone.localdate()).count() == 1


def test_the_message_is_urgent_so_it_skips_quiet_hours_and_preferences(client, world):
    set_times(world.school, check=EARLY)
    mark_in_class(client, world)
    run_worker()
    broadcast = Broadcast.objects.get(key__startswith="absences.unexplained:")
    assert broadcast.urgent and broadcast.module == "absences" and broadcast.school_id == world.school.pk


def test_with_a_report_by_the_check_time_nobody_is_messaged(client, world):
    set_times(world.school, check=EARLY)
    report(world.users["other_guardian"], world.child)
    mark_in_class(client, world)
    run_worker()
    assert not alerts(world) and not UnexplainedAbsenceAlert.objects.exists()


def test_a_report_by_the_school_explains_it_too(client, world):
    set_times(world.school, check=EARLY)
    report(world.users["administration"], world.child, reason="other", source="staff")
    mark_in_class(client, world)
    run_worker()
    assert not alerts(world)


def test_approved_leave_explains_it(client, world):
    set_times(world.school, check=EARLY)
    today = timezone.localdate()
    leave(world.users["guardian"], world.child, status=LeaveRequest.Status.APPROVED, days=(today, today))
    mark_in_class(client, world)
    run_worker()
    assert not alerts(world)


def test_with_the_switch_off_nobody_is_messaged(client, world):
    set_times(world.school, check=EARLY, alert=False)
    mark_in_class(client, world)
    run_worker()
    assert not alerts(world) and not UnexplainedAbsenceAlert.objects.exists()


def test_with_the_module_switched_off_since_the_mark_nobody_is_messaged(client, world):
    set_times(world.school, check=EARLY)
    mark_in_class(client, world)
    module(world.school, enabled=False)
    run_worker()
    assert not alerts(world)


def test_a_mark_taken_back_before_the_check_sends_nothing(client, world):
    set_times(world.school, check=EARLY)
    actions.mark_absent(world.users["teacher"], world.child)
    actions.unmark_absent(world.child)
    run_worker()
    assert not alerts(world)


def test_nothing_goes_out_before_the_check_time(client, world):
    set_times(world.school, check=LATE)
    mark_in_class(client, world)
    run_worker()
    assert not alerts(world)
    task = DBTaskResult.objects.get(task_path__endswith="check_unexplained_absence")
    assert task.status == "READY" and task.run_after == datetime.datetime.combine(
        timezone.localdate(), LATE, tzinfo=timezone.get_default_timezone()
    )


def test_the_check_itself_sends_at_the_check_time_and_not_a_minute_before(world):
    settings_row = set_times(world.school, check=datetime.time(9, 0))
    today = timezone.localdate()
    actions.mark_absent(world.users["teacher"], world.child)
    check_at = settings_row.check_at(today)
    assert not actions.check_unexplained(world.child.pk, today, now=check_at - datetime.timedelta(minutes=1))
    assert actions.check_unexplained(world.child.pk, today, now=check_at)


def test_exactly_once_per_child_per_day(client, world):
    set_times(world.school, check=EARLY)
    mark_in_class(client, world)
    actions.unmark_absent(world.child)
    mark_in_class(client, world)  # a second mark: a second check
    actions.schedule_check(world.child, timezone.localdate())  # and a third
    run_worker()
    assert DBTaskResult.objects.filter(task_path__endswith="check_unexplained_absence").count() == 3
    assert len(alerts(world)) == 1 and len(alerts(world, "other_guardian")) == 1
    assert not actions.check_unexplained(world.child.pk, timezone.localdate())
    assert UnexplainedAbsenceAlert.objects.count() == 1


def test_a_check_that_runs_on_a_later_day_sends_nothing(world):
    set_times(world.school, check=EARLY)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    actions.mark_absent(world.users["teacher"], world.child, day=yesterday)
    assert not actions.check_unexplained(world.child.pk, yesterday)


def test_a_guardian_kept_from_class_pages_without_authority_gets_no_message(client, world):
    set_times(world.school, check=EARLY)
    Guardianship.objects.filter(user=world.users["other_guardian"]).update(
        has_parental_authority=False, sees_class_pages=False
    )
    mark_in_class(client, world)
    run_worker()
    assert len(alerts(world)) == 1 and not alerts(world, "other_guardian")


def test_a_later_check_time_moves_the_check(world):
    settings_row = set_times(world.school, check=EARLY)
    actions.mark_absent(world.users["teacher"], world.child)
    settings_row.check_time = LATE
    settings_row.save()
    run_worker()  # the check finds the time moved: it checks again then
    assert not UnexplainedAbsenceAlert.objects.exists()
    assert DBTaskResult.objects.filter(task_path__endswith="check_unexplained_absence", status="READY").count() == 1
