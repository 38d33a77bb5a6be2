"""What families hear: that booking opened (at its time, through the task queue), confirmations of
booking, change and cancellation, and the reminder the day before; titles only, in their language."""

import datetime

import pytest
from django.utils import timezone

from schoolpoort.conferences import actions
from schoolpoort.conferences import booking as domain
from schoolpoort.conferences.booking import Pick
from schoolpoort.conferences.models import Round
from schoolpoort.notify.models import Broadcast
from tests.conferences.conferences_helpers import (
    DAY,
    add_session,
    broadcasts,
    conference_day,
    english,
    family,
    make_round,
    recipients,
    run_worker,
    slots,
    tasks,
)


def new_round(world, opens):
    return actions.create_round(
        world.users["director"], school=world.school, groups=[world.group3], title="Tienminutengesprekken",
        booking_opens_at=opens, booking_closes_at=opens + 3 * DAY, separated_guardians="together",
        slot_minutes=10,
    )


def guardians_of_group3(world):
    return sorted([world.users["guardian"].pk, world.users["other_guardian"].pk])


def test_a_round_that_is_open_at_once_tells_the_families_of_its_groups_at_once(world):
    round = new_round(world, timezone.now() - datetime.timedelta(minutes=5))
    (broadcast,) = broadcasts("conferences.opened")
    assert broadcast.recipient_ids == guardians_of_group3(world)  # not groep 6, not the other schools
    assert broadcast.key == f"conferences.round:{round.pk}" and broadcast.url == f"/gesprekken/{round.pk}/"
    assert broadcast.module == "conferences" and broadcast.school_id == world.school.pk
    assert "Tienminutengesprekken" in broadcast.title and "Noor" not in broadcast.title
    round.refresh_from_db()
    assert round.notified_at is not None
    actions.update_round(round, world.users["director"], groups=[world.group3], title="Nieuwe titel")
    assert broadcasts("conferences.opened").count() == 1  # once


@pytest.mark.django_db(transaction=True)
def test_a_round_that_opens_later_is_announced_by_the_worker_at_its_time(world):
    opens = timezone.now() + DAY
    round = new_round(world, opens)
    assert not broadcasts("conferences.opened").exists()
    (task,) = tasks("open_round")
    assert task.run_after == opens
    run_worker()
    assert not broadcasts("conferences.opened").exists()  # not before its time
    # The time comes (the opening moves to now, which queues a task for now).
    actions.update_round(round, world.users["director"], groups=[world.group3],
                         booking_opens_at=timezone.now() - datetime.timedelta(seconds=1))
    run_worker()
    assert recipients("conferences.opened") == guardians_of_group3(world)
    run_worker()
    assert broadcasts("conferences.opened").count() == 1


def test_booking_changing_and_cancelling_are_confirmed_to_the_family(world):
    round = make_round(world)
    add_session(round, world.users["teacher"], world.group3)
    first, second, *_ = slots(round)
    domain.book(round, world.users["guardian"], [Pick(world.child.pk, first.pk)])
    booking = round.bookings.get()
    domain.change(round, world.users["other_guardian"], booking.pk, second.pk)
    domain.cancel(round, world.users["guardian"], booking.pk)
    for event in ("conferences.booked", "conferences.changed", "conferences.cancelled"):
        assert recipients(event) == guardians_of_group3(world), event
    titles = [b.title for b in Broadcast.objects.filter(module="conferences").order_by("pk")]
    assert len(titles) == 3 and not any(world.child.first_name in title for title in titles)
    assert all(b.url == f"/gesprekken/{round.pk}/" for b in Broadcast.objects.all())


def test_each_recipient_gets_the_title_in_their_own_language(world):
    english(world.users["other_guardian"])
    round = make_round(world)
    add_session(round, world.users["teacher"], world.group3)
    domain.book(round, world.users["guardian"], [Pick(world.child.pk, slots(round)[0].pk)])
    by_recipient = {tuple(b.recipient_ids): b.title for b in broadcasts("conferences.booked")}
    assert set(by_recipient) == {(world.users["guardian"].pk,), (world.users["other_guardian"].pk,)}
    english_title = by_recipient[(world.users["other_guardian"].pk,)]
    assert english_title.startswith("Conference booked: ")


def test_the_reminder_goes_out_the_day_before_once_to_the_families_of_that_day(world):
    round = make_round(world, groups=[world.group3, world.group6])
    day, other_day = conference_day(3), conference_day(5)
    actions.add_session(round, world.users["director"], teacher=world.users["teacher"], group=world.group3, date=day,
                        starts_at=datetime.time(19), ends_at=datetime.time(20))
    actions.add_session(round, world.users["director"], teacher=world.users["teacher_other_group"],
                        group=world.group6, date=other_day, starts_at=datetime.time(19), ends_at=datetime.time(20))
    reminder_tasks = tasks("send_reminders").order_by("run_after")
    assert [t.args_kwargs["args"] for t in reminder_tasks] == [[round.pk, day.isoformat()],
                                                               [round.pk, other_day.isoformat()]]
    first = reminder_tasks[0].run_after.astimezone(timezone.get_current_timezone())
    assert (first.date(), first.hour) == (day - datetime.timedelta(days=1), 16)

    domain.book(round, world.users["guardian"], [Pick(world.child.pk, slots(round, world.users["teacher"])[3].pk)])
    domain.book(round, world.users["guardian_other_group"],
                [Pick(world.classmate_of_other_group.pk, slots(round, world.users["teacher_other_group"])[0].pk)])
    assert actions.send_due_reminders(round.pk, day.isoformat()) == 2
    (reminder,) = broadcasts("conferences.reminder")
    assert reminder.recipient_ids == guardians_of_group3(world)
    assert "19:30" in reminder.title
    assert actions.send_due_reminders(round.pk, day.isoformat()) == 0  # once


def test_no_reminder_when_the_round_does_not_want_one(world):
    round = make_round(world, remind_day_before=False)
    actions.add_session(round, world.users["director"], teacher=world.users["teacher"], group=world.group3,
                        date=conference_day(3), starts_at=datetime.time(19), ends_at=datetime.time(20))
    assert not tasks("send_reminders").exists()


def test_families_placed_by_the_school_hear_about_it(world):
    round = make_round(world, mode=Round.GuardianMode.SEPARATELY)
    add_session(round, world.users["teacher"], world.group3)
    (parent,), (child,) = family(world.group3)
    actions.place(round, world.users["teacher"], child, slots(round)[0].pk)
    assert recipients("conferences.placed") == [parent.pk]
    # Separated guardians: the school books for one of them, and only that one hears about it.
    actions.place(round, world.users["teacher"], world.child, slots(round)[1].pk, party=world.users["guardian"].pk)
    assert broadcasts("conferences.placed").last().recipient_ids == [world.users["guardian"].pk]
