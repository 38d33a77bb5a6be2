"""The notification centre after the demo is built (as the browser tests build it): the demo's
content is told through the modules' own notify() calls and the fan-out, so the demo parents
have unread items of every module that notifies, each with a link that opens through the
access rule; the calendar's gym is the timetable's. One demo build for the whole module."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schoolpoort.calendar.models import Event
from schoolpoort.core.scopes import scopes_disabled
from schoolpoort.notify.models import Notification
from schoolpoort.timetable.models import TimetableEntry

JANSEN = "jansen@ouders.example"


@pytest.fixture
def users(demo):
    from schoolpoort.accounts.models import User

    return {user.email: user for user in User.objects.filter(email__iendswith=".example")}


def test_the_centre_after_the_demo_is_built(client, users, django_assert_max_num_queries):
    """One demo build (it takes a while) for every check of the centre, in this order."""
    the_demo_parent_has_unread_items_of_every_module_in_the_centre(client, users)
    the_demo_news_a_family_read_is_read_in_the_centre(users)
    the_office_hears_of_the_demo_correction_request(users)
    the_centre_costs_the_same_queries_however_many_items(client, users, django_assert_max_num_queries)
    every_link_in_the_centre_opens_through_the_access_rule_and_marks_it_read(client, users)
    marking_all_as_read_empties_the_unread_count(client, users)


def the_demo_parent_has_unread_items_of_every_module_in_the_centre(client, users):
    jansen = users[JANSEN]
    unread = Notification.objects.filter(recipient=jansen, read_at__isnull=True)
    modules = set(unread.values_list("module", flat=True))
    assert {"news", "messaging", "documents", "signups", "conferences", "albums", "absences"} <= modules
    client.force_login(jansen)
    page = client.get(reverse("notify:list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "notification--unread" in html
    assert "Nog geen meldingen" not in html and "No notifications yet" not in html


def the_demo_news_a_family_read_is_read_in_the_centre(users):
    jansen = users[JANSEN]
    news = Notification.objects.filter(recipient=jansen, module="news")
    assert news.filter(read_at__isnull=True).exists() and news.filter(read_at__isnull=False).exists()
    assert all(n.created_at < timezone.now() - datetime.timedelta(hours=1) for n in news)


def the_office_hears_of_the_demo_correction_request(users):
    office = users["administratie@regenboog.example"]
    assert Notification.objects.filter(recipient=office, module="records", read_at__isnull=True).exists()


def every_link_in_the_centre_opens_through_the_access_rule_and_marks_it_read(client, users):
    for email in (JANSEN, "devries@ouders.example", "administratie@regenboog.example",
                  "directie@regenboog.example"):
        user = users[email]
        client.force_login(user)
        for notification in Notification.objects.filter(recipient=user).order_by("pk"):
            opened = client.get(reverse("notify:open", args=[notification.pk]))
            assert opened.status_code == 302 and opened["Location"] == notification.url
            target = client.get(notification.url)
            assert target.status_code == 200, (email, notification.module, notification.url)
            notification.refresh_from_db()
            assert notification.read_at is not None
    # Someone else's notification does not exist for this user.
    others = Notification.objects.exclude(recipient=users["directie@regenboog.example"]).first()
    assert client.get(reverse("notify:open", args=[others.pk])).status_code == 404


def the_centre_costs_the_same_queries_however_many_items(client, users, django_assert_max_num_queries):
    counts = {}
    for email in (JANSEN, "smit@ouders.example", "devries@ouders.example"):
        client.force_login(users[email])
        client.get(reverse("notify:list"))  # warm, as on a running server: the reach is cached
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("notify:list")).status_code == 200
        counts[email] = len(queries.captured_queries)
    assert Notification.objects.filter(recipient=users[JANSEN]).count() > 5
    assert len(set(counts.values())) == 1, counts
    client.force_login(users[JANSEN])
    with django_assert_max_num_queries(counts[JANSEN]):
        client.get(reverse("notify:list"), {"page": 2})


def marking_all_as_read_empties_the_unread_count(client, users):
    smit = users["smit@ouders.example"]
    assert Notification.objects.filter(recipient=smit, read_at__isnull=True).exists()
    client.force_login(smit)
    assert client.post(reverse("notify:mark_all_read")).status_code == 302
    assert not Notification.objects.filter(recipient=smit, read_at__isnull=True).exists()


def test_the_demo_calendars_gym_is_the_timetables(client, users, demo):
    """No hand-made gym event: the calendar shows the timetable's gym (groep 3: Tuesday and
    Thursday 10:30) on the school days, and not in the vacations."""
    with scopes_disabled():
        assert not Event.objects.filter(title__iexact="gym").exists()
        group3, group6 = demo.groups["99AA", "3"], demo.groups["99AA", "6"]
        timetable = {
            group.name: {(e.weekday, e.starts_at) for e in TimetableEntry.objects.filter(group=group, activity="gym")}
            for group in (group3, group6)
        }
    assert timetable[group3.name] == {(1, datetime.time(10, 30)), (3, datetime.time(10, 30))}
    client.force_login(users[JANSEN])
    today = timezone.localdate()
    seen: dict[str, set] = {group3.name: set(), group6.name: set()}
    for weeks in range(0, 8):
        day = today + datetime.timedelta(weeks=weeks)
        response = client.get(reverse("calendar:week"), {"week": day.isoformat()})
        for _day, found in response.context["days"]:
            for occurrence in found:
                if occurrence.event.title == "Gym":
                    start = timezone.localtime(occurrence.start)
                    seen[occurrence.event.audience_label].add((start.weekday(), start.time()))
    assert seen == timetable
