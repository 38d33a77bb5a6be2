"""Slots from time windows: the round's length, a break after every N conversations, the
session's own breaks, and the staff form that refuses windows that cannot work."""

import datetime

import pytest
from django.utils import timezone, translation

from schoolpoort.conferences.forms import SessionForm
from schoolpoort.conferences.slots import parse_breaks, slot_times
from tests.conferences.conferences_helpers import add_session, conference_day, make_round, slots

T = datetime.time
DAY = datetime.date(2026, 11, 24)


def hhmm(times):
    return [f"{start:%H:%M}-{end:%H:%M}" for start, end in times]


def test_a_window_is_cut_into_conversations_of_the_rounds_length():
    times = slot_times(DAY, T(19, 0), T(20, 0), minutes=10)
    assert hhmm(times) == ["19:00-19:10", "19:10-19:20", "19:20-19:30", "19:30-19:40", "19:40-19:50", "19:50-20:00"]
    assert str(times[0][0].tzinfo) == "Europe/Amsterdam"


def test_a_conversation_that_does_not_fit_before_the_end_is_left_out():
    assert hhmm(slot_times(DAY, T(19, 0), T(19, 25), minutes=10)) == ["19:00-19:10", "19:10-19:20"]


def test_a_break_after_every_n_conversations():
    times = slot_times(DAY, T(19, 0), T(20, 0), minutes=10, break_every=3, break_minutes=5)
    assert hhmm(times) == ["19:00-19:10", "19:10-19:20", "19:20-19:30", "19:35-19:45", "19:45-19:55"]


def test_the_sessions_own_breaks_stay_free_and_start_the_count_anew():
    breaks = parse_breaks("19:20-19:40")
    times = slot_times(DAY, T(19, 0), T(20, 10), minutes=10, break_every=2, break_minutes=10, breaks=breaks)
    assert hhmm(times) == ["19:00-19:10", "19:10-19:20", "19:40-19:50", "19:50-20:00"]


def test_breaks_are_read_in_common_notations():
    assert parse_breaks("19.30-19.45; 20:30 – 20:40") == [(T(19, 30), T(19, 45)), (T(20, 30), T(20, 40))]
    assert parse_breaks("") == []
    for wrong in ("half acht", "19:45-19:30", "25:00-26:00"):
        with pytest.raises(ValueError):
            parse_breaks(wrong)


def test_slots_are_written_with_the_teacher_group_and_local_times(world):
    round = make_round(world, slot_minutes=15, break_every=2, break_minutes=10)
    day = conference_day()
    add_session(round, world.users["teacher"], world.group3, day=day, start=(18, 30), end=(19, 45))
    found = slots(round)
    assert [timezone.localtime(s.starts_at).strftime("%H:%M") for s in found] == ["18:30", "18:45", "19:10", "19:25"]
    assert {(s.teacher_id, s.group_id, s.round_id) for s in found} == {
        (world.users["teacher"].pk, world.group3.pk, round.pk)
    }
    assert all(timezone.localtime(s.starts_at).date() == day for s in found)


def session_form(world, round, **data):
    values = {"teacher": world.users["teacher"].pk, "group": world.group3.pk, "date": conference_day().isoformat(),
              "starts_at": "19:00", "ends_at": "20:00", "breaks": "", "location": ""}
    values.update(data)
    return SessionForm(values, round=round, user=world.users["director"], manages=True)


def test_the_form_refuses_a_window_without_room_for_one_conversation_or_with_bad_times(world):
    round = make_round(world, slot_minutes=20)
    with translation.override("en"):
        assert session_form(world, round).is_valid()
        assert not session_form(world, round, ends_at="19:15").is_valid()
        assert not session_form(world, round, ends_at="18:00").is_valid()
        assert not session_form(world, round, breaks="later").is_valid()
        past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
        assert not session_form(world, round, date=past).is_valid()


def test_the_form_refuses_a_window_that_overlaps_the_teachers_other_conversations(world):
    round = make_round(world)
    add_session(round, world.users["teacher"], world.group3, start=(19, 0), end=(20, 0))
    assert not session_form(world, round, starts_at="19:30", ends_at="20:30").is_valid()
    assert session_form(world, round, starts_at="20:00", ends_at="21:00").is_valid()


def test_a_teacher_plans_only_their_own_conversations_with_their_own_groups(world):
    round = make_round(world, groups=[world.group3, world.group6])
    form = SessionForm(round=round, user=world.users["teacher"], manages=False)
    assert list(form.fields["teacher"].queryset) == [world.users["teacher"]]
    assert list(form.fields["group"].queryset) == [world.group3]
