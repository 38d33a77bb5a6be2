"""Bookings in the user's own agenda: one item per conversation with a uid that never changes,
SEQUENCE raised on a change, cancelled ones marked cancelled; one query."""

from django.utils import translation
from icalendar import Calendar

from schoolpoort.calendar.feed import user_calendar
from schoolpoort.conferences import booking as domain
from schoolpoort.conferences.booking import Pick
from schoolpoort.conferences.calendar_feed import feed_items
from schoolpoort.conferences.models import Booking, Round
from tests.conferences.conferences_helpers import add_session, make_round, slots


def test_a_booking_is_in_the_familys_feed_and_follows_changes_and_cancellation(world):
    round = make_round(world, location="Lokaal 3", video_link="https://meet.example/abc")
    add_session(round, world.users["teacher"], world.group3)
    first, second, *_ = slots(round)
    domain.book(round, world.users["guardian"], [Pick(world.child.pk, first.pk)])
    booking = Booking.objects.get()
    with translation.override("en"):
        (item,) = feed_items(world.users["guardian"])
    assert item.uid == f"conference-booking-{booking.pk}@schoolpoort"
    assert (item.start, item.end, item.sequence, item.cancelled) == (first.starts_at, first.ends_at, 0, False)
    assert item.summary == f"Conference about Noor with {world.users['teacher'].get_full_name()}"
    assert item.location == "Lokaal 3" and "https://meet.example/abc" in item.description
    assert feed_items(world.users["other_guardian"])[0].uid == item.uid  # the family books together

    domain.change(round, world.users["guardian"], booking.pk, second.pk)
    (moved,) = feed_items(world.users["guardian"])
    assert (moved.uid, moved.start, moved.sequence) == (item.uid, second.starts_at, 1)
    domain.cancel(round, world.users["guardian"], booking.pk)
    (cancelled,) = feed_items(world.users["guardian"])
    assert (cancelled.uid, cancelled.cancelled, cancelled.sequence) == (item.uid, True, 2)
    assert feed_items(world.users["guardian_other_group"]) == []


def test_separated_guardians_each_have_only_their_own_booking_in_their_feed(world):
    round = make_round(world, mode=Round.GuardianMode.SEPARATELY)
    add_session(round, world.users["teacher"], world.group3)
    first, second, *_ = slots(round)
    domain.book(round, world.users["guardian"], [Pick(world.child.pk, first.pk)])
    domain.book(round, world.users["other_guardian"], [Pick(world.child.pk, second.pk)])
    assert [i.start for i in feed_items(world.users["guardian"])] == [first.starts_at]
    assert [i.start for i in feed_items(world.users["other_guardian"])] == [second.starts_at]


def test_staff_get_no_bookings_in_their_feed(world):
    round = make_round(world)
    add_session(round, world.users["teacher"], world.group3)
    domain.book(round, world.users["guardian"], [Pick(world.child.pk, slots(round)[0].pk)])
    for role in ("teacher", "director", "board_admin"):
        assert feed_items(world.users[role]) == [], role


def test_one_query_whatever_the_number_of_bookings(world, django_assert_num_queries):
    round = make_round(world)
    add_session(round, world.users["teacher"], world.group3)
    domain.book(round, world.users["guardian"], [Pick(world.child.pk, slots(round)[0].pk)])
    with django_assert_num_queries(1):
        feed_items(world.users["guardian"])


def test_the_agenda_feed_carries_the_conference(world):
    round = make_round(world)
    add_session(round, world.users["teacher"], world.group3)
    domain.book(round, world.users["guardian"], [Pick(world.child.pk, slots(round)[0].pk)])
    calendar = Calendar.from_ical(user_calendar(world.users["guardian"]))
    uids = [str(event["UID"]) for event in calendar.events]
    assert f"conference-booking-{Booking.objects.get().pk}@schoolpoort" in uids
