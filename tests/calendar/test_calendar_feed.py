"""The agenda feed: a secret link that works without a session, stored only as a hash, revocable;
valid RFC 5545 that two independent parsers read; exactly the events the user may see; cheap
to ask again (ETag, Last-Modified, 304); and open to the items of other apps."""

import datetime
import hashlib
import re
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
import vobject
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from schoolpoort.calendar.actions import issue_feed_token
from schoolpoort.calendar.models import Event, FeedToken
from schoolpoort.core.models import AuditEntry
from schoolpoort.lib.feed import FeedItem, register_feed_provider, unregister_feed_provider
from tests.calendar.calendar_helpers import make_event, soon
from tests.factories import GroupFactory, GuardianshipFactory, enrolled_student

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def feed_path(token: str) -> str:
    return reverse("calendar:feed", kwargs={"token": token})


def fetch(client, token: str, **headers):
    return client.get(feed_path(token), **headers)


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def make_link(client, user) -> str:
    """The subscription page, as the user uses it: make a link, read it off the page."""
    client.force_login(user)
    page = client.post(reverse("calendar:subscribe"), {"action": "new"}).content.decode()
    client.logout()
    return re.search(r"/kalender/feed/([A-Za-z0-9_-]+)\.ics", page).group(1)


@pytest.fixture
def guardian(world):
    return world.users["guardian"]


# --- The link -----------------------------------------------------------------------------------


def test_the_link_is_shown_once_with_a_qr_code_and_a_webcal_link(client, world, guardian, events, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    client.force_login(guardian)
    assert b"/kalender/feed/" not in client.get(reverse("calendar:subscribe")).content
    response = client.post(reverse("calendar:subscribe"), {"action": "new"})
    page = response.content.decode()
    token = re.search(r"/kalender/feed/([A-Za-z0-9_-]+)\.ics", page).group(1)
    assert len(token) >= 43  # 32 random bytes, base64url
    assert f'href="webcal://127.0.0.1:8000/kalender/feed/{token}.ics"' in page
    assert "<svg" in page
    assert "no-store" in response["Cache-Control"]
    later = client.get(reverse("calendar:subscribe")).content.decode()
    assert token not in later
    assert 'value="new"' in later and 'value="stop"' in later  # make a new link, or stop it


def test_the_token_is_stored_only_as_its_sha256_hash(world, guardian):
    token = issue_feed_token(guardian)
    stored = FeedToken.objects.get(user=guardian)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    row = " ".join(str(value) for value in FeedToken.objects.filter(pk=stored.pk).values_list().get())
    assert token not in row
    audit = " ".join(str(row) for row in AuditEntry.objects.values_list())
    assert "calendar.feed_link_made" in audit and token not in audit


def test_a_new_link_revokes_the_old_one(client, world, guardian, events):
    old = make_link(client, guardian)
    assert fetch(client, old).status_code == 200
    new = make_link(client, guardian)
    assert new != old
    assert fetch(client, old).status_code == 404
    assert fetch(client, new).status_code == 200


def test_stopping_the_link_makes_it_404(client, world, guardian):
    token = make_link(client, guardian)
    client.force_login(guardian)
    client.post(reverse("calendar:subscribe"), {"action": "stop"})
    client.logout()
    assert fetch(client, token).status_code == 404
    assert not FeedToken.objects.filter(user=guardian).exists()


def test_an_unknown_token_and_a_deactivated_user_get_404(client, world, guardian):
    assert fetch(client, "x" * 43).status_code == 404
    token = make_link(client, guardian)
    guardian.is_active = False
    guardian.save()
    assert fetch(client, token).status_code == 404


def test_the_feed_needs_no_session_and_ignores_one(client, world, guardian, events):
    token = make_link(client, guardian)
    assert "sessionid" not in client.cookies or not client.cookies["sessionid"].value
    uids = {str(e["UID"]) for e in parse(fetch(client, token)).events}
    client.force_login(world.users["director"])  # another user's session does not matter
    assert {str(e["UID"]) for e in parse(fetch(client, token)).events} == uids


# --- What is in it ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["guardian", "guardian_other_group", "teacher", "director", "board_admin",
                                  "board_admin_other_board"])
