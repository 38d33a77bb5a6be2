"""The feed body is icalendar's own output: a VTIMEZONE for each zone used (noted while building,
without walking the tree), none when nothing needs one, and no query per event."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from icalendar import Calendar

from schoolpoort.calendar import feed
from schoolpoort.calendar.actions import issue_feed_token
from schoolpoort.lib.feed import FeedItem, register_feed_provider, unregister_feed_provider
from tests.calendar.calendar_helpers import make_event, soon
from tests.calendar.test_calendar_feed import fetch, parse

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def guardian(world):
    user = world.users["guardian"]
    user.language = "en"
    user.save(update_fields=["language"])
    return user


@pytest.fixture
def provider():
    items = []

    def provide(user):
        return list(items)

    register_feed_provider(provide)
    yield items
    unregister_feed_provider(provide)


def test_the_body_is_exactly_what_icalendar_writes(client, world, guardian):
    make_event(
        groups=[world.group3],
        title="Gym; hall, 2",
        description="Bring shoes\nand a towel " * 6,
        starts_on=soon(2),
        start_time=datetime.time(8, 30),
        rrule="FREQ=WEEKLY;COUNT=10",
        exdates=[],
    )
    make_event(school=world.school, title="Study day é", starts_on=soon(5), ends_on=soon(6))
    body = fetch(client, issue_feed_token(guardian)).content
    assert Calendar.from_ical(body).to_ical() == body


def test_each_zone_used_gets_one_vtimezone_before_the_events(client, world, guardian, provider):
    make_event(groups=[world.group3], title="Gym", starts_on=soon(2), start_time=datetime.time(8, 30))
    day = soon(3)
    provider.extend(
        [
            FeedItem(
                uid="london@test",
                summary="Call from London",
                start=datetime.datetime.combine(day, datetime.time(9), tzinfo=LONDON),
                end=datetime.datetime.combine(day, datetime.time(10), tzinfo=LONDON),
            ),
            FeedItem(
                uid="utc@test",
                summary="In UTC",
                start=datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC),
                end=datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC),
            ),
        ]
    )
    cal = parse(fetch(client, issue_feed_token(guardian)))
    assert sorted(tz["TZID"] for tz in cal.walk("VTIMEZONE")) == ["Europe/Amsterdam", "Europe/London"]
    assert cal.get_missing_tzids() == set()
    kinds = [component.name for component in cal.subcomponents]
    assert kinds[:2] == ["VTIMEZONE", "VTIMEZONE"] and set(kinds[2:]) == {"VEVENT"}
    # Amsterdam is written as agenda programs expect it: two yearly rules, no list of dates
    amsterdam = next(tz for tz in cal.walk("VTIMEZONE") if tz["TZID"] == "Europe/Amsterdam")
    assert all("RRULE" in part and "RDATE" not in part for part in amsterdam.subcomponents)
    utc = next(event for event in cal.events if event["UID"] == "utc@test")
    assert utc["DTSTART"].to_ical() == (day.strftime("%Y%m%d") + "T090000Z").encode()


def test_a_feed_of_all_day_events_has_no_vtimezone(client, world, guardian):
    make_event(school=world.school, title="Study day", starts_on=soon(5))
    cal = parse(fetch(client, issue_feed_token(guardian)))
    assert len(cal.events) == 1
    assert cal.walk("VTIMEZONE") == []


def test_a_timed_exception_alone_brings_the_vtimezone(client, world, guardian):
    """EXDATE carries the local TZID too (a repeating timed event always has a timed DTSTART)."""
    make_event(
        groups=[world.group3],
        title="Gym",
        starts_on=soon(1),
        start_time=datetime.time(8, 30),
        rrule="FREQ=WEEKLY;COUNT=5",
        exdates=[soon(8).isoformat()],
    )
    text = fetch(client, issue_feed_token(guardian)).content.decode()
    assert text.count("BEGIN:VTIMEZONE") == 1
    assert "EXDATE;TZID=Europe/Amsterdam:" + soon(8).strftime("%Y%m%d") + "T083000" in text


@pytest.mark.parametrize("count", [1, 25])
def test_building_the_body_costs_the_same_queries_for_one_or_many_events(world, guardian, count):
    for i in range(count):
        make_event(
            groups=[world.group3],
            title=f"Gym {i}",
            starts_on=soon(i % 20 + 1),
            start_time=datetime.time(8, 30),
            rrule="FREQ=WEEKLY;COUNT=3" if i % 2 else "",
        )
    with translation.override("en"):
        version = feed.feed_version(guardian)
        with CaptureQueriesContext(connection) as queries:
            body, exact = feed.build_calendar(guardian, version)
    assert exact and len(Calendar.from_ical(body).events) == count
    assert len(queries) == 1  # the events; labels come from the version, categories from the choices
