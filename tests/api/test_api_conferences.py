"""Conferences through the API, yes and no per role: the round page's rounds, families, free times
and rush-proof booking. A time taken meanwhile answers 409 with the nearest free times; the hidden
ex-partner never sees the other guardian's own conversation; a token may do none of it (403)."""

import json

import pytest

from schoolpoort.conferences import booking as domain
from schoolpoort.conferences.models import Booking, Round
from tests.api.api_helpers import bearer, token_for
from tests.conferences.conferences_helpers import add_session, family, make_round, slots
from tests.world import build_world


@pytest.fixture
def world(db):
    world = build_world()
    world.round = make_round(world)
    add_session(world.round, world.users["teacher"], world.group3, start=(19, 0), end=(20, 0))
    world.slots = slots(world.round)
    return world


def book_json(client, world, picks, **extra):
    return client.post(f"/api/v1/conferences/{world.round.pk}/bookings", json.dumps({"picks": picks}),
                       content_type="application/json", **extra)


def free_ids(client, world, student=None):
    response = client.get(f"/api/v1/conferences/{world.round.pk}/children/{(student or world.child).pk}/free-times")
    assert response.status_code == 200
    return [item["id"] for item in response.json()["items"]]


@pytest.mark.parametrize("role, sees", [
    ("guardian", True), ("other_guardian", True), ("guardian_other_group", False), ("guardian_other_school", False),
    ("teacher", True), ("teacher_other_group", False), ("director", True), ("board_admin_other_board", False),
])
def test_the_rounds_and_a_round_follow_the_pages_rule(client, world, role, sees):
    client.force_login(world.users[role])
    listed = client.get("/api/v1/conferences")
    assert listed.status_code in (200, 404)
    assert (listed.status_code == 200 and [r["id"] for r in listed.json()] == [world.round.pk]) is sees
    detail = client.get(f"/api/v1/conferences/{world.round.pk}")
    assert detail.status_code == (200 if sees else 404)
    if sees:
        children = [c["student_id"] for c in detail.json()["children"]]
        assert children == ([world.child.pk] if "guardian" in role else [])


def test_a_parent_sees_the_free_times_and_books_one(client, world):
    client.force_login(world.users["guardian"])
    assert free_ids(client, world) == [slot.pk for slot in world.slots]
    response = book_json(client, world, [{"student_id": world.child.pk, "slot_id": world.slots[1].pk}])
    assert response.status_code == 201
    booking = Booking.objects.get(pk=response.json()["bookings"][0]["id"])
    assert booking.slot == world.slots[1] and booking.student == world.child and booking.booked_by_id == world.users[
        "guardian"].pk
    detail = client.get(f"/api/v1/conferences/{world.round.pk}").json()
    assert detail["children"][0]["booking"]["slot"]["id"] == world.slots[1].pk
    assert detail["children"][0]["can_book"] is False
    again = book_json(client, world, [{"student_id": world.child.pk, "slot_id": world.slots[2].pk}])
    assert again.status_code == 422 and again.json()["detail"][0]["type"] == "already_booked"


def test_a_time_taken_meanwhile_answers_409_with_the_nearest_free_times(client, world):
    (other,), (other_child,) = family(world.group3)
    domain.book(world.round, other, [domain.Pick(other_child.pk, world.slots[2].pk)])
    client.force_login(world.users["guardian"])
    assert world.slots[2].pk not in free_ids(client, world)
    response = book_json(client, world, [{"student_id": world.child.pk, "slot_id": world.slots[2].pk}])
    assert response.status_code == 409
    body = response.json()
    assert body["lost_slot_ids"] == [world.slots[2].pk]
    nearest = [alt["picks"][0]["slot"]["id"] for alt in body["alternatives"]]
    assert nearest[:2] == [world.slots[1].pk, world.slots[3].pk]
    assert not Booking.objects.filter(student=world.child).exists()


