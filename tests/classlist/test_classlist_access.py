"""Who may open a group's class list, role by role, with both the yes and the no: the parents of
that group and its staff; the module off (or closed, for parents) makes it disappear."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schoolpoort.classlist.access import class_groups_visible_to
from schoolpoort.core.models import Enrollment, Group, Guardianship, ModuleClosure, ModuleSwitch, SchoolYear
from tests.classlist.helpers import english

GROUP3 = {
    "guardian": 200, "other_guardian": 200, "guardian_other_group": 404, "guardian_other_school": 404,
    "teacher": 200, "teacher_other_group": 404, "administration": 200, "director": 200, "board_admin": 200,
    "board_admin_other_board": 404, "anonymous": 302,
}
FULL_LIST = {"teacher", "administration", "director", "board_admin"}
SIGNED_IN = [role for role in GROUP3 if role != "anonymous"]


@pytest.mark.parametrize("role", GROUP3)
def test_the_class_page_of_group_3_follows_the_roles(client, world, role):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = client.get(reverse("classlist:group", args=[world.group3.pk]))
    assert response.status_code == GROUP3[role]
    if response.status_code == 200:
        assert ('class="classlist-full"' in response.content.decode()) is (role in FULL_LIST)


@pytest.mark.parametrize("role", SIGNED_IN)
def test_visible_groups_hold_exactly_the_groups_of_the_role(world, role):
    expected = {
        "guardian": {world.group3}, "other_guardian": {world.group3}, "guardian_other_group": {world.group6},
        "guardian_other_school": set(Group.objects.filter(school=world.other_school)),
        "teacher": {world.group3}, "teacher_other_group": {world.group6},
        "administration": {world.group3, world.group6}, "director": {world.group3, world.group6},
        "board_admin": set(Group.objects.filter(school__board=world.school.board)),
        "board_admin_other_board": set(Group.objects.filter(school=world.other_school)),
    }[role]
    assert set(class_groups_visible_to(world.users[role])) == expected


@pytest.mark.parametrize("role", SIGNED_IN)
def test_the_print_view_is_for_staff_only(client, world, role):
    client.force_login(world.users[role])
    response = client.get(reverse("classlist:print", args=[world.group3.pk]))
    assert response.status_code == (200 if role in FULL_LIST else 404)


@pytest.mark.parametrize("role", SIGNED_IN)
def test_the_module_switched_off_hides_the_class_lists_from_everyone(client, world, role):
    ModuleSwitch.objects.filter(school=world.school, module="classlist").update(enabled=False)
    client.force_login(world.users[role])
    assert client.get(reverse("classlist:group", args=[world.group3.pk])).status_code == 404
    if role in ("guardian", "teacher", "director"):
        assert client.get(reverse("classlist:index")).status_code == 404
        assert client.get(reverse("classlist:print", args=[world.group3.pk])).status_code == 404
    if role in ("guardian", "other_guardian", "guardian_other_group"):
        assert client.get(reverse("classlist:privacy")).status_code == 404


def test_a_closed_module_hides_the_class_list_from_parents_but_not_from_staff(client, world):
    today = timezone.localdate()
    ModuleClosure.objects.create(school=world.school, module="classlist", starts_on=today, ends_on=today)
    client.force_login(world.users["guardian"])
    assert client.get(reverse("classlist:group", args=[world.group3.pk])).status_code == 404
    client.force_login(world.users["teacher"])
    assert client.get(reverse("classlist:group", args=[world.group3.pk])).status_code == 200


def test_a_guardian_kept_from_class_pages_does_not_see_the_class_list(client, world):
    Guardianship.objects.filter(user=world.users["guardian"]).update(sees_class_pages=False)
    client.force_login(world.users["guardian"])
    assert client.get(reverse("classlist:group", args=[world.group3.pk])).status_code == 404
    assert client.get(reverse("classlist:privacy")).status_code == 404


def test_the_guardian_of_a_child_that_left_school_no_longer_sees_the_class_list(client, world):
    world.child.archived_at = timezone.now()
    world.child.save()
    client.force_login(world.users["guardian"])
    assert client.get(reverse("classlist:group", args=[world.group3.pk])).status_code == 404


def test_last_years_group_is_no_class_list_any_more(client, world):
    last_year = SchoolYear.for_date(world.group3.school_year.starts_on - datetime.timedelta(days=1))
    old = Group.objects.create(school=world.school, school_year=last_year, name="Groep 2", grades="2")
    old.teachers.add(world.users["teacher"])
    Enrollment.objects.create(student=world.child, group=old)
    for role in ("guardian", "teacher", "director"):
        client.force_login(world.users[role])
        assert client.get(reverse("classlist:group", args=[old.pk])).status_code == 404, role


def test_a_group_that_does_not_exist_is_404(client, world):
    client.force_login(world.users["director"])
    assert client.get(reverse("classlist:group", args=[999999])).status_code == 404


@pytest.mark.parametrize("role", SIGNED_IN)
def test_the_privacy_page_is_for_the_parents_of_a_group(client, world, role):
    client.force_login(world.users[role])
    response = client.get(reverse("classlist:privacy"))
    guardians = {"guardian", "other_guardian", "guardian_other_group", "guardian_other_school"}
    assert response.status_code == (200 if role in guardians else 404)


@pytest.mark.parametrize("role", SIGNED_IN)
def test_the_index_lists_exactly_the_class_lists_of_the_role(client, world, role):
    english(world.users[role])
    client.force_login(world.users[role])
    html = client.get(reverse("classlist:index")).content.decode()
    for group in (world.group3, world.group6):
        link = f'href="{reverse("classlist:group", args=[group.pk])}"'
        assert (link in html) is (group in set(class_groups_visible_to(world.users[role]))), group


@pytest.mark.parametrize("role, status", [("director", 200), ("board_admin", 200), ("administration", 404),
                                          ("teacher", 404), ("guardian", 404), ("board_admin_other_board", 404)])
def test_the_school_settings_are_for_the_director_and_the_board(client, world, role, status):
    client.force_login(world.users[role])
    assert client.get(reverse("classlist:settings", args=[world.school.pk])).status_code == status


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    for url in (reverse("classlist:index"), reverse("classlist:privacy"),
                reverse("classlist:print", args=[world.group3.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
