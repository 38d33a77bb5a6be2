"""Who sees which event, and who may change it: role by role, both the yes and the no, through
``visible_to`` and through the pages (what one may not see answers 404)."""

import datetime

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation

from schoolpoort.calendar.forms import audience_options
from schoolpoort.calendar.models import Event
from schoolpoort.core.access import get_visible_or_404
from schoolpoort.core.models import Guardianship, ModuleClosure, ModuleSwitch
from tests.calendar.calendar_helpers import make_event

AUDIENCES = ["board", "school", "group3", "group6", "sister_school", "other_school", "other_board"]
Y, N = True, False
# role → what it sees, in the order of AUDIENCES
SEES = {
    "guardian": (Y, Y, Y, N, N, N, N),
    "other_guardian": (Y, Y, Y, N, N, N, N),
    "guardian_other_group": (Y, Y, N, Y, N, N, N),
    "guardian_other_school": (N, N, N, N, N, Y, Y),
    "teacher": (Y, Y, Y, N, N, N, N),
    "teacher_other_group": (Y, Y, N, Y, N, N, N),
    "administration": (Y, Y, Y, Y, N, N, N),
    "director": (Y, Y, Y, Y, N, N, N),
    "board_admin": (Y, Y, Y, Y, Y, N, N),
    "board_admin_other_board": (N, N, N, N, N, Y, Y),
    "anonymous": (N, N, N, N, N, N, N),
}
# role → what it may change (as for news: own groups; school and its groups; board and its schools)
MANAGES = {
    "guardian": (N, N, N, N, N, N, N),
    "other_guardian": (N, N, N, N, N, N, N),
    "guardian_other_group": (N, N, N, N, N, N, N),
    "guardian_other_school": (N, N, N, N, N, N, N),
    "teacher": (N, N, Y, N, N, N, N),
    "teacher_other_group": (N, N, N, Y, N, N, N),
    "administration": (N, Y, Y, Y, N, N, N),
    "director": (N, Y, Y, Y, N, N, N),
    "board_admin": (Y, Y, Y, Y, Y, N, N),
    "board_admin_other_board": (N, N, N, N, N, Y, Y),
    "anonymous": (N, N, N, N, N, N, N),
}


def sees(user, event) -> bool:
    try:
        get_visible_or_404(Event, user, pk=event.pk)
    except Http404:
        return False
    return True


@pytest.mark.parametrize("role", SEES)
def test_each_role_sees_exactly_its_audiences(world, events, role):
    user = world.users[role]
    expected = {name for name, yes in zip(AUDIENCES, SEES[role], strict=True) if yes}
    assert {name for name in AUDIENCES if sees(user, events[name])} == expected
    assert set(Event.objects.visible_to(user)) == {events[name] for name in expected}


@pytest.mark.parametrize("role", MANAGES)
def test_each_role_may_change_exactly_the_audiences_it_may_post_to(world, events, role):
    user = world.users[role]
    expected = {name for name, yes in zip(AUDIENCES, MANAGES[role], strict=True) if yes}
    manageable = Event.objects.manageable_by(user).visible_to(user)
    assert {name for name in AUDIENCES if events[name] in manageable} == expected


@pytest.mark.parametrize("role", [r for r in SEES if r != "anonymous"])
@pytest.mark.parametrize("name", AUDIENCES)
def test_detail_and_download_answer_404_for_what_a_role_may_not_see(client, world, events, role, name):
    client.force_login(world.users[role])
    event = events[name]
    expected = 200 if SEES[role][AUDIENCES.index(name)] else 404
    assert client.get(reverse("calendar:detail", args=[event.pk])).status_code == expected
    assert client.get(reverse("calendar:event_ics", args=[event.pk])).status_code == expected


@pytest.mark.parametrize("role", [r for r in SEES if r != "anonymous"])
@pytest.mark.parametrize("name", AUDIENCES)
def test_edit_and_cancel_answer_404_unless_the_role_may_change_the_event(client, world, events, role, name):
    client.force_login(world.users[role])
    event = events[name]
    allowed = MANAGES[role][AUDIENCES.index(name)]
    assert client.get(reverse("calendar:edit", args=[event.pk])).status_code == (200 if allowed else 404)
    response = client.post(reverse("calendar:cancel", args=[event.pk]))
    assert response.status_code == (302 if allowed else 404)
    event.refresh_from_db()
    assert event.cancelled is allowed


def test_an_event_that_does_not_exist_is_404_like_one_that_is_not_yours(client, world):
    client.force_login(world.users["director"])
    for name in ("calendar:detail", "calendar:event_ics", "calendar:edit"):
        assert client.get(reverse(name, args=[999999])).status_code == 404


def test_a_teacher_may_not_change_an_event_of_their_group_and_another_group(world):
    both = make_event(groups=[world.group3, world.group6])
    teacher = world.users["teacher"]
    assert both in Event.objects.visible_to(teacher)
    assert both not in Event.objects.manageable_by(teacher)
    assert both in Event.objects.manageable_by(world.users["director"])


