"""The timetable: a group's weekly schedule for its parents and staff, kept by its teachers; and the
reminder on the home page for today and the next school day ("Tomorrow gym for Noor: gym clothes"),
which on a Friday looks at Monday."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schoolpoort.core.models import Guardianship
from schoolpoort.timetable.models import TimetableEntry
from schoolpoort.timetable.reminders import MONDAY, TODAY, TOMORROW, next_school_day, reminders_for, upcoming_days
from tests.factories import GuardianshipFactory, enrolled_student

READERS = {"guardian", "other_guardian", "teacher", "administration", "director", "board_admin"}
EDITORS = {"teacher", "administration", "director", "board_admin"}
ROLES = ["guardian", "other_guardian", "guardian_other_group", "guardian_other_school", "teacher",
         "teacher_other_group", "administration", "director", "board_admin", "board_admin_other_board"]


def english(*users):
    for user in users:
        user.language = "en"
        user.save(update_fields=["language"])


def entry(group, weekday, activity="gym", reminder="gymspullen mee", **fields) -> TimetableEntry:
    return TimetableEntry.objects.create(group=group, weekday=weekday, starts_at=datetime.time(10, 30),
                                         ends_at=datetime.time(11, 15), activity=activity, reminder=reminder, **fields)


def a_monday(world) -> datetime.date:
    """A Monday well inside the current school year (so that the world's groups are current)."""
    start = world.group3.school_year.starts_on + datetime.timedelta(days=35)
    return start + datetime.timedelta(days=(7 - start.weekday()) % 7)


@pytest.fixture
def gym(world):
    return entry(world.group3, 1)  # Tuesday


@pytest.mark.parametrize("role", ROLES)
def test_the_group_timetable_is_for_its_parents_and_staff(client, world, gym, role):
    client.force_login(world.users[role])
    response = client.get(reverse("timetable:group", args=[world.group3.pk]))
    assert response.status_code == (200 if role in READERS else 404)
    visible = set(TimetableEntry.objects.visible_to(world.users[role]))
    assert visible == ({gym} if role in READERS else set())


@pytest.mark.parametrize("role", ROLES)
def test_the_teachers_and_the_office_edit_the_timetable(client, world, gym, role):
    client.force_login(world.users[role])
    allowed = role in EDITORS
    assert client.get(reverse("timetable:create", args=[world.group3.pk])).status_code == (200 if allowed else 404)
    assert client.get(reverse("timetable:edit", args=[gym.pk])).status_code == (200 if allowed else 404)
    response = client.post(reverse("timetable:delete", args=[gym.pk]))
    assert response.status_code == (302 if allowed else 404)
    assert TimetableEntry.objects.filter(pk=gym.pk).exists() is not allowed


def test_a_teacher_adds_and_changes_an_activity(client, world):
    teacher = world.users["teacher"]
    client.force_login(teacher)
    response = client.post(reverse("timetable:create", args=[world.group3.pk]), {
        "weekday": "3", "starts_at": "13:15", "ends_at": "14:00", "activity": "swimming", "label": "",
        "reminder": "zwemspullen mee",
    })
    assert response.status_code == 302
    swim = TimetableEntry.objects.get(group=world.group3)
    assert (swim.weekday, swim.activity, swim.reminder, swim.created_by) == (3, "swimming", "zwemspullen mee", teacher)

    response = client.post(reverse("timetable:edit", args=[swim.pk]), {
        "weekday": "3", "starts_at": "13:15", "ends_at": "13:00", "activity": "swimming", "label": "", "reminder": "",
    })
    assert response.status_code == 200  # the end before the start
    response = client.post(reverse("timetable:edit", args=[swim.pk]), {
        "weekday": "4", "starts_at": "13:15", "ends_at": "", "activity": "library", "label": "Bieb", "reminder": "",
    })
    assert response.status_code == 302
    swim.refresh_from_db()
    assert (swim.weekday, swim.activity, swim.label, swim.ends_at) == (4, "library", "Bieb", None)


def test_the_week_page_shows_the_entries_per_day(client, world, gym):
    english(world.users["guardian"])
    entry(world.group3, 4, activity="library", reminder="bibliotheekboek mee")
    entry(world.group6, 0, activity="music", reminder="fluit mee")
    client.force_login(world.users["guardian"])
    html = client.get(reverse("timetable:group", args=[world.group3.pk])).content.decode()
    tuesday = html[html.index('data-weekday="1"'):html.index('data-weekday="2"')]
    friday = html[html.index('data-weekday="4"'):]
    assert "Gym" in tuesday and "gymspullen mee" in tuesday
    assert "Library" in friday and "bibliotheekboek mee" in friday
    assert "fluit mee" not in html
    assert reverse("timetable:edit", args=[gym.pk]) not in html  # parents do not edit


def test_the_next_school_day_after_friday_and_saturday_is_monday(world):
    monday = a_monday(world)
    days = {offset: monday + datetime.timedelta(days=offset) for offset in range(7)}
    assert upcoming_days(days[0]) == [(days[0], TODAY), (days[1], TOMORROW)]
    assert upcoming_days(days[4]) == [(days[4], TODAY), (monday + datetime.timedelta(days=7), MONDAY)]
    assert upcoming_days(days[5]) == [(monday + datetime.timedelta(days=7), MONDAY)]
    assert upcoming_days(days[6]) == [(monday + datetime.timedelta(days=7), TOMORROW)]
    assert next_school_day(days[3]) == days[4]


def test_tomorrows_gym_is_a_reminder_for_the_parents_of_the_group(world, gym):
    english(world.users["guardian"])
    monday = a_monday(world)
    (reminder,) = reminders_for(world.users["guardian"], today=monday)
    assert reminder.when == TOMORROW and reminder.day == monday + datetime.timedelta(days=1)
    assert reminder.text == "Tomorrow gym for Noor: gymspullen mee"
    assert [r.text for r in reminders_for(world.users["other_guardian"], today=monday)] == [reminder.text]
    assert reminders_for(world.users["guardian_other_group"], today=monday) == []
    assert reminders_for(world.users["guardian_other_school"], today=monday) == []
    assert [r.text for r in reminders_for(world.users["guardian"], today=monday + datetime.timedelta(days=1))] == [
        "Today gym for Noor: gymspullen mee"]
    assert reminders_for(world.users["guardian"], today=monday + datetime.timedelta(days=2)) == []


def test_on_friday_and_saturday_the_reminder_looks_at_monday(world):
    entry(world.group3, 0, activity="library", reminder="bibliotheekboek mee")
    friday = a_monday(world) + datetime.timedelta(days=4)
    for day in (friday, friday + datetime.timedelta(days=1)):
        assert [r.text for r in reminders_for(world.users["guardian"], today=day)] == [
            "On Monday library for Noor: bibliotheekboek mee"]
    sunday = friday + datetime.timedelta(days=2)
    assert [r.text for r in reminders_for(world.users["guardian"], today=sunday)] == [
        "Tomorrow library for Noor: bibliotheekboek mee"]


def test_one_reminder_names_every_child_in_the_group_and_the_teacher_gets_the_group(world, gym):
    brother = enrolled_student(world.group3, first_name="Sem", last_name="Jansen")
    GuardianshipFactory(student=brother, user=world.users["guardian"])
    monday = a_monday(world)
    assert [r.text for r in reminders_for(world.users["guardian"], today=monday)] == [
        "Tomorrow gym for Noor and Sem: gymspullen mee"]
    assert [r.text for r in reminders_for(world.users["teacher"], today=monday)] == [
        "Tomorrow gym for Groep 3: gymspullen mee"]
    assert reminders_for(world.users["director"], today=monday) == []  # not for every group of the school


def test_no_reminder_for_a_guardian_kept_from_class_pages_or_a_child_that_left(world, gym):
    monday = a_monday(world)
    Guardianship.objects.filter(user=world.users["guardian"]).update(sees_class_pages=False)
    assert reminders_for(world.users["guardian"], today=monday) == []
    world.child.archived_at = timezone.now()
    world.child.save()
    assert reminders_for(world.users["other_guardian"], today=monday) == []


def test_the_home_page_shows_the_reminder_for_the_next_school_day(client, world):
    english(world.users["guardian"])
    upcoming = next_school_day(timezone.localdate())
    entry(world.group3, upcoming.weekday())
    client.force_login(world.users["guardian"])
    html = client.get(reverse("web:home")).content.decode()
    when = "Tomorrow" if upcoming - timezone.localdate() == datetime.timedelta(days=1) else "On Monday"
    assert f"{when} gym for Noor: gymspullen mee" in html
    client.force_login(world.users["guardian_other_group"])
    assert "gymspullen mee" not in client.get(reverse("web:home")).content.decode()


def test_without_a_reminder_the_timetable_is_under_more_and_not_on_the_home_page(client, world):
    english(world.users["guardian"])
    client.force_login(world.users["guardian"])
    html = client.get(reverse("web:home")).content.decode()
    assert "Don't forget" not in html
    assert reverse("timetable:index") in client.get(reverse("web:more")).content.decode()


def test_the_home_block_costs_the_same_queries_for_one_and_for_three_children(client, world):
    upcoming = next_school_day(timezone.localdate())
    entry(world.group3, upcoming.weekday())
    entry(world.group6, upcoming.weekday())
    client.force_login(world.users["guardian"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            reminders_for(world.users["guardian"])
        return len(queries)

    one = count()
    for group in (world.group3, world.group6, world.group6):
        GuardianshipFactory(student=enrolled_student(group), user=world.users["guardian"])
    assert count() == one == 4  # children, taught groups, entries, the schools' days off


def test_the_demo_always_has_a_reminder_for_jansen(demo):
    from schoolpoort.lib.demo import REGENBOOG

    group3 = demo.groups[REGENBOOG, "3"]
    assert set(TimetableEntry.objects.filter(group=group3).values_list("weekday", flat=True)) == {0, 1, 2, 3, 4}
    assert set(TimetableEntry.objects.filter(group=group3, activity="gym").values_list("weekday", flat=True)) == {1, 3}
    assert TimetableEntry.objects.filter(group=demo.groups["99BB", "5"], activity="swimming").exists()
    assert TimetableEntry.objects.filter(group=demo.groups[REGENBOOG, "6"], activity="library").exists()
    start = demo.school_year.starts_on + datetime.timedelta(days=40)
    for offset in range(7):
        day = start + datetime.timedelta(days=offset)
        assert any(r.when != TODAY for r in reminders_for(demo.users["jansen@ouders.example"], today=day)), day


@pytest.mark.parametrize("role", ["guardian", "teacher"])
@pytest.mark.parametrize("name", ["timetable:index", "timetable:group"])
def test_the_timetable_pages_cost_the_same_queries_for_few_and_many_entries(client, world, role, name):
    url = reverse(name, args=[world.group3.pk] if name == "timetable:group" else [])
    client.force_login(world.users[role])

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    # One entry on every weekday, so that today's reminders are never empty: with no entry to
    # remind of, the page asks no days off, and the count would depend on the day of the week.
    for weekday in range(5):
        entry(world.group3, weekday)
    few = count()
    for weekday in range(5):
        entry(world.group3, weekday, activity="music")
        entry(world.group3, weekday, activity="library")
    GuardianshipFactory(student=enrolled_student(world.group6), user=world.users["guardian"])
    world.group6.teachers.add(world.users["teacher"])
    assert count() == few
