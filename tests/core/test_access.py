"""The access rule, role by role and resource by resource: both the yes and the no.

Each row is checked through ``get_visible_or_404``, the way views fetch; removing a
``visible_to`` (or a branch of it) turns rows of this table red."""

import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from schoolpoort.core.access import get_visible_or_404, modules_for_schools, require_module, roles_of
from schoolpoort.core.models import Group, Guardianship, ModuleClosure, ModuleSwitch, School, SchoolYear, Student
from tests.factories import GroupFactory
from tests.world import build_world


@pytest.fixture
def world(db):
    return build_world()


Y, N = True, False
# role → (the child's school, the child's group, the child, the other school)
MATRIX = {
    "guardian": (Y, Y, Y, N),
    "other_guardian": (Y, Y, Y, N),
    "guardian_other_group": (Y, N, N, N),
    "guardian_other_school": (N, N, N, Y),
    "teacher": (Y, Y, Y, N),
    "teacher_other_group": (Y, N, N, N),
    "administration": (Y, Y, Y, N),
    "director": (Y, Y, Y, N),
    "board_admin": (Y, Y, Y, N),
    "board_admin_other_board": (N, N, N, Y),
    "anonymous": (N, N, N, N),
}


def can_see(model, user, obj) -> bool:
    try:
        get_visible_or_404(model, user, pk=obj.pk)
    except Http404:
        return False
    return True


@pytest.mark.parametrize("role", MATRIX)
def test_access_matrix(world, role):
    user = world.users[role]
    school, group, child, other_school = MATRIX[role]
    assert can_see(School, user, world.school) is school, "school"
    assert can_see(Group, user, world.group3) is group, "group"
    assert can_see(Student, user, world.child) is child, "pupil"
    assert can_see(School, user, world.other_school) is other_school, "other school"


@pytest.mark.parametrize("role", MATRIX)
def test_lists_hold_exactly_what_the_role_may_see(world, role):
    user = world.users[role]
    visible = set(Student.objects.visible_to(user))
    for student in Student.objects.all():
        assert (student in visible) is can_see(Student, user, student)
    if role.startswith("guardian") or role == "other_guardian":
        assert visible == {g.student for g in Guardianship.objects.filter(user=user)}


def test_the_sister_school_of_the_board_is_visible_to_the_board_admin_only(world):
    assert can_see(School, world.users["board_admin"], world.sister_school)
    for role in ("director", "administration", "teacher", "guardian"):
        assert not can_see(School, world.users[role], world.sister_school), role


def test_a_leaver_is_invisible_to_guardian_and_teacher_but_not_to_administration(world):
    world.child.archived_at = timezone.now()
    world.child.save()
    assert not can_see(Student, world.users["guardian"], world.child)
    assert not can_see(Group, world.users["guardian"], world.group3)
    assert not can_see(School, world.users["guardian"], world.school)
    assert not can_see(Student, world.users["teacher"], world.child)
    assert can_see(Student, world.users["administration"], world.child)


def test_a_guardian_kept_from_class_pages_sees_the_child_but_not_the_group(world):
    Guardianship.objects.filter(user=world.users["other_guardian"]).update(sees_class_pages=False)
    user = world.users["other_guardian"]
    assert can_see(Student, user, world.child)
    assert can_see(School, user, world.school)
    assert not can_see(Group, user, world.group3)
    # the other guardian keeps the class pages
    assert can_see(Group, world.users["guardian"], world.group3)


def test_last_years_group_is_not_a_class_page_for_guardians_nor_a_teachers_group(world):
    today = timezone.localdate()
    last_year = SchoolYear.for_date(today - datetime.timedelta(days=366))
    old_group = GroupFactory(school=world.school, school_year=last_year, grades="2", teachers=[world.users["teacher"]])
    old_group.enrollments.create(student=world.child)
    assert not can_see(Group, world.users["guardian"], old_group)
    assert not can_see(Group, world.users["teacher"], old_group)
    assert can_see(Group, world.users["director"], old_group)


def test_an_inactive_account_sees_nothing(world):
    user = world.users["director"]
    user.is_active = False
    user.save()
    assert not can_see(School, user, world.school)


def test_lookup_by_malformed_key_is_404_not_500(world):
    with pytest.raises(Http404):
        get_visible_or_404(Student, world.users["director"], pk="not-a-number")


# --- Modules: switched off and closed periods -------------------------------------------------


def switch(school, module, on):
    ModuleSwitch.objects.update_or_create(school=school, module=module, defaults={"enabled": on})


def test_a_module_switched_off_is_invisible_to_guardians_and_staff(world):
    switch(world.school, "news", False)
    for role in ("guardian", "director"):
        with pytest.raises(Http404):
            require_module(world.users[role], world.school, "news")


def test_a_closed_module_is_invisible_to_guardians_but_open_to_staff_with_the_message(world):
    today = timezone.localdate()
    ModuleClosure.objects.create(
        school=world.school, module="records", starts_on=today, ends_on=today + datetime.timedelta(days=3),
        message="Gesloten rond de rapporten",
    )
    with pytest.raises(Http404):
        require_module(world.users["guardian"], world.school, "records")
    require_module(world.users["teacher"], world.school, "records")
    require_module(world.users["board_admin"], world.school, "records")
    (modules,) = modules_for_schools(world.users["guardian"], [world.school])
    assert "records" not in [s.info.code for s in modules.usable]
    assert [s.closure.message for s in modules.closed_notices] == ["Gesloten rond de rapporten"]


def test_a_closure_in_the_past_or_future_does_not_close(world):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    ModuleClosure.objects.create(school=world.school, module="records", starts_on=today - 5 * day, ends_on=today - day)
    ModuleClosure.objects.create(school=world.school, module="records", starts_on=today + day, ends_on=today + 5 * day)
    require_module(world.users["guardian"], world.school, "records")


# --- Roles ---------------------------------------------------------------------------------------


def test_roles_are_read_once_per_user_object(world, settings, django_assert_num_queries):
    settings.REACH_CACHE_SECONDS = 0  # the read itself; across requests see tests/core/test_reach_cache.py
    user = world.users["director"]
    with django_assert_num_queries(3):
        roles_of(user)
        roles_of(user)
    assert roles_of(user).manages(world.school)
    assert not roles_of(user).manages(world.other_school)
    assert roles_of(world.users["board_admin"]).manages(world.sister_school)
    assert not roles_of(world.users["administration"]).manages(world.school)
    assert roles_of(world.users["administration"]).administers(world.school)
    assert not roles_of(world.users["teacher"]).administers(world.school)
    assert roles_of(world.users["guardian"]).is_guardian and not roles_of(world.users["guardian"]).is_staff
