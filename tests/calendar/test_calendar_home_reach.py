"""The home block's fast filter (the request's plain id lists and the overview's module states)
finds exactly the events of ``Event.objects.visible_to`` for every role, in every state of the
module; and the block follows a change in access on the next request."""

import pytest
from django.test import RequestFactory
from django.utils import timezone

from schoolpoort.calendar.home import home_block, next_events
from schoolpoort.calendar.models import Event
from schoolpoort.calendar.visibility import event_q
from schoolpoort.core.access import ReachIds, reach_of
from schoolpoort.core.models import Guardianship, ModuleClosure, ModuleSwitch
from schoolpoort.web.overview import home_overview
from tests.access_table import CASES as ACCESS_TABLE
from tests.access_table import reach_ids, set_module_state
from tests.calendar.calendar_helpers import make_event, soon
from tests.factories import GuardianshipFactory
from tests.world import ROLES


def _events_of_every_kind(world):
    make_event(board=world.school.board, title="Board")
    make_event(board=world.other_school.board, title="Other board")
    for school in (world.school, world.sister_school, world.other_school):
        make_event(school=school, title=f"School {school.pk}")
    make_event(groups=[world.group3], title="Group 3")
    make_event(groups=[world.group6], title="Group 6")
    make_event(groups=[world.group3, world.group6], title="Groups 3 and 6")
    make_event(groups=[world.sister_school.groups.first()], title="Sister group")
    make_event(groups=[world.other_school.groups.first()], title="Other school group")


def _same_events(user):
    expected = set(Event.objects.visible_to(user).values_list("pk", flat=True))
    modules = home_overview(user).modules
    found = set(Event.objects.filter(event_q(ReachIds(user, reach_of(user), modules))).values_list("pk", flat=True))
    return expected, found


@pytest.mark.parametrize("state", ["open", "closed today", "switched off", "sister closed"])
@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_the_home_filter_finds_what_visible_to_allows(world, role, state):
    _events_of_every_kind(world)
    # A teacher who is a parent at their own school too: both branches at once.
    GuardianshipFactory(student=world.classmate_of_other_group, user=world.users["teacher"])
    today = timezone.localdate()
    if state == "closed today":
        ModuleClosure.objects.create(school=world.school, module="calendar", starts_on=today, ends_on=today)
    elif state == "switched off":
        ModuleSwitch.objects.filter(school=world.school, module="calendar").update(enabled=False)
    elif state == "sister closed":
        ModuleClosure.objects.create(school=world.sister_school, module="calendar", starts_on=today, ends_on=today)
    expected, found = _same_events(world.users[role])
    assert found == expected


def test_a_guardian_kept_from_class_pages_sees_no_group_events_in_either(world):
    _events_of_every_kind(world)
    Guardianship.objects.filter(user=world.users["guardian"]).update(sees_class_pages=False)
    expected, found = _same_events(world.users["guardian"])
    assert found == expected
    assert not Event.objects.filter(pk__in=found, audience="groups").exists()


def test_an_anonymous_user_reaches_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    _events_of_every_kind(world)
    user = AnonymousUser()
    assert not Event.objects.filter(event_q(ReachIds(user, reach_of(user), [])))


def _block_titles(user):
    request = RequestFactory().get("/")
    request.user = user
    block = next_events(request, home_overview(user))
    return [occurrence.event.title for occurrence in block.context["occurrences"]] if block else []


def _cached_block_html(user) -> str:
    request = RequestFactory().get("/")
    request.user = type(user).objects.get(pk=user.pk)  # each request has its own
    block = home_block(request, home_overview(request.user))
    return block.html if block else ""


def test_a_leaver_archived_disappears_from_the_block_on_the_next_request(world):
    make_event(groups=[world.group3], title="Gym group 3", starts_on=soon(1))
    guardian = world.users["guardian"]
    assert _block_titles(guardian) == ["Gym group 3"]
    assert "Gym group 3" in _cached_block_html(guardian)
    world.child.archived_at = timezone.now()
    world.child.save(update_fields=["archived_at"])
    assert "Gym group 3" not in _cached_block_html(guardian)  # the kept block is read anew
    guardian = type(guardian).objects.get(pk=guardian.pk)  # a new request: roles are read anew
    assert _block_titles(guardian) == []


@pytest.mark.parametrize(("role", "state"), ACCESS_TABLE)
def test_visible_to_and_the_home_path_read_one_rule_alike(world, role, state):
    """``event_q`` read from subqueries (``visible_to``) and from the request's id lists: same events."""
    _events_of_every_kind(world)
    set_module_state(world, "calendar", state)
    user = world.users[role]
    expected = set(Event.objects.visible_to(user).values_list("pk", flat=True))
    found = set(Event.objects.filter(event_q(reach_ids(user))).values_list("pk", flat=True))
    assert found == expected
    # Not two empty sets: every role reads something, except the main school's people when it is shut
    # (staff still read a closed calendar).
    shut = state == "switched off" or (state == "closed today" and role in ("guardian", "other_guardian"))
    assert bool(expected) == (not shut or role in ("board_admin", "guardian_other_school"))
