"""Booking, changing and cancelling a time: one booking per slot, one conversation per child,
until booking closes; refused with a clear message, and the times still free, when it cannot be."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from schoolpoort.conferences import booking as domain
from schoolpoort.conferences.booking import Pick
from schoolpoort.conferences.models import FAMILY, Appointment, Booking
from tests.conferences.conferences_helpers import DAY, add_session, english, family, make_round, slots


@pytest.fixture
def round(world):
    round = make_round(world, groups=[world.group3, world.group6])
    add_session(round, world.users["teacher"], world.group3)
    add_session(round, world.users["teacher_other_group"], world.group6)
    return round


def group3_slots(world, round):
    return slots(round, world.users["teacher"])


def test_a_guardian_books_a_time_for_their_child(world, round):
    slot = group3_slots(world, round)[2]
    appointment = domain.book(round, world.users["guardian"], [Pick(world.child.pk, slot.pk)])
    (booking,) = Booking.objects.all()
    assert (booking.appointment, booking.slot, booking.student, booking.party) == (
        appointment, slot, world.child, FAMILY
    )
    assert appointment.source == Appointment.Source.GUARDIAN and booking.booked_by == world.users["guardian"]


def test_a_taken_time_is_refused_with_a_clear_message_and_the_times_still_free(world, round):
    first, second, *rest = group3_slots(world, round)
    domain.book(round, world.users["guardian"], [Pick(world.child.pk, first.pk)])
    (other,), (classmate,) = family(world.group3)
    with translation.override("en"), pytest.raises(domain.SlotTaken) as caught:
        domain.book(round, other, [Pick(classmate.pk, first.pk)])
    error = caught.value
    assert "was just taken by another family" in error.message
    assert "Still free: " in error.message
    assert [slot.pk for slot in error.free_slots] == [second.pk] + [slot.pk for slot in rest]
    assert Booking.objects.filter(slot=first).count() == 1


def test_a_guardian_changes_the_time_and_the_old_time_is_free_again(world, round):
    first, second, third, *_ = group3_slots(world, round)
    domain.book(round, world.users["guardian"], [Pick(world.child.pk, first.pk)])
    booking = Booking.objects.get()
    changed = domain.change(round, world.users["guardian"], booking.pk, third.pk)
    assert (changed.pk, changed.slot_id, changed.sequence) == (booking.pk, third.pk, 1)
    (other,), (classmate,) = family(world.group3)
    domain.book(round, other, [Pick(classmate.pk, first.pk)])
    assert Booking.objects.active().count() == 2


def test_changing_to_a_taken_time_keeps_the_old_one(world, round):
    first, second, *_ = group3_slots(world, round)
    (other,), (classmate,) = family(world.group3)
    domain.book(round, other, [Pick(classmate.pk, second.pk)])
    domain.book(round, world.users["guardian"], [Pick(world.child.pk, first.pk)])
    mine = Booking.objects.get(student=world.child)
    with pytest.raises(domain.SlotTaken):
        domain.change(round, world.users["guardian"], mine.pk, second.pk)
    mine.refresh_from_db()
    assert (mine.slot_id, mine.sequence) == (first.pk, 0)


def test_a_guardian_cancels_and_the_time_is_free_for_others(world, round):
    first = group3_slots(world, round)[0]
    domain.book(round, world.users["guardian"], [Pick(world.child.pk, first.pk)])
    booking = Booking.objects.get()
    domain.cancel(round, world.users["guardian"], booking.pk)
    booking.refresh_from_db()
    assert booking.cancelled_at is not None and booking.sequence == 1
    assert booking.appointment.__class__.objects.get(pk=booking.appointment_id).cancelled_at is not None
    (other,), (classmate,) = family(world.group3)
    domain.book(round, other, [Pick(classmate.pk, first.pk)])
    # ... and the child may book again.
    domain.book(round, world.users["guardian"], [Pick(world.child.pk, group3_slots(world, round)[1].pk)])
    assert Booking.objects.active().count() == 2


def test_after_booking_closes_nothing_can_be_booked_changed_or_cancelled(world, round):
    first, second, *_ = group3_slots(world, round)
    domain.book(round, world.users["guardian"], [Pick(world.child.pk, first.pk)])
    booking = Booking.objects.get()
    later = round.booking_closes_at + datetime.timedelta(minutes=1)
    (other,), (classmate,) = family(world.group3)
    with pytest.raises(domain.BookingClosed):
        domain.book(round, other, [Pick(classmate.pk, second.pk)], now=later)
    with pytest.raises(domain.BookingClosed):
        domain.change(round, world.users["guardian"], booking.pk, second.pk, now=later)
    with pytest.raises(domain.BookingClosed):
        domain.cancel(round, world.users["guardian"], booking.pk, now=later)
    assert Booking.objects.active().get() == booking


def test_before_booking_opens_nothing_can_be_booked(world):
    round = make_round(world, opens=timezone.now() + DAY, closes=timezone.now() + 2 * DAY, announced=False)
    add_session(round, world.users["teacher"], world.group3)
    with pytest.raises(domain.BookingClosed):
        domain.book(round, world.users["guardian"], [Pick(world.child.pk, slots(round)[0].pk)])


def test_one_conversation_per_child_also_for_the_other_guardian(world, round):
    first, second, *_ = group3_slots(world, round)
    domain.book(round, world.users["guardian"], [Pick(world.child.pk, first.pk)])
    with pytest.raises(domain.AlreadyBooked):
        domain.book(round, world.users["guardian"], [Pick(world.child.pk, second.pk)])
    with pytest.raises(domain.AlreadyBooked):
        domain.book(round, world.users["other_guardian"], [Pick(world.child.pk, second.pk)])
    assert Booking.objects.count() == 1


def test_the_database_refuses_a_second_booking_of_a_slot_or_a_child(world, round):
    first, second, *_ = group3_slots(world, round)
    appointment = domain.book(round, world.users["guardian"], [Pick(world.child.pk, first.pk)])
    (other,), (classmate,) = family(world.group3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(appointment=appointment, round=round, slot=first, student=classmate)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(appointment=appointment, round=round, slot=second, student=world.child)
    # A cancelled booking does not count.
    Booking.objects.update(cancelled_at=timezone.now())
    Booking.objects.create(appointment=appointment, round=round, slot=first, student=classmate)


def test_blocked_and_past_times_and_other_teachers_times_cannot_be_booked(world, round):
    first, second, *_ = group3_slots(world, round)
    first.blocked = True
    first.save()
    with pytest.raises(domain.SlotTaken):
        domain.book(round, world.users["guardian"], [Pick(world.child.pk, first.pk)])
    group6_slot = slots(round, world.users["teacher_other_group"])[0]
    with pytest.raises(domain.NotBookable):
        domain.book(round, world.users["guardian"], [Pick(world.child.pk, group6_slot.pk)])
    round.booking_closes_at = second.starts_at + DAY  # booking still open, but the time has passed
    with pytest.raises(domain.SlotTaken):
        domain.book(round, world.users["guardian"], [Pick(world.child.pk, second.pk)], now=second.starts_at)
    assert not Booking.objects.exists()


def test_a_guardian_cannot_book_change_or_cancel_for_someone_elses_child(world, round):
    first, second, *_ = group3_slots(world, round)
    with pytest.raises(domain.NotBookable):
        domain.book(round, world.users["guardian_other_group"], [Pick(world.child.pk, first.pk)])
    domain.book(round, world.users["guardian"], [Pick(world.child.pk, first.pk)])
    booking = Booking.objects.get()
    for user in (world.users["guardian_other_group"], world.users["teacher"]):
        with pytest.raises(domain.NotBookable):
            domain.change(round, user, booking.pk, second.pk)
        with pytest.raises(domain.NotBookable):
            domain.cancel(round, user, booking.pk)


def test_the_page_books_and_says_so(client, world, round):
    english(world.users["guardian"])
    client.force_login(world.users["guardian"])
    slot = group3_slots(world, round)[1]
    response = client.post(reverse("conferences:book", args=[round.pk]), {"pick": f"{world.child.pk}:{slot.pk}"},
                           follow=True)
    assert "Your conference is booked" in response.content.decode()
    assert Booking.objects.get().slot == slot
    page = client.get(reverse("conferences:detail", args=[round.pk])).content.decode()
    assert f'data-booking="{Booking.objects.get().pk}"' in page


def test_the_page_tells_the_loser_which_times_are_still_free(client, world, round):
    first = group3_slots(world, round)[0]
    (other,), (classmate,) = family(world.group3)
    domain.book(round, other, [Pick(classmate.pk, first.pk)])
    english(world.users["guardian"])
    client.force_login(world.users["guardian"])
    response = client.post(reverse("conferences:book", args=[round.pk]), {"pick": f"{world.child.pk}:{first.pk}"},
                           follow=True)
    page = response.content.decode()
    assert "was just taken by another family" in page and "Still free:" in page
    assert not Booking.objects.filter(student=world.child).exists()


def test_the_page_changes_and_cancels(client, world, round):
    first, second, *_ = group3_slots(world, round)
    domain.book(round, world.users["guardian"], [Pick(world.child.pk, first.pk)])
    booking = Booking.objects.get()
    english(world.users["other_guardian"])
    client.force_login(world.users["other_guardian"])  # the other guardian of the family, booking together
    page = client.get(reverse("conferences:detail", args=[round.pk]) + f"?wijzig={booking.pk}").content.decode()
    assert 'name="slot"' in page and "Move to this time" in page
    client.post(reverse("conferences:change", args=[round.pk, booking.pk]), {"slot": second.pk})
    booking.refresh_from_db()
    assert booking.slot == second
    client.post(reverse("conferences:cancel", args=[round.pk, booking.pk]))
    booking.refresh_from_db()
    assert booking.cancelled_at is not None
