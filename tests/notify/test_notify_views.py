"""The pages and endpoints of notify: who may open what, what they show, and how many queries."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from schoolpoort.notify import push
from schoolpoort.notify.models import Notification, Preference, PushSubscription, QuietHours
from tests.factories import UserFactory
from tests.notify.notify_helpers import Browser, b64, fan_out_now, send

PAGES = [  # (route, method, args): every page for signed-in users only
    ("notify:list", "get", []),
    ("notify:open", "get", [1]),
    ("notify:mark_all_read", "post", []),
    ("notify:preferences", "get", []),
    ("notify:device", "post", [1]),
    ("notify:quiet_hours", "get", ["school"]),
]


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def notifications_for(user, count, **kwargs):
    for index in range(count):
        fan_out_now(send([user], key=f"news.post:{index}", title=f"Bericht {index}", url=f"/nieuws/{index}/", **kwargs))
    return list(Notification.objects.filter(recipient=user))


@pytest.mark.parametrize("name, method, args", PAGES)
def test_every_page_sends_anonymous_visitors_to_the_login_page(client, world, name, method, args):
    args = [world.school.pk if a == "school" else a for a in args]
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- The list, opening, marking read ------------------------------------------------------------


def test_the_list_shows_the_users_notifications_newest_first_with_unread_marked(client, world):
    guardian = english(world.users["guardian"])
    first, second = notifications_for(guardian, 2)[::-1]
    notifications_for(world.users["other_guardian"], 1)
    Notification.objects.filter(pk=first.pk).update(read_at=timezone.now())
    client.force_login(guardian)

    page = client.get(reverse("notify:list")).content.decode()

    assert page.index("Bericht 1") < page.index("Bericht 0")
    assert page.count('class="card notification notification--unread"') == 1
    assert "(unread)" in page
    assert page.count(reverse("notify:open", args=[second.pk])) == 1
    assert reverse("notify:open", args=[first.pk]) in page


@pytest.mark.parametrize("count", [0, 3, 45])
def test_the_list_takes_a_constant_number_of_queries(client, world, django_assert_num_queries, count):
    guardian = world.users["guardian"]
    notifications_for(guardian, count)
    client.force_login(guardian)
    client.get(reverse("notify:list"))  # warm, as on a running server: the reach is cached
    # session, user, the reach cache's versions (1), page count, the messages count in the header and
    # the page rows; roles, reach, schools, module states and the header's counts come from the cache
    with django_assert_num_queries(5 if count else 4):
        response = client.get(reverse("notify:list"))
    assert response.status_code == 200


def test_the_list_is_paginated(client, world):
    guardian = english(world.users["guardian"])
    notifications_for(guardian, 25)
    client.force_login(guardian)
    first = client.get(reverse("notify:list")).content.decode()
    second = client.get(reverse("notify:list") + "?page=2").content.decode()
    assert "Page 1 of 2" in first and "Bericht 24" in first and "Bericht 4" not in first
    assert "Bericht 4" in second and "Bericht 0" in second and "Bericht 5<" not in second


def test_opening_a_notification_marks_it_read_and_goes_to_the_item(client, world):
    guardian = world.users["guardian"]
    (notification,) = notifications_for(guardian, 1)
    fan_out_now(send([guardian], key="news.post:0", event="news.reminder"))  # same item, again
    client.force_login(guardian)

    response = client.get(reverse("notify:open", args=[notification.pk]))

    assert response.status_code == 302 and response["Location"] == "/nieuws/0/"
    assert not Notification.objects.filter(recipient=guardian, read_at__isnull=True).exists()


def test_someone_elses_notification_does_not_exist(client, world):
    (notification,) = notifications_for(world.users["other_guardian"], 1)
    client.force_login(world.users["guardian"])
    assert client.get(reverse("notify:open", args=[notification.pk])).status_code == 404
    assert client.get(reverse("notify:open", args=[999999])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_link_off_the_site_is_never_followed(client, world):
    guardian = world.users["guardian"]
    (notification,) = notifications_for(guardian, 1)
    Notification.objects.filter(pk=notification.pk).update(url="https://evil.example/")
    client.force_login(guardian)
    assert client.get(reverse("notify:open", args=[notification.pk]))["Location"] == reverse("notify:list")


def test_mark_all_read(client, world):
    guardian = world.users["guardian"]
    notifications_for(guardian, 3)
    other = notifications_for(world.users["other_guardian"], 1)
    client.force_login(guardian)
    assert client.get(reverse("notify:mark_all_read")).status_code == 405
    client.post(reverse("notify:mark_all_read"))
    assert not Notification.objects.filter(recipient=guardian, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=other[0].pk).read_at is None


# --- The header bell ----------------------------------------------------------------------------


def test_the_bell_shows_the_unread_count(client, world):
    guardian = english(world.users["guardian"])
    client.force_login(guardian)
    assert 'aria-label="Notifications"' in client.get(reverse("web:home")).content.decode()
    notifications_for(guardian, 3)
    page = client.get(reverse("web:home")).content.decode()
    assert 'aria-label="Notifications, 3 unread"' in page
    assert '<span class="chip badge" aria-hidden="true">3</span>' in page
    assert f'href="{reverse("notify:list")}"' in page


def test_the_unread_count_costs_one_query_and_none_for_anonymous_visitors(rf, world, django_assert_num_queries):
    """One query for every count of the header (the bell's and the inbox's, core/counts.py), once
    the request's reach is read (as every signed-in page reads it)."""
    from django.contrib.auth.models import AnonymousUser

    from schoolpoort.core.access import request_modules
    from schoolpoort.messaging.counts import header_counts
    from schoolpoort.notify.context_processors import notifications

    notifications_for(world.users["guardian"], 2)
    request = rf.get("/")
    request.user = world.users["guardian"]
    request_modules(request)
    with django_assert_num_queries(1):
        assert notifications(request) == {"notify_unread": 2}
        assert header_counts(request) == {"usable": True, "unread": 0}
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert notifications(request) == {}


