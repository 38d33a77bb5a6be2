"""Staff add, change and cancel events; a form that fails keeps what was typed and says why."""

import datetime

import pytest
from django.urls import reverse

from schoolpoort.calendar.models import Event
from schoolpoort.core.models import AuditEntry
from tests.calendar.calendar_helpers import make_event, soon


def next_weekday(weekday: int, weeks: int = 1) -> datetime.date:
    day = soon(7 * weeks)
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


@pytest.fixture
def director(client, world):
    client.force_login(world.users["director"])
    return world.users["director"]


def post_new(client, **fields):
    return client.post(reverse("calendar:create"), fields)


def test_the_director_adds_a_school_event(client, world, director):
    response = post_new(client, title="Informatieavond", category="parents_evening",
                        audience=f"school:{world.school.pk}", starts_on=soon(10).isoformat(),
                        start_time="19:30", end_time="21:00", location="Aula", description="Welkom!")
    event = Event.objects.get(title="Informatieavond")
    assert response.status_code == 302 and response["Location"] == reverse("calendar:detail", args=[event.pk])
    assert (event.audience, event.school, event.board) == ("school", world.school, None)
    assert (event.start_time, event.end_time, event.all_day) == (datetime.time(19, 30), datetime.time(21), False)
    assert event.ends_on == event.starts_on and event.created_by == director and event.sequence == 0
    assert AuditEntry.objects.filter(action="calendar.created", object_id=str(event.pk)).exists()


def test_a_teacher_adds_weekly_gym_with_an_exception(client, world):
    client.force_login(world.users["teacher"])
    tuesday = next_weekday(1)
    skipped = tuesday + datetime.timedelta(days=14)
    until = tuesday + datetime.timedelta(days=70)
    response = post_new(client, title="Gym", category="sports", audience=f"groups:{world.school.pk}",
                        groups=[world.group3.pk], starts_on=tuesday.isoformat(), start_time="08:30",
                        end_time="09:15", repeat="weekly", repeat_until=until.isoformat(),
                        exceptions=skipped.strftime("%d-%m-%Y"))
    assert response.status_code == 302
    gym = Event.objects.get(title="Gym")
    assert gym.rrule == f"FREQ=WEEKLY;UNTIL={until:%Y%m%d}"
    assert gym.exdates == [skipped.isoformat()]
    assert list(gym.groups.all()) == [world.group3]
    assert gym.last_day == until - datetime.timedelta(days=(until.weekday() - 1) % 7)


def test_a_board_admin_adds_a_board_event_and_an_own_rule(client, world):
    client.force_login(world.users["board_admin"])
    monday = next_weekday(0)
    response = post_new(client, title="Overleg", category="other", audience=f"board:{world.school.board_id}",
                        starts_on=monday.isoformat(), all_day="on", repeat="custom",
                        rrule="RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4")
    assert response.status_code == 302
    event = Event.objects.get(title="Overleg")
    assert (event.audience, event.board, event.school) == ("board", world.school.board, None)
    assert event.rrule == "FREQ=WEEKLY;COUNT=4;BYDAY=MO,WE" and event.all_day


@pytest.mark.parametrize("fields, field, typed", [
    ({"starts_on": "2031-03-12", "ends_on": "2031-03-10", "all_day": "on"}, "ends_on", "2031-03-10"),
    ({"starts_on": "2031-03-12", "start_time": "10:00", "end_time": "09:00"}, "end_time", "09:00"),
    ({"starts_on": "2031-03-12", "start_time": "10:00"}, "end_time", None),
    ({"starts_on": "2031-03-12", "all_day": "on", "repeat": "custom", "rrule": "FREQ=FORTNIGHTLY"}, "rrule",
     "FREQ=FORTNIGHTLY"),
    ({"starts_on": "2031-03-12", "all_day": "on", "repeat": "custom", "rrule": "FREQ=WEEKLY;BYDAY=TU"}, "rrule",
     "FREQ=WEEKLY;BYDAY=TU"),  # 12 March 2031 is a Wednesday
    ({"starts_on": "2031-03-12", "all_day": "on", "repeat": "weekly", "exceptions": "2031-03-20"}, "exceptions",
     "2031-03-20"),
    ({"starts_on": "2031-03-12", "all_day": "on", "exceptions": "2031-03-19"}, "exceptions", "2031-03-19"),
    ({"starts_on": "2031-03-12", "all_day": "on", "repeat": "weekly", "exceptions": "next week"}, "exceptions",
     "next week"),
    ({"starts_on": "2031-03-12", "all_day": "on", "repeat": "weekly", "repeat_until": "2031-03-01"}, "repeat_until",
     "2031-03-01"),
    ({"starts_on": "2031-03-12", "all_day": "on", "repeat": "custom", "rrule": "FREQ=WEEKLY;COUNT=3",
      "repeat_until": "2031-06-01"}, "repeat_until", "2031-06-01"),
    ({"starts_on": "2031-03-12", "all_day": "on", "audience_groups": True}, "groups", None),
])
def test_a_failed_form_keeps_what_was_typed_and_says_what_is_wrong(client, world, director, fields, field, typed):
    fields = dict(fields)
    audience = f"groups:{world.school.pk}" if fields.pop("audience_groups", False) else f"school:{world.school.pk}"
    response = post_new(client, title="Keep my title", category="other", audience=audience,
                        description="A long text I do not want to type again", **fields)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field], form.errors
    html = response.content.decode()
    assert 'value="Keep my title"' in html and "A long text I do not want to type again" in html
    if typed:
        assert typed in html
    assert 'class="errorlist' in html and 'role="alert"' in html
    assert not Event.objects.filter(title="Keep my title").exists()


