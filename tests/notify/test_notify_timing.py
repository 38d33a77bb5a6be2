"""Quiet hours and digest times, in Europe/Amsterdam, across weekends and clock changes."""

import datetime

import pytest

from schoolpoort.notify.timing import AMSTERDAM, Quiet, next_digest_at, retry_delay


def at(*args):
    return datetime.datetime(*args, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    "moment, expected",
    [
        (at(2026, 11, 24, 10, 0), at(2026, 11, 24, 10, 0)),  # Tuesday morning: now
        (at(2026, 11, 24, 18, 59), at(2026, 11, 24, 18, 59)),
        (at(2026, 11, 24, 19, 0), at(2026, 11, 25, 7, 30)),
        (at(2026, 11, 25, 0, 10), at(2026, 11, 25, 7, 30)),
        (at(2026, 11, 25, 7, 30), at(2026, 11, 25, 7, 30)),
        (at(2026, 11, 27, 19, 30), at(2026, 11, 30, 7, 30)),  # Friday evening → Monday
        (at(2026, 11, 29, 23, 0), at(2026, 11, 30, 7, 30)),  # Sunday night → Monday
        (at(2026, 3, 28, 22, 0), at(2026, 3, 30, 7, 30)),  # Saturday before summer time starts
    ],
)
def test_default_quiet_hours(moment, expected):
    assert Quiet().next_allowed(moment) == expected


def test_the_morning_is_wall_clock_time_across_the_change_to_summer_time():
    morning = Quiet(weekend=False).next_allowed(at(2026, 3, 28, 23, 0))
    assert morning == at(2026, 3, 29, 7, 30)
    assert morning.utcoffset() == datetime.timedelta(hours=2)


def test_quiet_hours_within_one_day_and_none_at_all():
    lunch = Quiet(datetime.time(12, 0), datetime.time(13, 0), weekend=False)
    assert lunch.next_allowed(at(2026, 11, 24, 12, 30)) == at(2026, 11, 24, 13, 0)
    assert lunch.next_allowed(at(2026, 11, 24, 13, 30)) == at(2026, 11, 24, 13, 30)
    never = Quiet(datetime.time(0, 0), datetime.time(0, 0), weekend=False)
    assert not never.is_quiet(at(2026, 11, 28, 3, 0))


@pytest.mark.parametrize(
    "period, moment, expected",
    [
        ("daily", at(2026, 11, 24, 10, 0), at(2026, 11, 24, 17, 0)),
        ("daily", at(2026, 11, 24, 17, 0), at(2026, 11, 25, 17, 0)),
        ("weekly", at(2026, 11, 24, 10, 0), at(2026, 11, 27, 17, 0)),
        ("weekly", at(2026, 11, 27, 16, 59), at(2026, 11, 27, 17, 0)),
        ("weekly", at(2026, 11, 27, 17, 0), at(2026, 12, 4, 17, 0)),
        ("weekly", at(2026, 11, 28, 9, 0), at(2026, 12, 4, 17, 0)),
    ],
)
def test_digest_times(period, moment, expected):
    assert next_digest_at(period, moment) == expected


def test_retry_backoff_grows():
    assert [retry_delay(n).total_seconds() / 60 for n in range(1, 6)] == [1, 5, 15, 60, 60]
