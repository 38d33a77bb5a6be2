"""The home block's guardian filters (plain id lists from the request and the overview) find the
same bookings and rounds as the access layer's ``guardian_booking_q`` / ``guardian_round_q`` for
every role and module state; the block still shows them."""

from types import SimpleNamespace

import pytest
from django.test import RequestFactory
from django.utils import timezone

from schoolpoort.conferences import booking as domain
from schoolpoort.conferences.access import booking_q, guardian_booking_q, guardian_round_q, round_q
from schoolpoort.conferences.booking import Pick
from schoolpoort.conferences.home import read_block
from schoolpoort.conferences.models import Booking, Round
from schoolpoort.core.access import ReachIds, SubqueryIds, reach_of
from schoolpoort.core.models import Guardianship, ModuleClosure, ModuleSwitch
from schoolpoort.web.overview import home_overview
from tests.access_table import CASES as ACCESS_TABLE
from tests.access_table import reach_ids, set_module_state
from tests.conferences.conferences_helpers import add_session, make_round, slots
from tests.factories import GuardianshipFactory
from tests.world import ROLES


def _rounds_and_bookings(world):
    users = world.users
    group3 = make_round(world, groups=[world.group3], title="Groep 3")
    add_session(group3, users["teacher"], world.group3)
    group6 = make_round(world, groups=[world.group6], title="Groep 6")
    add_session(group6, users["teacher_other_group"], world.group6)
    make_round(world, groups=[world.group3, world.group6], title="Beide")
    domain.book(group3, users["guardian"], [Pick(world.child.pk, slots(group3)[0].pk)])
    domain.book(group6, users["guardian_other_group"], [Pick(world.classmate_of_other_group.pk, slots(group6)[0].pk)])


def _compare(user):
    ids = ReachIds(user, reach_of(user), home_overview(user).modules)
    bookings = set(Booking.objects.filter(guardian_booking_q(ids)))
    rounds = set(Round.objects.filter(guardian_round_q(ids)))
    if user.is_authenticated:
        assert bookings == set(Booking.objects.filter(guardian_booking_q(SubqueryIds(user))))
        assert rounds == set(Round.objects.filter(guardian_round_q(SubqueryIds(user))))
    return bookings, rounds


@pytest.mark.parametrize("state", ["open", "closed today", "switched off"])
@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_the_home_filters_find_what_the_access_layer_allows(world, role, state):
    _rounds_and_bookings(world)
    # A teacher who is a parent at their own school too.
    GuardianshipFactory(student=world.classmate_of_other_group, user=world.users["teacher"])
    today = timezone.localdate()
    if state == "closed today":
        ModuleClosure.objects.create(school=world.school, module="conferences", starts_on=today, ends_on=today)
    elif state == "switched off":
        ModuleSwitch.objects.filter(school=world.school, module="conferences").update(enabled=False)
    _compare(world.users[role])


def test_a_guardian_kept_from_class_pages_still_sees_the_rounds_of_their_child(world):
    _rounds_and_bookings(world)
    Guardianship.objects.filter(user=world.users["guardian"]).update(sees_class_pages=False)
    bookings, rounds = _compare(world.users["guardian"])
    assert {r.title for r in rounds} == {"Groep 3", "Beide"} and len(bookings) == 1


def test_the_block_shows_the_appointment_and_the_round_still_to_book(world):
    _rounds_and_bookings(world)
    request = RequestFactory().get("/")
    request.user = world.users["guardian"]
    block, _until = read_block(request, home_overview(request.user))
    assert [b.student for b in block.context["appointments"]] == [world.child]
    assert [r.title for r in block.context["open_rounds"]] == ["Beide"]


@pytest.mark.parametrize(("role", "state"), ACCESS_TABLE)
def test_visible_to_and_the_reach_path_read_one_rule_alike(world, role, state):
    """``round_q`` and ``booking_q`` read from subqueries (``visible_to``) and from the request's
    id lists: the same rounds and bookings, staff's and guardians' alike."""
    _rounds_and_bookings(world)
    other_group = world.other_school.groups.first()
    elsewhere = make_round(SimpleNamespace(school=world.other_school, users=world.users), groups=[other_group])
    add_session(elsewhere, world.users["board_admin_other_board"], other_group)
    pick = Pick(world.other_school_child.pk, slots(elsewhere)[0].pk)
    domain.book(elsewhere, world.users["guardian_other_school"], [pick])
    set_module_state(world, "conferences", state)
    user = world.users[role]
    ids = reach_ids(user)
    rounds = set(Round.objects.visible_to(user))
    bookings = set(Booking.objects.visible_to(user))
    assert set(Round.objects.filter(round_q(ids))) == rounds
    assert set(Booking.objects.filter(booking_q(ids))) == bookings
    # Not two empty sets: every role reads something, except the main school's people when it is shut.
    shut = state == "switched off" or (state == "closed today" and role in ("guardian", "other_guardian"))
    assert bool(rounds) == (not shut or role == "guardian_other_school")
