"""The two id sources every module's visibility rule is written against (``core.access.AccessIds``):
the subqueries of ``visible_to`` and the request's plain lists hold the same ids for every role,
and the request's reach stays three queries beside the roles."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from schoolpoort.core.access import SubqueryIds, reach_of, roles_of
from schoolpoort.core.models import Guardianship, ModuleClosure, ModuleSwitch
from tests.access_table import reach_ids
from tests.factories import GuardianshipFactory
from tests.world import ROLES, build_world

ID_SETS = [
    "children",
    "child_schools",
    "child_groups",
    "child_all_groups",
    "class_page_schools",
    "taught_groups",
    "staff_schools",
    "managed_schools",
    "board_schools",
    "member_boards",
]


@pytest.fixture
def world(db):
    return build_world()


def _values(ids) -> set[int]:
    """The ids of a plain list, or of a one-column ``values()`` subquery."""
    if isinstance(ids, (list, tuple)):
        return set(ids)
    return {value for row in ids for value in row.values()}


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_both_sources_hold_the_same_ids_for_every_role(world, role):
    # A teacher who is a parent at their own school too, kept from class pages there.
    GuardianshipFactory(student=world.classmate_of_other_group, user=world.users["teacher"], sees_class_pages=False)
    today = timezone.localdate()
    ModuleSwitch.objects.filter(school=world.school, module="news").update(enabled=False)
    ModuleClosure.objects.create(school=world.sister_school, module="calendar", starts_on=today, ends_on=today)
    user = world.users[role]
    subqueries, lists = SubqueryIds(user), reach_ids(user)
    for name in ID_SETS:
        assert _values(getattr(subqueries, name)) == set(getattr(lists, name)), name
    schools = lists.either(lists.child_schools, lists.either(lists.staff_schools, lists.board_schools))
    for module in ("news", "calendar", "conferences"):
        for source in ("open_schools", "switched_on_schools"):
            everywhere = _values(getattr(subqueries, source)(module))
            assert everywhere & set(schools) == set(getattr(lists, source)(module)), (module, source)
    assert _values(subqueries.boards_of(subqueries.staff_schools)) == set(lists.boards_of(lists.staff_schools))
    assert _values(subqueries.boards_of(subqueries.child_schools)) == set(lists.boards_of(lists.child_schools))


def test_a_guardian_kept_from_class_pages_keeps_the_groups_of_their_own_child(world):
    Guardianship.objects.filter(user=world.users["guardian"]).update(sees_class_pages=False)
    reach = reach_of(world.users["guardian"])
    assert reach.child_group_ids == frozenset()
    assert reach.child_all_group_ids == {world.group3.pk}
    assert reach.class_page_school_ids == frozenset()
    assert reach.child_school_ids == {world.school.pk}


def test_the_reach_costs_three_queries_beside_the_roles(world, settings, django_assert_num_queries):
    settings.REACH_CACHE_SECONDS = 0  # the read itself; across requests see tests/core/test_reach_cache.py
    user = world.users["guardian"]
    roles_of(user)
    with django_assert_num_queries(3):
        reach_of(user)


def test_nobody_signed_in_reaches_nothing(world):
    for ids in (SubqueryIds(AnonymousUser()), reach_ids(AnonymousUser())):
        assert not ids.signed_in
        assert all(not _values(getattr(ids, name)) for name in ID_SETS)
