"""The home block's guardian filters (plain id lists from the request and the overview) find the
same bookings and rounds as the access layer's ``guardian_booking_q`` / ``guardian_round_q`` for
every role and module state; the block still shows them."""

import pytest
from django.test import RequestFactory
from django.utils import timezone

from schoolpoort.conferences import booking as domain
from schoolpoort.conferences.access import guardian_booking_q, guardian_round_q
from schoolpoort.conferences.booking import Pick
from schoolpoort.conferences.home import home_block
from schoolpoort.conferences.models import Booking, Round
from schoolpoort.core.access import ReachIds, SubqueryIds, reach_of
from schoolpoort.core.models import Guardianship, ModuleClosure, ModuleSwitch
from schoolpoort.core.overview import home_overview
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
    block = home_block(request, home_overview(request.user))
    assert [b.student for b in block.context["appointments"]] == [world.child]
    assert [r.title for r in block.context["open_rounds"]] == ["Beide"]
