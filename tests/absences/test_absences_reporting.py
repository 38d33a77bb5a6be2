"""A guardian reports a child absent: the form, the cut-off time, the open sickness that stays open
until a guardian reports the child better, and who hears about it (titles only)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from schoolpoort.absences import actions
from schoolpoort.absences.models import Absence, AbsenceSettings
from schoolpoort.absences.rules import late_report_notice
from schoolpoort.core.models import Guardianship, StaffMembership
from schoolpoort.notify.models import Notification
from tests.absences.helpers import EARLY, LATE, english, recipients, report, run_worker, set_times
from tests.factories import GuardianshipFactory, StaffMembershipFactory, UserFactory, enrolled_student

REPORT = reverse("absences:report")
AMSTERDAM = timezone.get_default_timezone()


def at(hour, minute, day=datetime.date(2026, 11, 23)):
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM)


def form_data(student, **fields):
    data = {"student": student.pk, "reason": "sick", "starts_on": timezone.localdate().isoformat(), "ends_on": "",
            "from_time": "", "until_time": "", "note": ""}
    return {**data, **fields}


# --- The report -----------------------------------------------------------------------------------


def test_a_guardian_reports_a_child_sick_and_it_stays_open(client, world):
    guardian = world.users["guardian"]
    client.force_login(guardian)
    response = client.post(REPORT, form_data(world.child, note="Koorts"))
    assert response.status_code == 302 and response["Location"] == reverse("absences:index")
    absence = Absence.objects.get(student=world.child)
    assert absence.reason == "sick" and absence.ends_on is None and absence.is_open
    assert absence.reported_by == guardian and absence.source == "guardian" and absence.note == "Koorts"
    assert absence.school == world.school and not absence.is_confirmed


def test_a_doctors_visit_without_a_last_day_is_for_that_day(world):
    absence = report(world.users["guardian"], world.child, reason="doctor")
    assert absence.ends_on == absence.starts_on and not absence.is_open


def test_part_of_a_day_is_stored_with_its_times(client, world):
    client.force_login(world.users["guardian"])
    client.post(REPORT, form_data(world.child, reason="doctor", from_time="10:00", until_time="11:30"))
    absence = Absence.objects.get(student=world.child)
    assert (absence.from_time, absence.until_time) == (datetime.time(10), datetime.time(11, 30))
    assert absence.ends_on == absence.starts_on


def test_a_span_of_days_is_stored(client, world):
    client.force_login(world.users["guardian"])
    today = timezone.localdate()
    later = (today + datetime.timedelta(days=2)).isoformat()
    client.post(REPORT, form_data(world.child, reason="other", ends_on=later))
    absence = Absence.objects.get(student=world.child)
    assert (absence.starts_on, absence.ends_on) == (today, today + datetime.timedelta(days=2))


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"starts_on": "days:-8"}, "starts_on", "up to 7 days back"),
        ({"starts_on": "days:61"}, "starts_on", "up to 60 days ahead"),
        ({"ends_on": "days:-1"}, "ends_on", "cannot be before the first day"),
        ({"from_time": "10:00"}, "until_time", "Give both times"),
        ({"from_time": "11:00", "until_time": "10:00"}, "until_time", "after the start time"),
        ({"from_time": "10:00", "until_time": "11:00", "ends_on": "days:2"}, "from_time", "one day only"),
        ({"reason": ""}, "reason", "Choose why"),
    ],
)
def test_a_report_with_a_mistake_says_what_and_keeps_what_was_typed(client, world, fields, field, message):
    english(world.users["guardian"])
    client.force_login(world.users["guardian"])
    today = timezone.localdate()
    values = {
        key: (today + datetime.timedelta(days=int(value[5:]))).isoformat() if value.startswith("days:") else value
        for key, value in fields.items()
    }
    response = client.post(REPORT, form_data(world.child, note="Mijn tekst blijft staan", **values))
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert "Mijn tekst blijft staan" in response.content.decode()
    assert not Absence.objects.exists()


def test_a_second_report_for_the_same_days_is_refused(client, world):
    report(world.users["other_guardian"], world.child)
    english(world.users["guardian"])
    client.force_login(world.users["guardian"])
    response = client.post(REPORT, form_data(world.child, reason="doctor"))
    assert response.status_code == 200
    assert "Noor has already been reported absent" in str(response.context["form"].non_field_errors())
    assert Absence.objects.count() == 1


def test_a_guardian_cannot_report_a_child_that_is_not_theirs(client, world):
    client.force_login(world.users["guardian"])
    response = client.post(REPORT, form_data(world.classmate_of_other_group))
    assert response.status_code == 200 and "student" in response.context["form"].errors
    assert not Absence.objects.exists()


def test_the_child_is_chosen_from_the_link_and_a_single_child_is_chosen_already(client, world):
    second = enrolled_student(world.group6, first_name="Sem")
    GuardianshipFactory(student=second, user=world.users["guardian"])
    client.force_login(world.users["guardian"])
    assert client.get(f"{REPORT}?kind={second.pk}").context["form"].initial["student"] == second.pk
    client.force_login(world.users["guardian_other_group"])
    assert client.get(REPORT).context["form"].initial["student"] == world.classmate_of_other_group.pk


# --- The cut-off time -----------------------------------------------------------------------------


def test_after_the_cut_off_the_notice_tells_to_call_the_school(world):
    world.school.phone = "030 123 45 67"
    settings_row = AbsenceSettings(school=world.school)  # 08:15 by default
    with translation.override("en"):
        assert late_report_notice(world.school, settings_row, at(8, 14)) is None
        notice = late_report_notice(world.school, settings_row, at(8, 15))
    assert "past 08:15" in notice and "030 123 45 67" in notice


def test_without_a_phone_number_the_notice_says_to_contact_the_school(world):
    with translation.override("en"):
        notice = late_report_notice(world.school, AbsenceSettings(school=world.school), at(9, 0))
    assert "please also contact the school" in notice


def test_the_cut_off_time_is_the_schools_own(world):
    settings_row = AbsenceSettings(school=world.school, cutoff_time=datetime.time(7, 45))
    assert settings_row.is_past_cutoff(at(7, 50)) and not settings_row.is_past_cutoff(at(7, 40))


def test_the_form_shows_the_notice_after_the_cut_off_and_not_before(client, world):
    english(world.users["guardian"])
    world.school.phone = "030 123 45 67"
    world.school.save()
    client.force_login(world.users["guardian"])
    set_times(world.school, cutoff=LATE)
    assert "late-notice" not in client.get(REPORT).content.decode()
    set_times(world.school, cutoff=EARLY)
    page = client.get(REPORT).content.decode()
    assert 'id="late-notice"' in page and "030 123 45 67" in page


def test_a_report_for_today_after_the_cut_off_is_marked_late_and_still_sent(client, world):
    set_times(world.school, cutoff=EARLY)
    english(world.users["guardian"])
    client.force_login(world.users["guardian"])
    response = client.post(REPORT, form_data(world.child), follow=True)
    absence = Absence.objects.get()
    assert absence.after_cutoff
    assert any("past 00:00" in str(message) for message in response.context["messages"])
    assert recipients(absence.notification_key)  # it went to the school all the same


def test_a_report_for_a_later_day_is_never_late(world):
    set_times(world.school, cutoff=EARLY)
    absence = report(world.users["guardian"], world.child, starts_on=timezone.localdate() + datetime.timedelta(days=1))
    assert not absence.after_cutoff


def test_a_report_before_the_cut_off_is_not_late(world):
    absence = actions.report_absence(
        world.users["guardian"], world.child, reason="sick", starts_on=datetime.date(2026, 11, 23),
        now=at(7, 30),
    )
    assert not absence.after_cutoff
    late = actions.report_absence(
        world.users["guardian"], world.classmate_of_other_group, reason="sick",
        starts_on=datetime.date(2026, 11, 23), now=at(8, 30),
    )
    assert late.after_cutoff


# --- Better again ---------------------------------------------------------------------------------


def test_reporting_better_closes_the_sickness(client, world):
    today = timezone.localdate()
    absence = report(world.users["guardian"], world.child, starts_on=today - datetime.timedelta(days=2))
    client.force_login(world.users["guardian"])
    response = client.post(reverse("absences:better", args=[absence.pk]), {"back": "today"})
    assert response.status_code == 302
    absence.refresh_from_db()
    assert absence.ends_on == today - datetime.timedelta(days=1) and absence.better_reported_at is not None
    assert absence.better_reported_by == world.users["guardian"] and not absence.is_open


def test_back_tomorrow_ends_the_sickness_today(world):
    absence = report(world.users["guardian"], world.child)
    assert actions.report_better(absence, world.users["other_guardian"], back_today=False)
    absence.refresh_from_db()
    assert absence.ends_on == timezone.localdate()


def test_better_on_the_first_day_keeps_that_day(world):
    absence = report(world.users["guardian"], world.child)
    actions.report_better(absence, world.users["guardian"], back_today=True)
    absence.refresh_from_db()
    assert absence.ends_on == absence.starts_on


def test_only_an_open_sickness_can_be_reported_better(world):
    absence = report(world.users["guardian"], world.child, reason="doctor")
    assert not actions.report_better(absence, world.users["guardian"])
    closed = Absence.objects.get(pk=absence.pk)
    assert closed.better_reported_at is None


def test_the_sickness_stays_open_on_the_following_days(world):
    today = timezone.localdate()
    absence = report(world.users["guardian"], world.child, starts_on=today - datetime.timedelta(days=5))
    assert Absence.objects.on(today).filter(pk=absence.pk).exists()
    assert Absence.objects.on(today + datetime.timedelta(days=30)).filter(pk=absence.pk).exists()
    assert Absence.objects.current(today).filter(pk=absence.pk).exists()


def test_better_tells_the_other_guardian_and_the_teacher(world):
    absence = report(world.users["guardian"], world.child)
    actions.report_better(absence, world.users["guardian"])
    heard = recipients(f"{absence.notification_key}:better")
    users = world.users
    assert users["other_guardian"].pk in heard and users["teacher"].pk in heard
    assert users["guardian"].pk not in heard


# --- Who hears about it ---------------------------------------------------------------------------


def test_the_report_reaches_the_other_guardian_the_teacher_and_the_administration(world):
    users = world.users
    absence = report(users["guardian"], world.child, note="Ziek met koorts")
    heard = recipients(absence.notification_key)
    assert set(heard) == {users["other_guardian"].pk, users["teacher"].pk, users["administration"].pk}


def test_the_titles_say_only_that_an_absence_was_reported(world):
    users = world.users
    english(*[user for role, user in users.items() if role != "anonymous"])
    absence = report(users["guardian"], world.child, note="Ziek met koorts")
    heard = recipients(absence.notification_key)
    assert heard[users["other_guardian"].pk] == "Absence reported for Noor"
    assert heard[users["teacher"].pk] == "Absence reported: Noor Jansen"
    for title in heard.values():
        assert "sick" not in title.lower() and "koorts" not in title.lower()


@pytest.mark.django_db(transaction=True)
def test_the_other_guardian_finds_the_notification_after_the_worker_ran():
    from tests.world import build_world

    world = build_world()
    absence = report(world.users["guardian"], world.child)
    run_worker()
    for role in ("other_guardian", "teacher", "administration"):
        notification = Notification.objects.get(recipient=world.users[role])
        assert notification.key == absence.notification_key and notification.url == absence.get_absolute_url()
    assert not Notification.objects.filter(recipient=world.users["guardian"]).exists()
    assert not Notification.objects.filter(recipient=world.users["teacher_other_group"]).exists()


def test_a_guardian_kept_from_class_pages_without_authority_does_not_hear(world):
    Guardianship.objects.filter(user=world.users["other_guardian"]).update(
        has_parental_authority=False, sees_class_pages=False
    )
    absence = report(world.users["guardian"], world.child)
    assert world.users["other_guardian"].pk not in recipients(absence.notification_key)


def test_a_guardian_with_authority_who_sees_no_class_pages_still_hears(world):
    Guardianship.objects.filter(user=world.users["other_guardian"]).update(sees_class_pages=False)
    absence = report(world.users["guardian"], world.child)
    assert world.users["other_guardian"].pk in recipients(absence.notification_key)


def test_without_an_administration_account_the_director_hears(world):
    StaffMembership.objects.filter(role="administration").delete()
    absence = report(world.users["guardian"], world.child)
    heard = recipients(absence.notification_key)
    assert world.users["director"].pk in heard and world.users["administration"].pk not in heard


def test_each_recipient_gets_the_title_in_their_own_language(world):
    second_teacher = UserFactory(language="en")
    world.group3.teachers.add(second_teacher)
    StaffMembershipFactory(user=second_teacher, school=world.school)
    absence = report(world.users["guardian"], world.child)
    from schoolpoort.notify.models import Broadcast

    broadcasts = Broadcast.objects.filter(key=absence.notification_key)
    english_one = next(b for b in broadcasts if second_teacher.pk in b.recipient_ids)
    assert english_one.title == "Absence reported: Noor Jansen"
    assert world.users["teacher"].pk not in english_one.recipient_ids  # Dutch: another broadcast
