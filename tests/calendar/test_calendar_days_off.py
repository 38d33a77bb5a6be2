"""Repeating events and the timetable's weekly gym skip the school's vacations and study days, on
the pages, on the home page and in the agenda feed (the same days in each); an event marked
"also during holidays" does not skip them."""

import datetime

import pytest
import recurring_ical_events
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from schoolpoort.calendar.actions import issue_feed_token
from schoolpoort.calendar.feed import event_calendar
from schoolpoort.calendar.models import Event
from schoolpoort.lib.days_off import days_off, days_off_by_school
from schoolpoort.timetable.models import TimetableEntry
from schoolpoort.timetable.reminders import reminders_for
from tests.calendar.calendar_helpers import make_event

TUE, THU = 1, 3


def christmas_year() -> int:
    today = timezone.localdate()
    return today.year if today <= datetime.date(today.year, 12, 10) else today.year + 1


def on_or_after(day: datetime.date, weekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


@pytest.fixture
def christmas(world):
    year = christmas_year()
    return make_event(school=world.school, title="Kerstvakantie", category=Event.Category.VACATION,
                      starts_on=datetime.date(year, 12, 19), ends_on=datetime.date(year + 1, 1, 3))


@pytest.fixture
def holiday_tuesdays(christmas):
    """The Tuesdays of the Christmas holiday (22 and 29 December in 2026)."""
    day, found = on_or_after(christmas.starts_on, TUE), []
    while day <= christmas.ends_on:
        found.append(day)
        day += datetime.timedelta(days=7)
    return found


@pytest.fixture
def gym(world, christmas):
    """The old hand-made kind of gym: a weekly calendar event on Tuesday."""
    first = on_or_after(datetime.date(christmas.starts_on.year, 12, 1), TUE)
    return make_event(groups=[world.group3], title="Gym", category=Event.Category.SPORTS, starts_on=first,
                      start_time=datetime.time(8, 30), rrule="FREQ=WEEKLY;COUNT=10")


def week_titles(client, day: datetime.date) -> dict[datetime.date, list[str]]:
    response = client.get(reverse("calendar:week"), {"week": day.isoformat()})
    assert response.status_code == 200
    return {d: [o.event.title for o in occurrences] for d, occurrences in response.context["days"]}


def month_days(client, day: datetime.date, title: str) -> set[datetime.date]:
    response = client.get(reverse("calendar:month"), {"maand": f"{day:%Y-%m}"})
    assert response.status_code == 200
    return {cell.day for week in response.context["weeks"] for cell in week
            if cell.in_month and any(o.event.title == title for o in cell.occurrences)}


def feed_calendar(client, user) -> Calendar:
    token = issue_feed_token(user)
    response = client.get(reverse("calendar:feed", kwargs={"token": token}))
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def ics_days(cal: Calendar, summary: str, first: datetime.date, last: datetime.date) -> set[datetime.date]:
    """The days on which an agenda program shows ``summary``, expanding RRULE and EXDATE."""
    found = recurring_ical_events.of(cal).between(first, last + datetime.timedelta(days=1))
    return {
        (event["DTSTART"].dt.date() if isinstance(event["DTSTART"].dt, datetime.datetime) else event["DTSTART"].dt)
        for event in found if str(event["SUMMARY"]) == summary
    }


def test_the_calendar_gives_its_vacations_and_study_days_as_days_off(world, christmas):
    study_day = make_event(school=world.school, category=Event.Category.STUDY_DAY,
                           starts_on=christmas.starts_on - datetime.timedelta(days=10))
    make_event(school=world.other_school, category=Event.Category.VACATION, starts_on=study_day.starts_on)
    first, last = study_day.starts_on, christmas.ends_on
    off = days_off(world.school, first, last)
    assert study_day.starts_on in off and datetime.date(christmas_year(), 12, 22) in off
    assert days_off_by_school([world.school.pk, world.other_school.pk], first, last) == {
        world.school.pk: off, world.other_school.pk: {study_day.starts_on}}


def test_the_gym_is_not_shown_in_the_christmas_holiday_on_the_pages(client, world, gym, holiday_tuesdays):
    client.force_login(world.users["guardian"])
    before = holiday_tuesdays[0] - datetime.timedelta(days=7)
    assert "Gym" in week_titles(client, before)[before]
    for tuesday in holiday_tuesdays:
        assert "Gym" not in week_titles(client, tuesday)[tuesday]
    december = month_days(client, holiday_tuesdays[0], "Gym")
    assert before in december and not set(holiday_tuesdays) & december


def test_the_gym_is_not_in_the_agenda_feed_in_the_christmas_holiday(client, world, gym, holiday_tuesdays):
    client.force_login(world.users["guardian"])
    cal = feed_calendar(client, world.users["guardian"])
    (vevent,) = [e for e in cal.walk("VEVENT") if str(e["SUMMARY"]) == "Gym"]
    exdates = {value.dt.date() for prop in ([vevent["EXDATE"]] if not isinstance(vevent["EXDATE"], list)
                                           else vevent["EXDATE"]) for value in prop.dts}
    assert set(holiday_tuesdays) <= exdates
    first, last = gym.starts_on, gym.last_day
    shown = ics_days(cal, "Gym", first, last)
    assert not set(holiday_tuesdays) & shown
    # The agenda shows exactly what the pages show.
    pages = set()
    day = first
    while day <= last:
        pages |= month_days(client, day, "Gym")
        day = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    assert shown == pages and len(shown) == 10 - len(holiday_tuesdays)
    # The download of the single event skips them too.
    single = Calendar.from_ical(event_calendar(gym))
    assert not set(holiday_tuesdays) & ics_days(single, "Gym", first, last)


def test_an_event_marked_also_during_holidays_is_shown_in_them(client, world, gym, holiday_tuesdays):
    gym.during_holidays = True
    gym.save()
    client.force_login(world.users["guardian"])
    for tuesday in holiday_tuesdays:
        assert "Gym" in week_titles(client, tuesday)[tuesday]
    cal = feed_calendar(client, world.users["guardian"])
    assert set(holiday_tuesdays) <= ics_days(cal, "Gym", gym.starts_on, gym.last_day)


def test_a_days_off_event_itself_and_a_board_event_are_not_skipped(client, world, christmas):
    board_meeting = make_event(board=world.school.board, title="Board meeting", starts_on=christmas.starts_on,
                               start_time=datetime.time(20), rrule="FREQ=DAILY;COUNT=3")
    client.force_login(world.users["guardian"])
    titles = week_titles(client, christmas.starts_on)
    assert "Kerstvakantie" in titles[christmas.starts_on]
    assert "Board meeting" in titles[board_meeting.starts_on]


def test_the_staff_form_sets_also_during_holidays(client, world, gym):
    client.force_login(world.users["teacher"])
    data = {"title": "Gym", "category": "sports", "audience": f"groups:{world.school.pk}", "groups": [world.group3.pk],
            "starts_on": gym.starts_on.isoformat(), "start_time": "08:30", "end_time": "09:15",
            "repeat": "weekly", "during_holidays": "on"}
    response = client.post(reverse("calendar:edit", args=[gym.pk]), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    gym.refresh_from_db()
    assert gym.during_holidays is True


# --- The timetable's gym on the calendar --------------------------------------------------------


@pytest.fixture
def timetable_gym(world):
    return [TimetableEntry.objects.create(group=world.group3, weekday=day, starts_at=datetime.time(10, 30),
                                          ends_at=datetime.time(11, 15)) for day in (TUE, THU)]


def test_the_calendar_shows_the_timetables_gym_at_its_times_and_skips_the_holiday(
    client, world, timetable_gym, holiday_tuesdays
):
    client.force_login(world.users["guardian"])
    before = holiday_tuesdays[0] - datetime.timedelta(days=7)
    week = week_titles(client, before)
    assert "Gym" in week[before] and "Gym" in week[before + datetime.timedelta(days=2)]
    response = client.get(reverse("calendar:week"), {"week": before.isoformat()})
    (occurrence,) = [o for o in dict(response.context["days"])[before] if o.event.title == "Gym"]
    assert timezone.localtime(occurrence.start).time() == datetime.time(10, 30)
    assert occurrence.url == reverse("timetable:group", args=[world.group3.pk])
    assert reverse("timetable:group", args=[world.group3.pk]) in response.content.decode()
    for tuesday in holiday_tuesdays:
        assert "Gym" not in week_titles(client, tuesday)[tuesday]

    cal = feed_calendar(client, world.users["guardian"])
    summary = f"Gym ({world.group3.name})"
    first, last = before - datetime.timedelta(days=7), holiday_tuesdays[-1] + datetime.timedelta(days=14)
    shown = ics_days(cal, summary, first, last)
    pages = month_days(client, first, "Gym") | month_days(client, last, "Gym")
    assert shown == {day for day in pages if first <= day <= last}
    assert before in shown and not set(holiday_tuesdays) & shown


def test_the_timetables_gym_is_not_on_the_calendar_of_other_families(client, world, timetable_gym):
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    for role, sees in [("guardian", True), ("teacher", True), ("guardian_other_group", False),
                       ("guardian_other_school", False), ("teacher_other_group", False)]:
        client.force_login(world.users[role])
        response = client.get(reverse("calendar:week"), {"week": monday.isoformat()})
        days = response.context["days"] if response.status_code == 200 else []
        titles = [o.event.title for _day, found in days for o in found]
        assert ("Gym" in titles) is sees, role
        if response.status_code == 200:
            cal = feed_calendar(client, world.users[role])
            assert any(str(e["SUMMARY"]).startswith("Gym") for e in cal.walk("VEVENT")) is sees, role


def test_no_gym_reminder_in_the_holidays(world, timetable_gym, holiday_tuesdays):
    monday = holiday_tuesdays[0] - datetime.timedelta(days=1)
    assert reminders_for(world.users["guardian"], today=monday) == []
    week_before = monday - datetime.timedelta(days=7)
    assert [r.entry.weekday for r in reminders_for(world.users["guardian"], today=week_before)] == [TUE]
