"""Who sees which round and which booking, per role of the test world (yes and no), and the 404s
of the pages for everyone else."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schoolpoort.conferences import booking as domain
from schoolpoort.conferences.access import manages_round, plannable_groups
from schoolpoort.conferences.booking import Pick
from schoolpoort.conferences.models import Booking, Round
from schoolpoort.core.models import ModuleClosure, ModuleSwitch
from tests.conferences.conferences_helpers import add_session, english, family, make_round, slots
from tests.world import ROLES

ROUND_SEERS = {"guardian", "other_guardian", "teacher", "administration", "director", "board_admin"}
BOOKING_SEERS = ROUND_SEERS


@pytest.fixture
def round(world):
    round = make_round(world)
    add_session(round, world.users["teacher"], world.group3)
    return round


@pytest.fixture
def booking(world, round):
    domain.book(round, world.users["guardian"], [Pick(world.child.pk, slots(round)[0].pk)])
    return Booking.objects.get()


@pytest.mark.parametrize("role", ROLES)
def test_a_round_is_visible_to_its_families_and_the_schools_staff_only(world, round, role):
    visible = Round.objects.visible_to(world.users[role]).filter(pk=round.pk).exists()
    assert visible == (role in ROUND_SEERS)


@pytest.mark.parametrize("role", ROLES)
def test_a_booking_is_visible_to_the_family_and_the_schools_staff_only(world, booking, role):
    visible = Booking.objects.visible_to(world.users[role]).filter(pk=booking.pk).exists()
    assert visible == (role in BOOKING_SEERS)


@pytest.mark.parametrize("role", ROLES[:-1])
def test_the_round_page_is_404_for_everyone_else(client, world, round, role):
    client.force_login(world.users[role])
    response = client.get(reverse("conferences:detail", args=[round.pk]))
    assert response.status_code == (200 if role in ROUND_SEERS else 404)
    assert client.get(reverse("conferences:detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("role", ROLES[:-1])
def test_the_staff_pages_are_404_for_guardians_and_outsiders(client, world, round, role):
    client.force_login(world.users[role])
    day = slots(round)[0].starts_at.astimezone(timezone.get_current_timezone()).date().isoformat()
    staff = role in {"teacher", "administration", "director", "board_admin"}
    for url in (
        reverse("conferences:schedule", args=[round.pk]),
        reverse("conferences:pupils", args=[round.pk]),
        reverse("conferences:day_list", args=[round.pk, day]),
        reverse("conferences:day_csv", args=[round.pk, day]),
        reverse("conferences:add_session", args=[round.pk]),
        reverse("conferences:place", args=[round.pk, world.child.pk]),
    ):
        assert client.get(url).status_code == (200 if staff else 404), url
    edit = client.get(reverse("conferences:edit", args=[round.pk])).status_code
    assert edit == (200 if role in {"administration", "director", "board_admin"} else 404)


def test_a_guardian_sees_other_families_bookings_only_as_taken(client, world, round):
    (other,), (classmate,) = family(world.group3, first_name="Ezra", last_name="Vandermolen")
    domain.book(round, other, [Pick(classmate.pk, slots(round)[1].pk)])
    theirs = Booking.objects.get()
    client.force_login(world.users["guardian"])
    page = client.get(reverse("conferences:detail", args=[round.pk])).content.decode()
    assert "Ezra" not in page and "Vandermolen" not in page and f'data-booking="{theirs.pk}"' not in page
    assert "conf-slot--taken" in page
    # Nor can they touch it.
    assert client.post(reverse("conferences:cancel", args=[round.pk, theirs.pk])).status_code == 404
    assert client.post(reverse("conferences:change", args=[round.pk, theirs.pk]), {"slot": 1}).status_code == 404


def test_a_switched_off_module_hides_the_round_from_everyone_and_a_closed_one_from_guardians(world, round):
    ModuleClosure.objects.create(school=world.school, module="conferences", starts_on=timezone.localdate(),
                                 ends_on=timezone.localdate() + datetime.timedelta(days=3))
    assert not Round.objects.visible_to(world.users["guardian"]).exists()
    assert Round.objects.visible_to(world.users["teacher"]).exists()
    ModuleSwitch.objects.filter(school=world.school, module="conferences").update(enabled=False)
    for role in ROUND_SEERS:
        assert not Round.objects.visible_to(world.users[role]).exists(), role


def test_the_round_pages_follow_a_closure_a_switch_and_a_leaver_on_the_next_request(client, world, round):
    """The round page and the booking read the round with the request's kept id lists
    (``access.get_in_reach_or_404``), not the subqueries: each change that hides the round from a
    guardian must reach them on the very next request, or the kept reach would be a leak."""
    from tests.access_table import follows_closure_and_switch

    guardian = world.users["guardian"]
    page, book = reverse("conferences:detail", args=[round.pk]), reverse("conferences:book", args=[round.pk])
    pick = {"pick": f"{world.child.pk}:{slots(round)[0].pk}"}
    status = follows_closure_and_switch(client, world, "conferences", page, (book, pick))
    world.child.archived_at = timezone.now()
    world.child.save()
    assert status(guardian, page) == 404 and status(guardian, book, pick) == 404
    assert not Booking.objects.exists()


def test_a_guardian_of_a_child_who_left_no_longer_sees_the_round(world, round):
    world.child.archived_at = timezone.now()
    world.child.save()
    assert not Round.objects.visible_to(world.users["guardian"]).exists()


def test_a_teacher_sees_a_round_of_another_group_where_they_hold_conversations(world):
    round = make_round(world, groups=[world.group6])
    assert not Round.objects.visible_to(world.users["teacher"]).filter(pk=round.pk).exists()
    add_session(round, world.users["teacher"], world.group6)
    assert Round.objects.visible_to(world.users["teacher"]).filter(pk=round.pk).exists()


def test_who_manages_a_round(world, round):
    assert {role for role in ROLES if manages_round(world.users[role], round)} == {
        "administration", "director", "board_admin"
    }
    own = make_round(world, creator=world.users["teacher"])
    assert manages_round(world.users["teacher"], own)
    both = make_round(world, groups=[world.group3, world.group6], creator=world.users["teacher"])
    assert not manages_round(world.users["teacher"], both)  # groep 6 is not theirs


def test_teachers_make_rounds_for_their_own_groups_and_the_school_for_all(client, world):
    assert list(plannable_groups(world.users["teacher"])) == [world.group3]
    assert set(plannable_groups(world.users["director"])) == {world.group3, world.group6}
    assert not plannable_groups(world.users["guardian"]).exists()
    english(world.users["teacher"])
    client.force_login(world.users["teacher"])
    now = timezone.localtime()
    data = {
        "title": "Gesprekken", "groups": [world.group6.pk], "booking_opens_at": f"{now:%Y-%m-%dT%H:%M}",
        "booking_closes_at": f"{now + datetime.timedelta(days=2):%Y-%m-%dT%H:%M}", "separated_guardians": "together",
        "slot_minutes": 10, "break_every": 0, "break_minutes": 0,
    }
    response = client.post(reverse("conferences:create"), data)
    assert response.status_code == 200 and not Round.objects.exists()
    response = client.post(reverse("conferences:create"), {**data, "groups": [world.group3.pk]})
    round = Round.objects.get()
    assert response.status_code == 302 and round.created_by == world.users["teacher"]
    assert client.get(reverse("conferences:edit", args=[round.pk])).status_code == 200


def test_the_list_is_404_where_the_module_is_nowhere_usable(client, world):
    ModuleSwitch.objects.filter(module="conferences").update(enabled=False)
    client.force_login(world.users["guardian"])
    assert client.get(reverse("conferences:list")).status_code == 404
