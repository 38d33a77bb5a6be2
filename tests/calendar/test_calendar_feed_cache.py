"""The agenda feed at scale: only a window of events (three months back, twelve ahead), a strong
ETag from a cheap version of the feed (304 without building anything), and the built body cached
under that version, so a poll of an unchanged feed costs a few small queries. Whatever changes
what the user sees changes the ETag; a stopped link is a 404 even while its body is cached."""

import datetime

import pytest
import recurring_ical_events
import vobject
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date, parse_http_date
from icalendar import Calendar

from schoolpoort.calendar import feed
from schoolpoort.calendar.actions import cancel_event, issue_feed_token, revoke_feed_token, update_event
from schoolpoort.calendar.models import FeedToken
from schoolpoort.conferences import booking as conference_booking
from schoolpoort.conferences.booking import Pick
from schoolpoort.core.models import ModuleSwitch
from schoolpoort.lib.feed import FeedItem, register_feed_provider, unregister_feed_provider
from tests.calendar.calendar_helpers import make_event, soon
from tests.conferences.conferences_helpers import add_session, make_round, slots
from tests.factories import GroupFactory, GuardianshipFactory, enrolled_student


def fetch(client, token: str, **headers):
    return client.get(reverse("calendar:feed", kwargs={"token": token}), **headers)


def uids(response) -> set[str]:
    assert response.status_code == 200
    return {str(event["UID"]) for event in Calendar.from_ical(response.content).events}


@pytest.fixture
def guardian(world):
    return world.users["guardian"]


@pytest.fixture
def token(guardian, events):
    return issue_feed_token(guardian)


@pytest.fixture
def builds(monkeypatch):
    """Counts how often a feed body is built (not read from the cache)."""
    calls = []
    real = feed.build_calendar

    def counting(user, version):
        calls.append(user.pk)
        return real(user, version)

    monkeypatch.setattr(feed, "build_calendar", counting)
    return calls


