"""Repeating events: the rule as stored and checked, and the occurrences the pages show."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from schoolpoort.calendar.recurrence import (
    RecurrenceError,
    by_day,
    check_rule,
    describe,
    expand,
    normalise_rrule,
    occurrences,
)
from tests.calendar.calendar_helpers import make_event

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
D = datetime.date
T = datetime.time


def test_gym_every_tuesday_skips_its_exception(world):
    gym = make_event(groups=[world.group3], title="Gym", starts_on=D(2026, 9, 1), start_time=T(8, 30),
                     end_time=T(9, 15), rrule="FREQ=WEEKLY;UNTIL=20261006", exdates=["2026-09-15"])
    found = occurrences(gym, D(2026, 8, 1), D(2026, 12, 31))
    assert [o.first_day for o in found] == [D(2026, 9, 1), D(2026, 9, 8), D(2026, 9, 22), D(2026, 9, 29),
                                           D(2026, 10, 6)]
    assert all(o.first_day.weekday() == 1 for o in found)
    assert found[0].start == datetime.datetime(2026, 9, 1, 8, 30, tzinfo=AMSTERDAM)
    assert found[0].end == datetime.datetime(2026, 9, 1, 9, 15, tzinfo=AMSTERDAM)
    assert gym.last_day == D(2026, 10, 6)


def test_only_the_occurrences_in_the_window_come_back(world):
    gym = make_event(school=world.school, starts_on=D(2026, 9, 1), start_time=T(8, 30), rrule="FREQ=WEEKLY")
    assert gym.last_day is None  # no end
    assert [o.first_day for o in occurrences(gym, D(2027, 3, 1), D(2027, 3, 14))] == [D(2027, 3, 2), D(2027, 3, 9)]


def test_a_weekly_lesson_keeps_its_local_time_through_the_october_clock_change(world):
    # The clocks go back on Sunday 25 October 2026: 08:30 before and after, at another UTC hour.
    gym = make_event(school=world.school, starts_on=D(2026, 10, 20), start_time=T(8, 30), end_time=T(9, 15),
                     rrule="FREQ=WEEKLY;COUNT=2")
    before, after = occurrences(gym, D(2026, 10, 1), D(2026, 11, 30))
    assert (before.start.hour, before.start.minute) == (after.start.hour, after.start.minute) == (8, 30)
    assert before.start.utcoffset() == datetime.timedelta(hours=2)
    assert after.start.utcoffset() == datetime.timedelta(hours=1)
    assert before.start.astimezone(datetime.UTC).hour == 6
    assert after.start.astimezone(datetime.UTC).hour == 7
    assert after.time_label == "08:30–09:15"


def test_a_daily_event_in_the_clock_change_week_stays_at_half_past_eight(world):
    daily = make_event(school=world.school, starts_on=D(2026, 10, 22), start_time=T(8, 30),
                       rrule="FREQ=DAILY;UNTIL=20261028")
    found = occurrences(daily, D(2026, 10, 22), D(2026, 10, 28))
    assert len(found) == 7
    assert {o.start.astimezone(AMSTERDAM).time() for o in found} == {T(8, 30)}


def test_a_multi_day_event_covers_every_day_and_shows_on_each(world):
    camp = make_event(school=world.school, title="Camp", starts_on=D(2027, 6, 9), ends_on=D(2027, 6, 11),
                      start_time=T(9), end_time=T(14))
    (occurrence,) = occurrences(camp, D(2027, 6, 10), D(2027, 6, 10))  # overlaps from the middle
    assert (occurrence.first_day, occurrence.last_day) == (D(2027, 6, 9), D(2027, 6, 11))
    days = by_day([occurrence], D(2027, 6, 7), D(2027, 6, 13))
    assert [day for day, found in days.items() if found] == [D(2027, 6, 9), D(2027, 6, 10), D(2027, 6, 11)]
    assert occurrence.end == datetime.datetime(2027, 6, 11, 14, tzinfo=AMSTERDAM)
    assert occurrences(camp, D(2027, 6, 12), D(2027, 6, 30)) == []


def test_a_repeating_multi_day_event_is_found_when_it_started_before_the_window(world):
    weekend = make_event(school=world.school, starts_on=D(2026, 9, 5), ends_on=D(2026, 9, 6),
                         rrule="FREQ=WEEKLY;COUNT=3")
    found = occurrences(weekend, D(2026, 9, 13), D(2026, 9, 13))  # the Sunday of the second weekend
    assert [(o.first_day, o.last_day) for o in found] == [(D(2026, 9, 12), D(2026, 9, 13))]
    assert weekend.last_day == D(2026, 9, 20)


def test_expand_sorts_all_day_before_timed_on_a_day(world):
    timed = make_event(school=world.school, title="B timed", starts_on=D(2026, 9, 1), start_time=T(8))
    all_day = make_event(school=world.school, title="A all day", starts_on=D(2026, 9, 1))
    assert [o.event for o in expand([timed, all_day], D(2026, 9, 1), D(2026, 9, 1))] == [all_day, timed]


# --- The rule as stored -------------------------------------------------------------------------


@pytest.mark.parametrize("typed, stored", [
    ("RRULE:FREQ=WEEKLY;BYDAY=TU", "FREQ=WEEKLY;BYDAY=TU"),
    ("freq=weekly;interval=2", "FREQ=WEEKLY;INTERVAL=2"),
    ("FREQ=WEEKLY;UNTIL=20270716T215959Z", "FREQ=WEEKLY;UNTIL=20270716"),  # a UTC time becomes the local day
    ("FREQ=MONTHLY;BYDAY=2TU", "FREQ=MONTHLY;BYDAY=2TU"),
    ("", ""),
])
def test_rules_are_stored_in_one_form(typed, stored):
    assert normalise_rrule(typed) == stored


@pytest.mark.parametrize("typed", [
    "nonsense", "FREQ=SECONDLY", "FREQ=HOURLY", "BYDAY=TU", "FREQ=WEEKLY;BYDAY=XX", "FREQ=WEEKLY;FOO=1",
    "FREQ=WEEKLY;COUNT=3;UNTIL=20270101", "FREQ=WEEKLY;COUNT=100000", "FREQ=WEEKLY;INTERVAL=0",
])
def test_rules_we_cannot_use_are_refused_with_a_message(typed):
    with pytest.raises(RecurrenceError) as error:
        normalise_rrule(typed)
    assert error.value.message


def test_the_first_day_must_be_one_of_the_rules_days():
    with translation.override("en"), pytest.raises(RecurrenceError, match="not a day on which this rule repeats"):
        check_rule("FREQ=WEEKLY;BYDAY=TU", D(2026, 9, 2), T(8, 30), [])  # a Wednesday
    check_rule("FREQ=WEEKLY;BYDAY=TU", D(2026, 9, 1), T(8, 30), [])


def test_an_exception_must_be_a_day_the_event_takes_place():
    with pytest.raises(RecurrenceError) as error:
        check_rule("FREQ=WEEKLY", D(2026, 9, 1), T(8, 30), [D(2026, 9, 9)])
    assert error.value.part == "exdates"
    check_rule("FREQ=WEEKLY", D(2026, 9, 1), T(8, 30), [D(2026, 9, 8)])


def test_a_rule_may_not_run_for_ever_and_a_day():
    with pytest.raises(RecurrenceError):
        check_rule("FREQ=DAILY;UNTIL=20500101", D(2026, 9, 1), None, [])
    with pytest.raises(RecurrenceError):
        check_rule("FREQ=DAILY;UNTIL=20260801", D(2026, 9, 1), None, [])


def test_a_rule_reads_as_a_sentence(world, settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        gym = make_event(school=world.school, starts_on=D(2026, 9, 1), start_time=T(8, 30),
                         rrule="FREQ=WEEKLY;UNTIL=20270716")
        assert describe(gym) == "Every week on Tuesday, until 16 July 2027"
        twice = make_event(school=world.school, starts_on=D(2026, 9, 1), rrule="FREQ=WEEKLY;BYDAY=TU,TH;COUNT=4")
        assert describe(twice) == "Every week on Tuesday, Thursday, 4 times"
        monthly = make_event(school=world.school, starts_on=D(2026, 9, 1), rrule="FREQ=MONTHLY;INTERVAL=3")
        assert describe(monthly) == "Every 3 months"