def test_another_familys_child_or_round_is_404(client, world):
    client.force_login(world.users["guardian_other_group"])
    assert client.get(f"/api/v1/conferences/{world.round.pk}/children/{world.child.pk}/free-times").status_code == 404
    assert book_json(client, world, [{"student_id": world.child.pk, "slot_id": world.slots[0].pk}]).status_code == 404
    client.force_login(world.users["guardian"])
    url = f"/api/v1/conferences/{world.round.pk}/children/{world.classmate_of_other_group.pk}/free-times"
    assert client.get(url).status_code == 404
    refused = book_json(client, world, [{"student_id": world.classmate_of_other_group.pk,
                                         "slot_id": world.slots[0].pk}])
    assert refused.status_code == 422 and not Booking.objects.exists()


def test_a_parent_cancels_and_others_cannot(client, world):
    appointment = domain.book(world.round, world.users["guardian"], [domain.Pick(world.child.pk, world.slots[0].pk)])
    booking = appointment.made_bookings[0]
    url = f"/api/v1/conferences/{world.round.pk}/bookings/{booking.pk}"
    for role in ("guardian_other_group", "teacher", "director"):
        client.force_login(world.users[role])
        assert client.delete(url).status_code == 404, role
    client.force_login(world.users["guardian"])
    assert client.delete(url).status_code == 204
    booking.refresh_from_db()
    assert booking.cancelled_at is not None
    assert world.slots[0].pk in free_ids(client, world)
    assert client.delete(url).status_code == 404  # cancelled: nothing left to cancel


def test_the_hidden_ex_partner_never_sees_the_other_guardians_own_conversation(client, world):
    Round.objects.filter(pk=world.round.pk).update(separated_guardians=Round.GuardianMode.SEPARATELY)
    world.round.refresh_from_db()
    appointment = domain.book(world.round, world.users["guardian"], [domain.Pick(world.child.pk, world.slots[0].pk)])
    booking = appointment.made_bookings[0]
    client.force_login(world.users["other_guardian"])
    detail = client.get(f"/api/v1/conferences/{world.round.pk}").json()
    assert detail["children"][0]["booking"] is None
    assert client.delete(f"/api/v1/conferences/{world.round.pk}/bookings/{booking.pk}").status_code == 404
    assert world.slots[0].pk not in free_ids(client, world)  # taken, without a name


def test_a_token_may_not_book_or_read_a_familys_conferences(client, world):
    headers = bearer(token_for(world.users["director"], world.school).secret)
    assert client.get("/api/v1/conferences", **headers).status_code == 403
    assert client.get(f"/api/v1/conferences/{world.round.pk}", **headers).status_code == 403
    assert book_json(client, world, [{"student_id": world.child.pk, "slot_id": world.slots[0].pk}],
                     **headers).status_code == 403


def test_the_closed_round_refuses_with_422(client, world):
    from django.utils import timezone

    Round.objects.filter(pk=world.round.pk).update(booking_closes_at=timezone.now() - domain.datetime.timedelta(
        minutes=1), booking_opens_at=timezone.now() - domain.datetime.timedelta(days=2))
    client.force_login(world.users["guardian"])
    response = book_json(client, world, [{"student_id": world.child.pk, "slot_id": world.slots[0].pk}])
    assert response.status_code == 422 and response.json()["detail"][0]["type"] == "closed"


def test_free_times_and_rounds_cost_the_same_queries_for_few_or_many(client, world, django_assert_max_num_queries):
    client.force_login(world.users["guardian"])
    counts = []
    for round_ in range(2):
        with django_assert_max_num_queries(40) as captured:
            assert len(free_ids(client, world)) == (len(world.slots) if round_ == 0 else 11 * len(world.slots))
            assert client.get("/api/v1/conferences").status_code == 200
            assert client.get(f"/api/v1/conferences/{world.round.pk}").status_code == 200
        counts.append(len(captured.captured_queries))
        if round_ == 0:
            day = world.slots[0].starts_at.date()
            for n in range(10):
                other = make_round(world, title=f"Ronde {n}")
                add_session(other, world.users["teacher"], world.group3, day=day)
                add_session(world.round, world.users["teacher"], world.group3,
                            day=day + domain.datetime.timedelta(days=n + 1))
    assert counts[1] <= counts[0], counts