def assert_changes(client, token, change):
    """``change()`` gives the feed a new ETag and a new body, also to a client holding the old ETag."""
    before = fetch(client, token)
    change()
    after = fetch(client, token, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert after.content != before.content
    return before, after


# --- Conditional GET and the cache -----------------------------------------------------------------


def test_a_matching_etag_gets_304_without_building_or_reading_the_body(client, world, token, builds, monkeypatch):
    first = fetch(client, token)
    assert first["ETag"].startswith('"') and len(first["ETag"]) == 66  # strong: no W/
    assert builds == [world.users["guardian"].pk]
    monkeypatch.setattr(feed, "cached_calendar", lambda *args: pytest.fail("the body was asked for"))
    again = fetch(client, token, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"] and again["Last-Modified"] == first["Last-Modified"]
    assert fetch(client, token, HTTP_IF_NONE_MATCH='"something else"').status_code == 200


def test_repeated_polls_of_an_unchanged_feed_are_served_from_the_cache(client, world, token, builds):
    first = fetch(client, token)
    for _ in range(3):
        response = fetch(client, token)
        assert response.content == first.content and response["ETag"] == first["ETag"]
    assert len(builds) == 1


def test_the_cached_path_costs_four_queries_whatever_the_number_of_events(client, world, guardian, token):
    fetch(client, token)
    with CaptureQueriesContext(connection) as small:
        fetch(client, token)
    for grade in "4578":
        group = GroupFactory(school=world.school, grades=grade)
        GuardianshipFactory(student=enrolled_student(group), user=guardian)
        for day in range(5):
            make_event(groups=[group], starts_on=soon(day))
            make_event(school=world.school, starts_on=soon(day), start_time=datetime.time(9))
    first = fetch(client, token)
    with CaptureQueriesContext(connection) as large:
        cached = fetch(client, token)
    with CaptureQueriesContext(connection) as not_modified:
        assert fetch(client, token, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert cached.content == first.content
    # the link and its user, the version of the events, the weekly activities (the timetable's
    # gym), the conference bookings, and once the feed has events of a school, that school's days
    # off (repeating events skip them)
    assert len(small.captured_queries) <= len(large.captured_queries) == len(not_modified.captured_queries) == 5


def test_last_modified_moves_only_when_the_feed_changes(client, world, guardian, token, events):
    first = fetch(client, token)
    stored = FeedToken.objects.get(user=guardian)
    assert stored.content_hash == first["ETag"].strip('"')
    assert first["Last-Modified"] == http_date(stored.content_changed_at.timestamp())
    assert fetch(client, token, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert FeedToken.objects.get(pk=stored.pk).content_changed_at == stored.content_changed_at  # nothing moved
    make_event(school=world.school, title="New")
    changed = fetch(client, token, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert changed.status_code == 200  # even within the same second: Last-Modified always moves on
    assert parse_http_date(changed["Last-Modified"]) > parse_http_date(first["Last-Modified"])


# --- What changes the version ------------------------------------------------------------------------


def test_an_edit_of_a_visible_event_changes_the_etag_and_the_body(client, world, token, events):
    event = events["group3"]
    _before, after = assert_changes(
        client, token, lambda: update_event(event, world.users["teacher"], groups=[world.group3], title="Gym (moved)")
    )
    assert b"Gym (moved)" in after.content


def test_a_cancellation_changes_the_etag_and_the_event_stays_as_cancelled(client, world, token, events):
    event = events["school"]
    _before, after = assert_changes(client, token, lambda: cancel_event(event, world.users["director"]))
    (vevent,) = [e for e in Calendar.from_ical(after.content).events if str(e["UID"]) == str(event.uid)]
    assert vevent["STATUS"] == "CANCELLED" and vevent["SEQUENCE"] == 1


def test_a_new_and_a_deleted_event_change_the_etag(client, world, token, events):
    _before, after = assert_changes(client, token, lambda: make_event(groups=[world.group3], title="Swimming"))
    assert b"Swimming" in after.content
    _before, after = assert_changes(client, token, lambda: events["board"].delete())
    assert str(events["board"].uid) not in uids(after)


def test_what_the_user_may_see_changing_changes_the_etag(client, world, guardian, token, events):
    """No event changes, but the module is switched off: the events leave the feed."""
    before, after = assert_changes(
        client, token, lambda: ModuleSwitch.objects.filter(school=world.school, module="calendar").update(enabled=False)
    )
    assert str(events["school"].uid) in uids(before)
    assert str(events["school"].uid) not in uids(after)


def test_a_renamed_group_changes_the_etag(client, world, token, events):
    def rename():
        world.group3.name = "Groep 3 Zonnebloem"
        world.group3.save()

    _before, after = assert_changes(client, token, rename)
    assert "For: Groep 3 Zonnebloem" in Calendar.from_ical(after.content).to_ical().decode().replace("\r\n ", "") or (
        "Groep 3 Zonnebloem" in after.content.decode().replace("\r\n ", "")
    )


def test_the_language_of_the_user_is_part_of_the_version(client, world, guardian, token):
    guardian.language = "en"
    guardian.save()
    english = fetch(client, token)
    guardian.language = "nl"
    guardian.save()
    dutch = fetch(client, token, HTTP_IF_NONE_MATCH=english["ETag"])
    assert dutch.status_code == 200 and dutch["ETag"] != english["ETag"]


def test_a_booked_conference_changes_the_etag(client, world, guardian, token):
    round = make_round(world)
    add_session(round, world.users["teacher"], world.group3)
    first, second, *_ = slots(round)
    _before, after = assert_changes(
        client, token, lambda: conference_booking.book(round, guardian, [Pick(world.child.pk, first.pk)])
    )
    booking_uid = next(uid for uid in uids(after) if uid.startswith("conference-booking-"))
    booking_id = int(booking_uid.split("-")[2].split("@")[0])
    assert_changes(client, token, lambda: conference_booking.change(round, guardian, booking_id, second.pk))
    _before, after = assert_changes(client, token, lambda: conference_booking.cancel(round, guardian, booking_id))
    (vevent,) = [e for e in Calendar.from_ical(after.content).events if str(e["UID"]) == booking_uid]
    assert vevent["STATUS"] == "CANCELLED"


def test_an_items_change_from_any_provider_changes_the_etag(client, world, token):
    items = []
    provider = register_feed_provider(lambda user: list(items))
    try:
        assert_changes(
            client,
            token,
            lambda: items.append(FeedItem(uid="x@y", summary="Item", start=soon(2), end=soon(2), all_day=True)),
        )
    finally:
        unregister_feed_provider(provider)


def test_two_users_never_share_a_cached_body(client, world, events, builds):
    guardian_feed = fetch(client, issue_feed_token(world.users["guardian"]))
    other_feed = fetch(client, issue_feed_token(world.users["guardian_other_group"]))
    assert guardian_feed["ETag"] != other_feed["ETag"]
    assert str(events["group3"].uid) in uids(guardian_feed)
    assert str(events["group3"].uid) not in uids(other_feed)
    assert len(builds) == 2


# --- The link ---------------------------------------------------------------------------------------


def test_a_stopped_link_is_404_at_once_even_while_its_body_is_cached(client, world, guardian, token, builds):
    first = fetch(client, token)
    revoke_feed_token(guardian)
    assert fetch(client, token).status_code == 404
    assert fetch(client, token, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 404
    assert len(builds) == 1


def test_a_new_link_gets_a_new_etag_and_the_old_one_is_404(client, world, guardian, token):
    first = fetch(client, token)
    new = issue_feed_token(guardian)
    assert fetch(client, token, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 404
    response = fetch(client, new, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200 and response["ETag"] != first["ETag"]


def test_a_deactivated_user_is_404_even_while_cached(client, world, guardian, token):
    fetch(client, token)
    guardian.is_active = False
    guardian.save()
    assert fetch(client, token).status_code == 404


def test_a_body_built_while_an_event_changed_is_served_but_not_cached(client, world, guardian, token, events):
    """An event may change between the version query and the build: that body does not belong to
    the version's key, so it is not stored under it."""
    version = feed.feed_version(guardian)
    update_event(events["group3"], world.users["teacher"], groups=[world.group3], title="Changed meanwhile")
    body = feed.cached_calendar(guardian, version)
    assert b"Changed meanwhile" in body
    from django.core.cache import caches

    assert caches["default"].get(feed._cache_key(version)) is None


# --- The window -------------------------------------------------------------------------------------


def test_the_feed_holds_three_months_back_to_twelve_months_ahead(client, world, guardian):
    today = timezone.localdate()
    first, last = feed.feed_window(today)
    assert (today - first).days == feed.WINDOW_PAST_DAYS and (last - today).days == feed.WINDOW_AHEAD_DAYS
    inside = [
        make_event(
            school=world.school, title="Ended just inside", starts_on=first - datetime.timedelta(days=3), ends_on=first
        ),
        make_event(school=world.school, title="Last day ahead", starts_on=last),
        make_event(school=world.school, title="Today", starts_on=today),
    ]
    outside = [
        make_event(
            school=world.school,
            title="Ended before",
            starts_on=first - datetime.timedelta(days=5),
            ends_on=first - datetime.timedelta(days=1),
        ),
        make_event(school=world.school, title="Too far ahead", starts_on=last + datetime.timedelta(days=1)),
    ]
    found = uids(fetch(client, issue_feed_token(guardian)))
    assert {str(e.uid) for e in inside} <= found
    assert not {str(e.uid) for e in outside} & found


def test_a_repeating_event_is_kept_whole_when_an_occurrence_falls_in_the_window(client, world, guardian):
    first, _last = feed.feed_window()
    began_long_ago = make_event(
        groups=[world.group3],
        title="Weekly gym",
        starts_on=first - datetime.timedelta(days=400),
        start_time=datetime.time(8, 30),
        rrule="FREQ=WEEKLY",
    )  # no end: goes on into the window
    yearly_gone = make_event(
        school=world.school,
        title="Yearly, ended",
        starts_on=first - datetime.timedelta(days=800),
        rrule="FREQ=YEARLY;COUNT=2",
    )
    # Daily for eleven days up to the window's first day; in one of them that last day is an exception.
    ten_days_before = first - datetime.timedelta(days=10)
    reaching_in = make_event(
        school=world.school, title="Reaching in", starts_on=ten_days_before, rrule="FREQ=DAILY;COUNT=11"
    )
    excepted = make_event(
        school=world.school,
        title="Excepted",
        starts_on=ten_days_before,
        rrule="FREQ=DAILY;COUNT=11",
        exdates=[first.isoformat()],
    )
    response = fetch(client, issue_feed_token(guardian))
    cal = Calendar.from_ical(response.content)
    by_uid = {str(e["UID"]): e for e in cal.events}
    assert str(yearly_gone.uid) not in by_uid
    weekly = by_uid[str(began_long_ago.uid)]
    assert weekly["DTSTART"].dt.date() == began_long_ago.starts_on  # the whole rule, from its first day
    assert weekly["RRULE"].to_ical() == b"FREQ=WEEKLY"
    assert by_uid[str(reaching_in.uid)]["RRULE"].to_ical() == b"FREQ=DAILY;COUNT=11"
    assert str(excepted.uid) not in by_uid  # its only day in the window is an exception
    # still valid for independent readers, which expand it within the window
    assert len(vobject.readOne(response.content.decode()).vevent_list) == len(cal.events)
    found = recurring_ical_events.of(cal).between(first, first + datetime.timedelta(days=14))
    assert [e for e in found if str(e["UID"]) == str(began_long_ago.uid)]


def test_items_of_other_apps_follow_the_window(client, world, guardian):
    first, last = feed.feed_window()
    items = [
        FeedItem(
            uid="old@x",
            summary="Old",
            start=first - datetime.timedelta(days=2),
            end=first - datetime.timedelta(days=1),
            all_day=True,
        ),
        FeedItem(uid="in@x", summary="In", start=first, end=first, all_day=True),
        FeedItem(
            uid="far@x",
            summary="Far",
            start=last + datetime.timedelta(days=1),
            end=last + datetime.timedelta(days=1),
            all_day=True,
        ),
    ]
    provider = register_feed_provider(lambda user: items)
    try:
        found = uids(fetch(client, issue_feed_token(guardian)))
    finally:
        unregister_feed_provider(provider)
    assert "in@x" in found and not {"old@x", "far@x"} & found
