"""The planner: at the planning moment every family that gave preferred times is placed within
them, brothers and sisters side by side with their teachers; who cannot be placed is reported."""

import datetime
import random

import pytest
from django.utils import timezone

from schoolpoort.conferences import actions
from schoolpoort.conferences import booking as domain
from schoolpoort.conferences.booking import Pick
from schoolpoort.conferences.models import Appointment, Booking, Preference, Round
from schoolpoort.conferences.planner import run, run_due
from tests.conferences.conferences_helpers import (
    DAY,
    add_session,
    at,
    broadcasts,
    conference_day,
    family,
    make_round,
    recipients,
    slots,
    tasks,
)


def window(day, start, end):
    return [at(day, *start).isoformat(), at(day, *end).isoformat()]


def prefer(round, user, *windows):
    return Preference.objects.create(round=round, user=user, windows=list(windows))


@pytest.fixture
def round(world):
    round = make_round(world, groups=[world.group3, world.group6], planning_at=timezone.now() + DAY)
    for day in (conference_day(4), conference_day(5)):
        add_session(round, world.users["teacher"], world.group3, day=day, start=(19, 0), end=(20, 0))
        add_session(round, world.users["teacher_other_group"], world.group6, day=day, start=(19, 0), end=(20, 0))
    return round


def assert_side_by_side(appointment):
    bookings = sorted(appointment.bookings.select_related("slot"), key=lambda b: b.slot.starts_at)
    for before, after in zip(bookings, bookings[1:], strict=False):
        assert after.slot.starts_at == before.slot.ends_at
    return bookings


def assert_within(bookings, preference):
    for booking in bookings:
        assert any(a <= booking.slot.starts_at and booking.slot.ends_at <= b for a, b in preference.time_windows())


def test_every_family_is_placed_within_its_times_with_siblings_side_by_side_and_the_rest_reported(world, round):
    day1, day2 = conference_day(4), conference_day(5)
    (p1,), kids1 = family(world.group3, world.group6)
    (p2,), kids2 = family(world.group6, world.group3)
    (p3,), kids3 = family(world.group3)
    (p4,), kids4 = family(world.group6)
    (p5,), kids5 = family(world.group3)
    prefs = {
        p1.pk: prefer(round, p1, window(day1, (19, 0), (19, 40))),
        p2.pk: prefer(round, p2, window(day1, (19, 0), (19, 40))),
        p3.pk: prefer(round, p3, window(day1, (19, 0), (19, 20))),  # the narrowest: placed first
        p4.pk: prefer(round, p4, window(day2, (19, 0), (20, 0))),
    }
    prefer(round, p5, window(day1 + datetime.timedelta(days=7), (19, 0), (20, 0)))  # an evening without conferences

    report = run(round.pk)

    assert report["families"] == 5
    assert {item["user"] for item in report["placed"]} == {p1.pk, p2.pk, p3.pk, p4.pk}
    assert report["unplaced"] == [{"user": p5.pk, "students": [kids5[0].pk], "reason": "no_time"}]
    for item in report["placed"]:
        appointment = Appointment.objects.get(pk=item["appointment"])
        assert appointment.source == Appointment.Source.PLANNER
        bookings = assert_side_by_side(appointment)
        assert_within(bookings, prefs[item["user"]])
    assert {b.student for b in Booking.objects.filter(appointment__party=0)} >= set(kids1 + kids2 + kids3 + kids4)
    for kids in (kids1, kids2):
        teachers = set(Booking.objects.filter(student__in=kids).values_list("slot__teacher", flat=True))
        assert teachers == {world.users["teacher"].pk, world.users["teacher_other_group"].pk}

    round.refresh_from_db()
    assert round.planned_at is not None and round.planner_report == report
    assert recipients("conferences.planned") == sorted([p1.pk, p2.pk, p3.pk, p4.pk])
    assert recipients("conferences.planner") == [world.users["director"].pk]  # who made the round
    assert run(round.pk) is None  # once