def test_a_guardian_kept_from_class_pages_sees_school_events_but_not_group_events(world, events):
    Guardianship.objects.filter(user=world.users["other_guardian"]).update(sees_class_pages=False)
    user = world.users["other_guardian"]
    assert sees(user, events["school"]) and sees(user, events["board"])
    assert not sees(user, events["group3"])


def test_a_leaver_takes_the_calendar_with_them(world, events):
    world.child.archived_at = timezone.now()
    world.child.save()
    for name in AUDIENCES:
        assert not sees(world.users["guardian"], events[name]), name


def test_a_group_of_last_year_is_not_this_years_group(world):
    from schoolpoort.core.models import SchoolYear
    from tests.factories import GroupFactory

    last_year = SchoolYear.for_date(timezone.localdate() - datetime.timedelta(days=366))
    old_group = GroupFactory(school=world.school, school_year=last_year, grades="2", teachers=[world.users["teacher"]])
    world.group3.enrollments.first().student.enrollments.create(group=old_group)
    old = make_event(groups=[old_group])
    assert not sees(world.users["guardian"], old)
    assert not sees(world.users["teacher"], old)
    assert sees(world.users["director"], old)


# --- Module switched off or closed --------------------------------------------------------------


def test_a_switched_off_calendar_is_invisible_to_everyone_at_that_school(client, world, events):
    ModuleSwitch.objects.filter(school=world.school, module="calendar").update(enabled=False)
    for role in ("guardian", "teacher", "director"):
        user = world.users[role]
        assert not any(sees(user, events[name]) for name in ("board", "school", "group3")), role
        client.force_login(user)
        assert client.get(reverse("calendar:list")).status_code == 404
        assert client.get(reverse("calendar:detail", args=[events["school"].pk])).status_code == 404
    # the board admin still has the sister school, where the calendar is on
    assert sees(world.users["board_admin"], events["board"])
    assert not sees(world.users["board_admin"], events["school"])


def test_a_closed_calendar_is_hidden_from_parents_but_not_from_staff(client, world, events):
    today = timezone.localdate()
    ModuleClosure.objects.create(school=world.school, module="calendar", starts_on=today, ends_on=today)
    guardian = world.users["guardian"]
    assert not any(sees(guardian, event) for event in events.values())
    client.force_login(guardian)
    assert client.get(reverse("calendar:list")).status_code == 404
    assert client.get(reverse("calendar:detail", args=[events["school"].pk])).status_code == 404
    assert client.get(reverse("calendar:subscribe")).status_code == 404
    assert sees(world.users["teacher"], events["school"])
    client.force_login(world.users["teacher"])
    assert client.get(reverse("calendar:list")).status_code == 200


def test_a_closure_of_another_module_changes_nothing(world, events):
    today = timezone.localdate()
    ModuleClosure.objects.create(school=world.school, module="news", starts_on=today, ends_on=today)
    assert sees(world.users["guardian"], events["group3"])


# --- Who may post to what -----------------------------------------------------------------------


def test_audience_options_follow_the_roles(world):
    def options(role):
        with translation.override("en"):
            return [(value, str(label)) for value, label in audience_options(world.users[role]).choices()]

    school, sister = world.school, world.sister_school
    assert options("guardian") == []
    assert options("teacher") == [(f"groups:{school.pk}", f"Groups of {school.name} (tick them below)")]
    assert audience_options(world.users["teacher"]).groups == [world.group3]
    assert [value for value, _label in options("director")] == [f"school:{school.pk}", f"groups:{school.pk}"]
    assert [value for value, _label in options("board_admin")] == [
        f"board:{school.board_id}", f"school:{school.pk}", f"school:{sister.pk}",
        f"groups:{school.pk}", f"groups:{sister.pk}",
    ]


def test_a_guardian_cannot_open_the_new_event_page(client, world):
    client.force_login(world.users["guardian"])
    assert client.get(reverse("calendar:create")).status_code == 404


def test_a_teacher_cannot_post_to_a_group_they_do_not_teach(client, world):
    client.force_login(world.users["teacher"])
    response = client.post(reverse("calendar:create"), {
        "title": "Sneaky", "category": "other", "audience": f"groups:{world.school.pk}",
        "groups": [world.group6.pk], "all_day": "on", "starts_on": "2030-01-07",
    })
    assert response.status_code == 200
    assert "groups" in response.context["form"].errors
    assert not Event.objects.filter(title="Sneaky").exists()


def test_a_director_cannot_post_to_the_board_or_another_school(client, world):
    client.force_login(world.users["director"])
    for audience in (f"board:{world.school.board_id}", f"school:{world.sister_school.pk}"):
        response = client.post(reverse("calendar:create"), {
            "title": "Too wide", "category": "other", "audience": audience, "all_day": "on",
            "starts_on": "2030-01-07",
        })
        assert "audience" in response.context["form"].errors
    assert not Event.objects.filter(title="Too wide").exists()