# --- Preferences and devices --------------------------------------------------------------------


def test_the_preferences_page_offers_every_module_and_the_push_panel(client, world, django_assert_num_queries):
    guardian = english(world.users["guardian"])
    PushSubscription.objects.create(user=guardian, endpoint="https://push.example/1", p256dh="k", auth="a",
                                    label="Chrome on Android")
    client.force_login(guardian)
    client.get(reverse("notify:preferences"))  # warm, as on a running server: the reach is cached
    # session, user, the reach cache's versions (1), preferences, the messages count, devices; roles,
    # schools, module states and the header's counts come from the cache
    with django_assert_num_queries(5):
        page = client.get(reverse("notify:preferences")).content.decode()
    assert page.count("<fieldset") == 10
    assert "Parent-teacher conferences" in page and "daily digest" in page
    assert "<div data-push-panel>" in page and "<p data-push-status></p>" in page
    assert '<button type="button" class="button" data-push="subscribe">' in page
    assert '<button type="button" class="button button--secondary" data-push="unsubscribe" hidden>' in page
    assert "Chrome on Android" in page


def test_saving_preferences(client, world):
    guardian = world.users["guardian"]
    client.force_login(guardian)
    data = {f"email_{code}": "immediate" for code in ("news", "calendar", "conferences", "albums", "documents",
                                                       "signups", "absences", "messaging", "classlist", "records")}
    data.update({"email_news": "weekly", "push_news": "on", "email_calendar": "off"})
    response = client.post(reverse("notify:preferences"), data)
    assert response.status_code == 302
    saved = {p.module: (p.email, p.push) for p in Preference.objects.filter(user=guardian)}
    assert saved["news"] == ("weekly", True)
    assert saved["calendar"] == ("off", False)
    data["email_news"] = "sometimes"
    assert client.post(reverse("notify:preferences"), data).status_code == 200  # the form again, with errors
    assert Preference.objects.get(user=guardian, module="news").email == "weekly"


def test_switching_a_device_off_and_removing_it(client, world):
    guardian = world.users["guardian"]
    device = PushSubscription.objects.create(user=guardian, endpoint="https://push.example/1", p256dh="k", auth="a")
    client.force_login(guardian)
    client.post(reverse("notify:device", args=[device.pk]), {"action": "off"})
    device.refresh_from_db()
    assert not device.enabled
    client.post(reverse("notify:device", args=[device.pk]), {"action": "remove"})
    assert not PushSubscription.objects.exists()


def test_someone_elses_device_does_not_exist(client, world):
    device = PushSubscription.objects.create(
        user=world.users["other_guardian"], endpoint="https://push.example/1", p256dh="k", auth="a"
    )
    client.force_login(world.users["guardian"])
    assert client.post(reverse("notify:device", args=[device.pk]), {"action": "remove"}).status_code == 404
    assert PushSubscription.objects.exists()


# --- Quiet hours --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, status",
    [
        ("director", 200),
        ("board_admin", 200),
        ("administration", 404),
        ("teacher", 404),
        ("guardian", 404),
        ("board_admin_other_board", 404),
    ],
)
def test_quiet_hours_are_for_the_schools_director_and_board(client, world, role, status):
    client.force_login(world.users[role])
    assert client.get(reverse("notify:quiet_hours", args=[world.school.pk])).status_code == status
    assert client.post(reverse("notify:quiet_hours", args=[world.school.pk]), {}).status_code in (status, 200)