def test_the_feed_holds_exactly_the_events_the_user_may_see(client, world, events, role):
    user = world.users[role]
    token = issue_feed_token(user)
    expected = {str(event.uid) for event in Event.objects.visible_to(user)}
    assert expected  # every role here sees something
    body = fetch(client, token).content
    assert {str(e["UID"]) for e in Calendar.from_ical(body).events} == expected
    assert {e.uid.value for e in vobject.readOne(body.decode()).vevent_list} == expected


def test_the_feed_is_valid_rfc5545_for_two_independent_parsers(client, world, guardian, events):
    make_event(groups=[world.group3], title="Gym", starts_on=datetime.date(2026, 9, 1),
               start_time=datetime.time(8, 30), end_time=datetime.time(9, 15),
               rrule="FREQ=WEEKLY;UNTIL=20270716", exdates=["2026-10-13"])
    response = fetch(client, issue_feed_token(guardian))
    cal = parse(response)
    # round trip through icalendar
    assert Calendar.from_ical(cal.to_ical()).to_ical() == cal.to_ical()
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    assert cal["NAME"] == cal["X-WR-CALNAME"] == "Schoolpoort"
    assert cal.refresh_interval == datetime.timedelta(hours=1)
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in response.content.decode()
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    for vevent in cal.events:
        assert vevent.get("UID") and vevent.get("DTSTAMP"), vevent.get("SUMMARY")
        assert "SEQUENCE" in vevent and "DTSTART" in vevent
    # vobject, an independent parser, reads it too, with the right offsets
    parsed = vobject.readOne(response.content.decode())
    assert len(parsed.vevent_list) == len(cal.events)
    (gym,) = [e for e in parsed.vevent_list if e.summary.value == "Gym"]
    starts = list(gym.getrruleset(addRDate=True).between(
        datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC), datetime.datetime(2026, 11, 4, tzinfo=datetime.UTC)))
    local = [moment.astimezone(AMSTERDAM) for moment in starts]
    assert [m.date() for m in local] == [datetime.date(2026, 10, d) for d in (6, 20, 27)] + [
        datetime.date(2026, 11, 3)]  # 13 October is the exception
    assert {m.time() for m in local} == {datetime.time(8, 30)}  # across the clock change of 25 October
    assert local[1].utcoffset() != local[2].utcoffset()