def test_a_whole_school_of_preferences_is_placed_side_by_side(world):
    """Twelve families with two children and ten with one over three evenings: all placed."""
    rng = random.Random(7)
    round = make_round(world, groups=[world.group3, world.group6], planning_at=timezone.now() + DAY)
    days = [conference_day(n) for n in (4, 5, 6)]
    for day in days:
        add_session(round, world.users["teacher"], world.group3, day=day, start=(18, 0), end=(20, 0))
        add_session(round, world.users["teacher_other_group"], world.group6, day=day, start=(18, 0), end=(20, 0))
    parents = []
    for n in range(22):
        groups = (world.group3, world.group6) if n < 12 else ((world.group3,) if n % 2 else (world.group6,))
        (parent,), _kids = family(*groups)
        day = rng.choice(days)
        windows = [window(day, (18, 0), (20, 0))] if rng.random() < 0.5 else [
            window(day, (18, 0), (19, 0)), window(rng.choice(days), (19, 0), (20, 0))]
        parents.append(prefer(round, parent, *windows))
    report = run(round.pk)
    assert report["unplaced"] == [] and len(report["placed"]) == 22
    assert all(item["side_by_side"] for item in report["placed"] if len(item["students"]) == 2)
    for item in report["placed"]:
        appointment = Appointment.objects.get(pk=item["appointment"])
        bookings = assert_side_by_side(appointment)
        assert_within(bookings, next(p for p in parents if p.user_id == item["user"]))
    assert Booking.objects.count() == 12 * 2 + 10


def test_families_that_booked_themselves_are_left_alone(world, round):
    (parent,), (child,) = family(world.group3)
    prefer(round, parent, window(conference_day(4), (19, 0), (20, 0)))
    domain.book(round, parent, [Pick(child.pk, slots(round, world.users["teacher"])[5].pk)])
    report = run(round.pk)
    assert report["families"] == 0 and Booking.objects.count() == 1


def test_the_planner_takes_another_time_when_a_family_booked_it_by_hand_meanwhile(world, round, monkeypatch):
    """Between choosing and booking, a parent takes the chosen time: never a double booking."""
    from schoolpoort.conferences import planner

    (parent,), (child,) = family(world.group3)
    (other,), (other_child,) = family(world.group3)
    prefer(round, parent, window(conference_day(4), (19, 0), (19, 30)))
    real_choose = planner.choose

    def choose_then_someone_books(families, free):
        chosen, left = real_choose(families, free)
        (family_, pick), = chosen
        domain.book(round, other, [Pick(other_child.pk, pick.picks[0][1].pk)])
        return chosen, left

    monkeypatch.setattr(planner, "choose", choose_then_someone_books)
    report = run(round.pk)
    assert len(report["placed"]) == 1
    assert Booking.objects.active().count() == 2
    assert Booking.objects.values("slot").distinct().count() == 2


def test_making_a_round_with_a_planning_time_queues_the_planner_for_then(world):
    planning = timezone.now() + 2 * DAY
    round = actions.create_round(
        world.users["director"], school=world.school, groups=[world.group3], title="Gesprekken",
        booking_opens_at=timezone.now() - DAY, booking_closes_at=timezone.now() + 3 * DAY, planning_at=planning,
        separated_guardians=Round.GuardianMode.TOGETHER, slot_minutes=10,
    )
    (task,) = tasks("plan_round")
    assert task.run_after == planning and task.args_kwargs["args"] == [round.pk, planning.isoformat()]
    # A task for another moment (the time was changed since) does nothing; nor one that comes early.
    assert run_due(round.pk, (planning - DAY).isoformat()) is None
    assert run_due(round.pk, planning.isoformat()) is None
    assert tasks("plan_round").count() == 2  # it queued itself again for the right time
    Round.objects.filter(pk=round.pk).update(planning_at=timezone.now() - datetime.timedelta(minutes=1))
    round.refresh_from_db()
    assert run_due(round.pk, round.planning_at.isoformat()) == {
        "ran_at": Round.objects.get(pk=round.pk).planner_report["ran_at"], "families": 0, "placed": [],
        "unplaced": []}
    assert broadcasts("conferences.planner").count() == 1