def test_a_director_sets_the_quiet_hours(client, world):
    english(world.users["director"])
    client.force_login(world.users["director"])
    page = client.get(reverse("notify:quiet_hours", args=[world.school.pk])).content.decode()
    assert 'value="19:00"' in page and 'value="07:30"' in page  # the defaults
    response = client.post(
        reverse("notify:quiet_hours", args=[world.school.pk]), {"starts_at": "20:00", "ends_at": "08:00"}
    )
    assert response.status_code == 302
    quiet = QuietHours.objects.get(school=world.school)
    assert (str(quiet.starts_at), str(quiet.ends_at), quiet.weekend) == ("20:00:00", "08:00:00", False)
    assert client.get(reverse("notify:quiet_hours", args=[999999])).status_code == 404


# --- Push endpoints for the PWA script ----------------------------------------------------------


def subscription_json(endpoint="https://fcm.googleapis.com/fcm/send/abc"):
    browser = Browser()
    return {"endpoint": endpoint, "expirationTime": None, "keys": {"p256dh": browser.p256dh, "auth": b64(browser.auth)}}


def post_json(client, name, data, **extra):
    return client.post(reverse(name), json.dumps(data), content_type="application/json", **extra)


def test_the_vapid_key_endpoint(client):
    data = client.get(reverse("notify:vapid_key")).json()
    assert len(data["publicKey"]) == 87  # 65 bytes, base64url without padding


def test_subscribing_a_device_upserts_it_by_endpoint(client, world):
    guardian = english(world.users["guardian"])
    client.force_login(guardian)
    android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile"
    data = subscription_json()
    response = post_json(client, "notify:push_subscribe", data, HTTP_USER_AGENT=android)
    assert response.status_code == 201
    assert response.json()["label"] == "Chrome on Android"
    data["keys"] = subscription_json()["keys"]  # the browser subscribed again with new keys
    assert post_json(client, "notify:push_subscribe", data).status_code == 201
    device = PushSubscription.objects.get()
    assert (device.user, device.p256dh) == (guardian, data["keys"]["p256dh"])

    client.force_login(world.users["other_guardian"])  # someone else signs in on the same browser
    post_json(client, "notify:push_subscribe", data)
    assert PushSubscription.objects.get().user == world.users["other_guardian"]

    assert post_json(client, "notify:push_unsubscribe", {"endpoint": data["endpoint"]}).status_code == 204
    assert not PushSubscription.objects.exists()
    assert post_json(client, "notify:push_unsubscribe", {"endpoint": data["endpoint"]}).status_code == 204


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"endpoint": "http://127.0.0.1:8080/push", "keys": {"p256dh": "x", "auth": "y"}},
        {"endpoint": "https://push.example/1", "keys": {"p256dh": "short", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}},
        {"endpoint": "https://push.example/1"},
    ],
)
def test_a_malformed_subscription_is_refused(client, world, data):
    client.force_login(world.users["guardian"])
    assert post_json(client, "notify:push_subscribe", data).status_code == 400
    if data and "keys" in data and data["keys"]["auth"] == "y":
        data = subscription_json("http://127.0.0.1:8080/push")
        assert post_json(client, "notify:push_subscribe", data).status_code == 400  # never to plain http


def test_push_endpoints_need_a_signed_in_user_and_the_csrf_token(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.get(reverse("accounts:login"))  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    assert post_json(client, "notify:push_subscribe", subscription_json(), HTTP_X_CSRFTOKEN=token).status_code == 401
    client.force_login(UserFactory())
    client.get(reverse("notify:preferences"))
    token = client.cookies["csrftoken"].value
    assert post_json(client, "notify:push_subscribe", subscription_json()).status_code == 403
    assert post_json(client, "notify:push_subscribe", subscription_json(), HTTP_X_CSRFTOKEN=token).status_code == 201


@pytest.mark.parametrize(
    ("endpoint", "resolves_to"),
    [
        ("https://fcm.googleapis.com/fcm/send/abc", "127.0.0.1"),
        ("https://fcm.googleapis.com/fcm/send/abc", "10.0.0.5"),
        ("https://fcm.googleapis.com/fcm/send/abc", "169.254.169.254"),
        ("https://fcm.googleapis.com/fcm/send/abc", "::1"),
        ("https://127.0.0.1:8443/push", "127.0.0.1"),
        ("https://[::1]/push", "::1"),
        ("http://fcm.googleapis.com/fcm/send/abc", "142.250.179.170"),
        ("https://intranet.school.example/push", "142.250.179.170"),
    ],
)
def test_a_parents_subscription_to_anything_but_a_push_service_is_refused(
    client, world, monkeypatch, endpoint, resolves_to
):
    monkeypatch.setattr(push, "resolver", lambda host, port: [resolves_to])
    client.force_login(english(world.users["guardian"]))
    response = post_json(client, "notify:push_subscribe", subscription_json(endpoint))
    assert response.status_code == 400
    assert response.json()["error"].startswith("Notifications can only be sent through a browser's push service")
    assert not PushSubscription.objects.exists()