def test_repeating_events_stay_one_vevent_with_rrule_and_exdate(client, world, guardian):
    gym = make_event(groups=[world.group3], title="Gym", starts_on=datetime.date(2026, 9, 1),
                     start_time=datetime.time(8, 30), end_time=datetime.time(9, 15),
                     rrule="FREQ=WEEKLY;UNTIL=20270716", exdates=["2026-10-13"])
    cal = parse(fetch(client, issue_feed_token(guardian)))
    (vevent,) = [e for e in cal.events if str(e["UID"]) == str(gym.uid)]
    assert vevent["RRULE"].to_ical() == b"FREQ=WEEKLY;UNTIL=20270716T215959Z"  # a UTC time, as RFC 5545 wants
    assert vevent["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert [d.dt for d in vevent["EXDATE"].dts] == [datetime.datetime(2026, 10, 13, 8, 30, tzinfo=AMSTERDAM)]
    # recurring-ical-events expands it the way our pages do
    found = recurring_ical_events.of(cal).between(datetime.date(2026, 10, 1), datetime.date(2026, 11, 1))
    assert [e.start for e in found if str(e["UID"]) == str(gym.uid)] == [
        datetime.datetime(2026, 10, d, 8, 30, tzinfo=AMSTERDAM) for d in (6, 20, 27)]


def test_an_all_day_vacation_has_dates_and_an_exclusive_end(client, world, guardian):
    make_event(school=world.school, title="Herfstvakantie", category="vacation",
               starts_on=soon(10), ends_on=soon(18))
    cal = parse(fetch(client, issue_feed_token(guardian)))
    (vacation,) = [e for e in cal.events if e["SUMMARY"] == "Herfstvakantie"]
    assert vacation.start == soon(10) and vacation.end == soon(19)
    assert vacation["TRANSP"] == "TRANSPARENT"


def test_a_cancelled_event_stays_with_status_cancelled(client, world, guardian, events):
    token = issue_feed_token(guardian)
    client.force_login(world.users["director"])
    client.post(reverse("calendar:cancel", args=[events["school"].pk]))
    cal = parse(fetch(client, token))
    (vevent,) = [e for e in cal.events if str(e["UID"]) == str(events["school"].uid)]
    assert vevent["STATUS"] == "CANCELLED"
    assert vevent["SEQUENCE"] == 1


def test_an_edit_raises_the_sequence_and_keeps_the_uid(client, world, guardian, events):
    token = issue_feed_token(guardian)
    event = events["group3"]
    uid = str(event.uid)
    before = {str(e["UID"]): e for e in parse(fetch(client, token)).events}[uid]
    client.force_login(world.users["teacher"])
    response = client.post(reverse("calendar:edit", args=[event.pk]), {
        "title": "Gym (moved)", "category": "sports", "audience": f"groups:{world.school.pk}",
        "groups": [world.group3.pk], "starts_on": soon(8).isoformat(), "start_time": "10:00", "end_time": "11:00",
    })
    assert response.status_code == 302
    after = {str(e["UID"]): e for e in parse(fetch(client, token)).events}[uid]
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert after["SUMMARY"] == "Gym (moved)"
    assert after["DTSTAMP"].dt >= before["DTSTAMP"].dt


def test_events_that_ended_more_than_a_year_ago_are_left_out(client, world, guardian):
    old = make_event(school=world.school, starts_on=soon(-400))
    cal = parse(fetch(client, issue_feed_token(guardian)))
    assert str(old.uid) not in {str(e["UID"]) for e in cal.events}


# --- Asking again -------------------------------------------------------------------------------


def test_an_unchanged_feed_answers_304_and_a_changed_one_200(client, world, guardian, events):
    token = issue_feed_token(guardian)
    first = fetch(client, token)
    assert first["ETag"] and first["Last-Modified"]
    assert "private" in first["Cache-Control"]
    again = fetch(client, token, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    since = fetch(client, token, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    assert fetch(client, token).content == first.content  # the same bytes every time: nothing moves by itself

    make_event(school=world.school, title="New")
    changed = fetch(client, token, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_a_head_request_is_answered_and_a_post_is_not(client, world, guardian):
    token = issue_feed_token(guardian)
    assert client.head(feed_path(token)).status_code == 200
    assert client.post(feed_path(token)).status_code == 405


def test_the_feed_costs_the_same_queries_with_more_data(client, world, guardian, events):
    token = issue_feed_token(guardian)
    fetch(client, token)
    with CaptureQueriesContext(connection) as small:
        fetch(client, token)
    more_groups = [GroupFactory(school=world.school, grades=grade) for grade in "4578"]
    for group in more_groups:
        GuardianshipFactory(student=enrolled_student(group), user=guardian)
        make_event(groups=[group], start_time=datetime.time(8, 30), rrule="FREQ=WEEKLY;COUNT=20",
                   exdates=[soon(14).isoformat()], starts_on=soon(0))
        make_event(school=world.school)
    fetch(client, token)
    with CaptureQueriesContext(connection) as large:
        body = fetch(client, token).content
    assert len(Calendar.from_ical(body).events) > len(events)
    # + the weekly activities (lib/weekly.py) and the schools' days off (lib/days_off.py)
    assert len(large.captured_queries) == len(small.captured_queries) <= 6


# --- Items of other apps ------------------------------------------------------------------------


def test_another_apps_items_are_included_without_the_calendar_knowing_the_app(client, world, guardian):
    start = datetime.datetime(2026, 11, 24, 15, 40, tzinfo=AMSTERDAM)

    def conference_bookings(user):
        if user != guardian:
            return []
        return [FeedItem(uid="conference-booking-17@schoolpoort", summary="Parent-teacher conference",
                         start=start, end=start + datetime.timedelta(minutes=10), location="Groep 3",
                         sequence=2, url="https://example.org/b/17")]

    register_feed_provider(conference_bookings)
    try:
        cal = parse(fetch(client, issue_feed_token(guardian)))
        (booking,) = [e for e in cal.events if str(e["UID"]) == "conference-booking-17@schoolpoort"]
        assert booking.start == start and booking["SEQUENCE"] == 2 and booking.get("DTSTAMP")
        other = parse(fetch(client, issue_feed_token(world.users["teacher"])))
        assert "conference-booking-17@schoolpoort" not in {str(e["UID"]) for e in other.events}
    finally:
        unregister_feed_provider(conference_bookings)


def test_a_failing_provider_does_not_break_the_feed(client, world, guardian, events):
    def broken(user):
        raise RuntimeError("boom")

    register_feed_provider(broken)
    try:
        cal = parse(fetch(client, issue_feed_token(guardian)))
        assert str(events["school"].uid) in {str(e["UID"]) for e in cal.events}
    finally:
        unregister_feed_provider(broken)


def test_an_all_day_item_and_a_cancelled_item(client, world, guardian):
    items = [
        FeedItem(uid="a@x", summary="Day", start=datetime.date(2026, 12, 1), end=datetime.date(2026, 12, 2),
                 all_day=True),
        FeedItem(uid="b@x", summary="Gone", start=datetime.datetime(2026, 12, 1, 9, tzinfo=AMSTERDAM),
                 end=datetime.datetime(2026, 12, 1, 10, tzinfo=AMSTERDAM), cancelled=True),
    ]
    provider = register_feed_provider(lambda user: items)
    try:
        cal = parse(fetch(client, issue_feed_token(guardian)))
        by_uid = {str(e["UID"]): e for e in cal.events}
        assert by_uid["a@x"].start == datetime.date(2026, 12, 1) and by_uid["a@x"].end == datetime.date(2026, 12, 3)
        assert by_uid["b@x"]["STATUS"] == "CANCELLED"
    finally:
        unregister_feed_provider(provider)


def test_one_event_downloads_as_its_own_calendar(client, world, guardian, events):
    client.force_login(guardian)
    response = client.get(reverse("calendar:event_ics", args=[events["group3"].pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    cal = Calendar.from_ical(response.content)
    assert [str(e["UID"]) for e in cal.events] == [str(events["group3"].uid)]
    assert vobject.readOne(response.content.decode()).vevent.uid.value == str(events["group3"].uid)


def test_an_apps_calendar_feed_module_is_found_by_name(client, world, guardian, monkeypatch):
    """An app with a ``calendar_feed.py`` that defines ``feed_items`` is discovered like home.py."""
    import importlib
    import types

    from schoolpoort.lib import providers

    module = types.ModuleType("schoolpoort.news.calendar_feed")
    module.feed_items = lambda user: [FeedItem(uid="found@news", summary="From news", start=soon(3), end=soon(3),
                                               all_day=True)]
    real_find_spec, real_import = importlib.util.find_spec, importlib.import_module
    monkeypatch.setattr(providers.importlib.util, "find_spec",
                        lambda name: object() if name == module.__name__ else real_find_spec(name))
    monkeypatch.setattr(providers.importlib, "import_module",
                        lambda name: module if name == module.__name__ else real_import(name))
    providers.module_hooks.cache_clear()
    try:
        cal = parse(fetch(client, issue_feed_token(guardian)))
        assert "found@news" in {str(e["UID"]) for e in cal.events}
    finally:
        providers.module_hooks.cache_clear()