def test_editing_raises_the_sequence_and_saving_unchanged_does_not(client, world, director):
    event = make_event(school=world.school, title="Sports day", starts_on=soon(20))
    url = reverse("calendar:edit", args=[event.pk])
    form = client.get(url).context["form"]
    unchanged = {name: value for name, value in form.initial.items() if value not in (None, "")}
    unchanged = {k: ("on" if v is True else v) for k, v in unchanged.items() if v is not False}
    assert client.post(url, unchanged).status_code == 302
    event.refresh_from_db()
    assert event.sequence == 0
    assert client.post(url, {**unchanged, "title": "Sports day (new date)", "starts_on": soon(21).isoformat()}
                       ).status_code == 302
    event.refresh_from_db()
    assert (event.title, event.starts_on, event.sequence) == ("Sports day (new date)", soon(21), 1)
    assert str(event.uid) == str(Event.objects.get(pk=event.pk).uid)


def test_the_edit_form_shows_the_events_repeat_and_exceptions(client, world):
    gym = make_event(groups=[world.group3], title="Gym", starts_on=next_weekday(1), start_time=datetime.time(8, 30),
                     rrule="FREQ=WEEKLY;UNTIL=20991231".replace("2099", str(next_weekday(1).year + 1)),
                     exdates=[(next_weekday(1) + datetime.timedelta(days=7)).isoformat()])
    client.force_login(world.users["teacher"])
    initial = client.get(reverse("calendar:edit", args=[gym.pk])).context["form"].initial
    assert initial["repeat"] == "weekly" and initial["repeat_until"].month == 12
    assert initial["exceptions"] == gym.exdates[0]
    assert initial["audience"] == f"groups:{world.school.pk}" and initial["groups"] == [world.group3.pk]


def test_cancel_keeps_the_event_and_marks_it(client, world, director):
    event = make_event(school=world.school, title="Photographer")
    confirmation = client.get(reverse("calendar:cancel", args=[event.pk]))  # first what it means; no change
    assert confirmation.status_code == 200 and 'name="confirm"' in confirmation.content.decode()
    event.refresh_from_db()
    assert not event.cancelled
    assert client.post(reverse("calendar:cancel", args=[event.pk])).status_code == 302
    event.refresh_from_db()
    assert event.cancelled and event.sequence == 1
    client.post(reverse("calendar:cancel", args=[event.pk]))  # twice changes nothing
    event.refresh_from_db()
    assert event.sequence == 1


def test_a_cancelled_event_can_be_restored_in_the_edit_form(client, world, director):
    event = make_event(school=world.school, title="Photographer", cancelled=True)
    url = reverse("calendar:edit", args=[event.pk])
    response = client.post(url, {"title": "Photographer", "category": "other", "audience": f"school:{world.school.pk}",
                                 "starts_on": event.starts_on.isoformat(), "all_day": "on"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert not event.cancelled and event.sequence == 1


def test_a_teacher_sees_only_their_groups_in_the_form(client, world):
    client.force_login(world.users["teacher"])
    html = client.get(reverse("calendar:create")).content.decode()
    assert "Groep 3" in html and "Groep 6" not in html
    assert f"school:{world.school.pk}" not in html
