"""No double booking, ever, proved against PostgreSQL: families book the same few slots from many
threads at the same instant (each thread its own database connection). Each slot ends with one
booking, every loser gets the clear "just taken" message with the times still free, a booking of
several children is all or nothing, and a child gets one conversation however many guardians try.
SQLite's single writer hides races, so these run on PostgreSQL only (CI runs it)."""

from collections import Counter

import pytest
from django.db import connection

from schoolpoort.conferences import booking as domain
from schoolpoort.conferences.booking import Pick
from schoolpoort.conferences.models import Booking
from tests.concurrency import race
from tests.conferences.conferences_helpers import add_session, family, make_round, slots
from tests.world import build_world

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's single writer hides races"),
]




def test_sixteen_families_racing_for_four_slots_leave_one_booking_per_slot():
    world = build_world()
    round = make_round(world)
    add_session(round, world.users["teacher"], world.group3, start=(19, 0), end=(20, 0))  # six slots
    all_slots = slots(round)
    wanted = all_slots[:4]
    families = [family(world.group3) for _ in range(16)]

    def attempt(n):
        (parent,), (child,) = families[n]
        return lambda: domain.book(round, parent, [Pick(child.pk, wanted[n % 4].pk)])

    outcomes = race([attempt(n) for n in range(16)])

    winners = [o for o in outcomes if not isinstance(o, Exception)]
    losers = [(n, o) for n, o in enumerate(outcomes) if isinstance(o, Exception)]
    assert len(winners) == 4 and len(losers) == 12
    per_slot = Counter(Booking.objects.active().values_list("slot_id", flat=True))
    assert per_slot == {slot.pk: 1 for slot in wanted}
    untouched = {slot.pk for slot in all_slots[4:]}
    for n, error in losers:
        assert isinstance(error, domain.SlotTaken), repr(error)
        assert "was just taken by another family" in error.message and "Still free:" in error.message
        free = {slot.pk for slot in error.free_slots}
        assert untouched <= free and wanted[n % 4].pk not in free


def test_families_racing_for_overlapping_back_to_back_times_get_all_or_nothing():
    """Pairs of slots (one per child) that overlap, picked in both orders: no deadlock, no half
    appointment, no slot twice."""
    world = build_world()
    round = make_round(world, groups=[world.group3, world.group6])
    add_session(round, world.users["teacher"], world.group3, start=(19, 0), end=(19, 30))
    add_session(round, world.users["teacher_other_group"], world.group6, start=(19, 0), end=(19, 30))
    three, six = slots(round, world.users["teacher"]), slots(round, world.users["teacher_other_group"])
    # 18 families, 6 different pairs (never both children at the same time: one parent comes)
    combos = [(a, b) for a in range(3) for b in range(3) if a != b] * 3
    families = [family(world.group3, world.group6) for _ in combos]

    def attempt(n):
        (parent,), (younger, older) = families[n]
        a, b = combos[n]
        picks = [Pick(younger.pk, three[a].pk), Pick(older.pk, six[b].pk)]
        return lambda: domain.book(round, parent, picks if n % 2 else picks[::-1])

    outcomes = race([attempt(n) for n in range(len(combos))])

    assert all(isinstance(o, domain.SlotTaken) for o in outcomes if isinstance(o, Exception)), outcomes
    per_slot = Counter(Booking.objects.active().values_list("slot_id", flat=True))
    assert set(per_slot.values()) == {1}
    for n, (_parents, children) in enumerate(families):
        booked = Booking.objects.active().filter(student__in=children).count()
        assert booked == (0 if isinstance(outcomes[n], Exception) else 2)
    winners = sum(not isinstance(o, Exception) for o in outcomes)
    assert 1 <= winners <= 3 and len(per_slot) == 2 * winners


def test_guardians_racing_for_the_same_child_get_one_conversation():
    world = build_world()
    round = make_round(world)
    add_session(round, world.users["teacher"], world.group3, start=(19, 0), end=(21, 0))  # twelve slots
    free = slots(round)
    families = [family(world.group3, guardians=2) for _ in range(6)]
    attempts = []
    for n, ((mother, father), (child,)) in enumerate(families):
        attempts.append(lambda m=mother, c=child, s=free[2 * n]: domain.book(round, m, [Pick(c.pk, s.pk)]))
        attempts.append(lambda f=father, c=child, s=free[2 * n + 1]: domain.book(round, f, [Pick(c.pk, s.pk)]))

    outcomes = race(attempts)

    per_child = Counter(Booking.objects.active().values_list("student_id", flat=True))
    assert per_child == {children[0].pk: 1 for _users, children in families}
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 6 and all(isinstance(e, domain.AlreadyBooked) for e in errors), errors


def test_the_database_holds_the_unique_constraints():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Booking._meta.db_table)
    one_per_slot = constraints["conference_booking_one_per_slot"]
    one_per_child = constraints["conference_booking_one_per_child"]
    assert one_per_slot["unique"] and one_per_slot["columns"] == ["slot_id"]
    assert one_per_child["unique"] and one_per_child["columns"] == ["round_id", "student_id", "party"]
