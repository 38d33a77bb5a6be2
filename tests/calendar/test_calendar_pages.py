"""The calendar pages as a parent and as staff see them: upcoming list, month, week, the filter
by child, the next events on the home page, and a fixed number of queries whatever the data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schoolpoort.calendar.views import PAGE_SIZE
from schoolpoort.core.access import reach_changed
from tests.calendar.calendar_helpers import make_event, soon
from tests.factories import GroupFactory, GuardianshipFactory, StudentFactory, enrolled_student


def page(client, user, name, **params):
    client.force_login(user)
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_parent_sees_the_upcoming_events_of_their_child_grouped_by_day(client, world, events):
    html = page(client, world.users["guardian"], "calendar:list")
    for title in ("Board study day", "Sports day", "Gym group 3"):
        assert title in html
    for title in ("Excursion group 6", "Sister school party", "Other school trip", "Other board meeting"):
        assert title not in html
    assert html.count('class="cal-day-heading"') == 1  # all on the same day
    assert reverse("calendar:detail", args=[events["group3"].pk]) in html


def test_past_events_are_not_upcoming_but_a_running_vacation_is(client, world):
    make_event(school=world.school, title="Yesterday", starts_on=soon(-1))
    make_event(school=world.school, title="Running vacation", starts_on=soon(-3), ends_on=soon(3), category="vacation")
    html = page(client, world.users["guardian"], "calendar:list")
    assert "Yesterday" not in html
    assert "Running vacation" in html


def test_a_parent_of_two_filters_by_child(client, world, events):
    guardian = world.users["guardian"]
    sibling = enrolled_student(world.group6, first_name="Sem")
    GuardianshipFactory(student=sibling, user=guardian)
    html = page(client, guardian, "calendar:list")
    assert "Gym group 3" in html and "Excursion group 6" in html
    assert f'href="?kind={sibling.pk}"' in html and f'href="?kind={world.child.pk}"' in html
    assert '<span class="chip">Noor</span>' in html and '<span class="chip">Sem</span>' in html

    only_sem = page(client, guardian, "calendar:list", kind=sibling.pk)
    assert "Excursion group 6" in only_sem and "Sports day" in only_sem and "Board study day" in only_sem
    assert "Gym group 3" not in only_sem
    only_noor = page(client, guardian, "calendar:month", kind=world.child.pk)
    assert f"?kind={world.child.pk}" in only_noor  # the filter stays on when moving through the months


@pytest.mark.parametrize("kind", ["other_child", "unknown", "text"])
def test_a_child_that_is_not_yours_is_404(client, world, kind):
    value = {"other_child": world.classmate_of_other_group.pk, "unknown": 999999, "text": "abc"}[kind]
    client.force_login(world.users["guardian"])
    assert client.get(reverse("calendar:list"), {"kind": value}).status_code == 404
    assert client.get(reverse("calendar:week"), {"kind": value}).status_code == 404


def test_the_month_grid_has_dots_and_lists_the_chosen_day(client, world):
    day = datetime.date(2031, 3, 12)
    make_event(school=world.school, title="Study day", category="study_day", starts_on=day)
    make_event(groups=[world.group3], title="Gym", category="sports", starts_on=day, start_time=datetime.time(8, 30))
    html = page(client, world.users["guardian"], "calendar:month", maand="2031-03", dag="2031-03-12")
    assert html.count('<tr>') == 1 + 6  # header and the weeks of March 2031 (Monday 24 Feb to Sunday 6 April)
    assert html.count('<td class="cal-cell') == 42
    assert 'cal-dot cal-dot--study_day' in html and 'cal-dot cal-dot--sports' in html
    assert 'aria-current="date"' in html
    selected = html.split('id="dag"')[1].split("</section>")[0]
    assert "Study day" in selected and "Gym" in selected
    assert "?maand=2031-02" in html and "?maand=2031-04" in html


def test_a_vacation_puts_a_dot_on_each_of_its_days_but_is_listed_once(client, world):
    make_event(school=world.school, title="Autumn break", category="vacation",
               starts_on=datetime.date(2031, 10, 18), ends_on=datetime.date(2031, 10, 26))
    html = page(client, world.users["guardian"], "calendar:month", maand="2031-10")
    grid = html.split('<table class="cal-month">')[1].split("</table>")[0]
    assert grid.count("cal-dot cal-dot--vacation") == 9
    month_list = html.split('id="month-heading"')[1]
    assert month_list.count("Autumn break") == 1


def test_a_bad_month_or_day_falls_back_to_this_month(client, world):
    html = page(client, world.users["guardian"], "calendar:month", maand="2031-13", dag="nonsense")
    previous = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    assert "cal-cell--today" in html
    assert f'href="?maand={previous}" rel="prev"' in html


def test_the_week_view_shows_seven_days_with_their_events(client, world):
    make_event(school=world.school, title="Parents evening", category="parents_evening",
               starts_on=datetime.date(2031, 3, 12), start_time=datetime.time(19, 30))
    html = page(client, world.users["guardian"], "calendar:week", week="2031-03-13")
    assert html.count('class="cal-week-day') == 7
    assert "Parents evening" in html and "19:30–20:30" in html
    assert "?week=2031-03-03" in html and "?week=2031-03-17" in html


def test_the_list_is_paginated(client, world):
    make_event(groups=[world.group3], title="Daily reading", starts_on=soon(0), start_time=datetime.time(8, 30),
               rrule="FREQ=DAILY;COUNT=45")
    first = page(client, world.users["guardian"], "calendar:list")
    assert first.count("Daily reading") == PAGE_SIZE
    assert "?pagina=2" in first
    second = page(client, world.users["guardian"], "calendar:list", pagina=2)
    assert second.count("Daily reading") == 45 - PAGE_SIZE


def test_a_cancelled_event_is_shown_as_cancelled(client, world):
    make_event(school=world.school, title="School photographer", cancelled=True)
    html = page(client, world.users["guardian"], "calendar:list")
    assert "cal-item--cancelled" in html and "School photographer" in html


def test_the_detail_page_tells_when_where_for_whom_and_how_it_repeats(client, world, settings):
    gym = make_event(groups=[world.group3], title="Gym", starts_on=soon(1), start_time=datetime.time(8, 30),
                     end_time=datetime.time(9, 15), location="Gymzaal", rrule="FREQ=WEEKLY;COUNT=6",
                     exdates=[(soon(1) + datetime.timedelta(days=14)).isoformat()], description="Bring shoes.")
    client.force_login(world.users["guardian"])
    html = client.get(reverse("calendar:detail", args=[gym.pk])).content.decode()
    assert "Gymzaal" in html and "Groep 3" in html and "Bring shoes." in html
    assert "08:30–09:15" in html
    assert html.count("<li>") >= 5  # the next dates and the skipped day
    assert reverse("calendar:event_ics", args=[gym.pk]) in html
    assert reverse("calendar:edit", args=[gym.pk]) not in html  # a parent does not get the staff buttons
    client.force_login(world.users["teacher"])
    staff_page = client.get(reverse("calendar:detail", args=[gym.pk])).content.decode()
    assert reverse("calendar:edit", args=[gym.pk]) in staff_page


# --- The home page ------------------------------------------------------------------------------


def test_the_home_page_shows_a_parent_today_and_tomorrow_and_staff_the_next_five(client, world):
    make_event(groups=[world.group3], title="Weekly gym", starts_on=soon(1), start_time=datetime.time(8, 30),
               rrule="FREQ=WEEKLY;COUNT=10")
    for n in range(6):
        make_event(school=world.school, title=f"Single {n}", starts_on=soon(2 + n * 7))
    make_event(groups=[world.group6], title="Not for this parent", starts_on=soon(1))
    # A parent's timeline holds today and tomorrow (issue 15); the Agenda tab has the rest.
    html = page(client, world.users["guardian"], "web:home")
    block = html.split('id="cal-home-heading"')[1].split("</section>")[0]
    assert block.count('<li class="cal-item') == 1 and "Weekly gym" in block and "Single 0" not in block
    assert "Not for this parent" not in block
    assert reverse("calendar:subscribe") in block
    # Staff keep the next five.
    html = page(client, world.users["teacher"], "web:home")
    block = html.split('id="cal-home-heading"')[1].split("</section>")[0]
    assert block.count('<li class="cal-item') == 5
    assert block.count("Weekly gym") == 3 and "Single 0" in block and "Single 1" in block


def test_the_home_block_is_not_there_when_the_calendar_is_off(client, world):
    from schoolpoort.core.models import ModuleSwitch

    ModuleSwitch.objects.filter(school=world.school, module="calendar").update(enabled=False)
    assert 'id="cal-home-heading"' not in page(client, world.users["guardian"], "web:home")


def test_the_home_block_costs_one_query(world):
    from django.test import RequestFactory

    from schoolpoort.calendar.home import next_events
    from schoolpoort.core.access import request_reach
    from schoolpoort.web.overview import home_overview

    make_event(groups=[world.group3], starts_on=soon(1), start_time=datetime.time(8, 30), rrule="FREQ=WEEKLY")
    for n in range(8):
        make_event(school=world.school, starts_on=soon(n))
    request = RequestFactory().get("/")
    request.user = world.users["guardian"]
    overview = home_overview(request.user)
    request_reach(request)  # read once per request, shared with the news block
    with CaptureQueriesContext(connection) as queries:
        block = next_events(request, overview)
        assert len(block.context["occurrences"]) == 3  # today and tomorrow: two single events and the gym
    assert len(queries.captured_queries) == 1  # the first single events, the repeating ones and the days off


def test_the_home_block_reads_the_days_off_with_its_events_as_the_kernel_would_and_keeps_them(world):
    """The days off come along in the block's one query (lib/days_off.py's answer, not a copy of
    it): the same days as the kernel reads, skipped by the repeating events, and kept for the
    request so that the timetable block asks nothing."""
    from django.test import RequestFactory

    from schoolpoort.calendar.home import next_events
    from schoolpoort.core.access import request_reach
    from schoolpoort.lib.days_off import RememberDaysOffMiddleware, days_off_by_school
    from schoolpoort.web.overview import home_overview

    school = world.school
    make_event(groups=[world.group3], title="Gym", starts_on=soon(0), start_time=datetime.time(8, 30),
               rrule="FREQ=DAILY;COUNT=12")
    make_event(board=school.board, category="vacation", starts_on=soon(1), ends_on=soon(2))
    make_event(school=school, category="study_day", starts_on=soon(4))
    make_event(school=school, category="free_day", starts_on=soon(5), cancelled=True)  # called off: school as usual
    make_event(groups=[world.group3], category="vacation", starts_on=soon(6))  # a group's, not the school's
    make_event(school=world.sister_school, category="vacation", starts_on=soon(7))
    make_event(board=world.other_school.board, category="vacation", starts_on=soon(8))
    request = RequestFactory().get("/")
    request.user = world.users["teacher"]  # staff see the next five, not only today and tomorrow
    overview = home_overview(request.user)
    request_reach(request)

    def the_request(request):
        block = next_events(request, overview)
        with CaptureQueriesContext(connection) as later:
            kept = days_off_by_school([school.pk], soon(0), soon(30))
        return block, kept, later

    block, kept, later = RememberDaysOffMiddleware(the_request)(request)
    asked = days_off_by_school([school.pk], soon(0), soon(30))  # outside a request: from the database
    assert asked == {school.pk: {soon(1), soon(2), soon(4)}}
    assert kept == asked and later.captured_queries == []
    shown = [(o.event.title, o.first_day) for o in block.context["occurrences"]]
    # the next five: the gym skips the board's vacation and the study day (shown themselves, as is the
    # called-off free day, all day before the gym)
    assert shown == [("Gym", soon(0)), ("Event", soon(1)), ("Gym", soon(3)), ("Event", soon(4)), ("Event", soon(5))]


# --- Query counts -------------------------------------------------------------------------------


def _grow(world):
    """More of everything that could cost a query per row."""
    guardian = world.users["guardian"]
    groups = [GroupFactory(school=world.school, grades=grade, teachers=[world.users["teacher"]]) for grade in "4578"]
    for group in groups:
        for _n in range(2):
            GuardianshipFactory(student=enrolled_student(group), user=guardian)
        make_event(groups=[group], starts_on=soon(0), start_time=datetime.time(8, 30), rrule="FREQ=WEEKLY;COUNT=8",
                   exdates=[soon(7).isoformat()])
        make_event(groups=[group, world.group3], starts_on=soon(2), ends_on=soon(4))
    for n in range(6):
        make_event(school=world.school, starts_on=soon(n), cancelled=n % 2 == 0)
        make_event(board=world.school.board, starts_on=soon(n))
    GuardianshipFactory(student=StudentFactory(school=world.sister_school), user=guardian)


@pytest.mark.parametrize("role, name, params", [
    *[(role, name, {}) for role in ("guardian", "teacher", "director", "board_admin")
      for name in ("calendar:list", "calendar:month", "calendar:week")],
    ("guardian", "calendar:list", {"kind": "child"}),
    ("guardian", "calendar:month", {"kind": "child"}),
])
def test_calendar_pages_cost_the_same_queries_with_more_data(client, world, events, role, name, params,
                                                            django_assert_num_queries):
    params = {"kind": world.child.pk} if params else {}
    user = world.users[role]
    make_event(groups=[world.group3], starts_on=soon(0))  # one event this week (an empty list skips a prefetch)
    client.force_login(user)
    client.get(reverse(name), params)  # the reach cache's versions exist from here on
    reach_changed()  # the reach read anew, as after any change of access (_grow changes it too)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(name), params).status_code == 200
    _grow(world)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse(name), params)
    assert response.status_code == 200
    assert response.content.decode().count('<li class="cal-item') > 3
