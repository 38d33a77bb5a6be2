"""Notifications and push devices for parents' apps: the caller's own list (another's notification is
404), mark one or all read as the list page does, preferences through the page's form (a bad choice
is 422 at its field), and a web-push subscription registered and unregistered through the same
functions as the PWA's script (only a real push service). No token reaches any of it."""

import json

import pytest

from schoolpoort.core.modules import MODULES
from schoolpoort.notify import push
from schoolpoort.notify.models import Notification, Preference, PushSubscription
from tests.api.api_helpers import bearer, token_for
from tests.notify.notify_helpers import Browser, b64, fan_out_now, send
from tests.world import build_world

MODULE = "news"


@pytest.fixture(autouse=True)
def _push_hosts_resolve_to_public_addresses(monkeypatch):
    monkeypatch.setattr(push, "resolver", lambda host, port: ["142.250.179.170"])


@pytest.fixture
def world(db):
    return build_world()


def tell(user, n: int):
    fan_out_now(send([user], key=f"news.post:{n}", title=f"Bericht {n}", url=f"/nieuws/{n}/"))


def call(client, method, path, data=None, **extra):
    return getattr(client, method)(path, json.dumps(data or {}), content_type="application/json", **extra)


def test_the_list_is_the_callers_own_and_marking_read_works_as_the_page(client, world):
    guardian = world.users["guardian"]
    for n in range(3):
        tell(guardian, n)
    tell(world.users["other_guardian"], 9)
    client.force_login(guardian)
    listed = client.get("/api/v1/notifications").json()
    assert [item["title"] for item in listed["items"]] == ["Bericht 2", "Bericht 1", "Bericht 0"]
    assert listed["unread"] == 3 and listed["items"][0]["url"].endswith("/nieuws/2/")
    first = listed["items"][0]["id"]
    assert call(client, "post", f"/api/v1/notifications/{first}/read").json() == {"unread": 2}
    assert Notification.objects.get(pk=first).read_at is not None
    unread = client.get("/api/v1/notifications", {"unread_only": "true"}).json()["items"]
    assert [item["title"] for item in unread] == ["Bericht 1", "Bericht 0"]
    theirs = Notification.objects.get(recipient=world.users["other_guardian"]).pk
    assert call(client, "post", f"/api/v1/notifications/{theirs}/read").status_code == 404
    assert Notification.objects.get(pk=theirs).read_at is None
    assert call(client, "post", "/api/v1/notifications/read").json() == {"unread": 0}
    assert Notification.objects.filter(recipient=world.users["other_guardian"], read_at__isnull=True).count() == 1


@pytest.mark.parametrize("count", [2, 10])
def test_the_list_pages_with_a_cursor_in_a_fixed_number_of_queries(client, world, count,
                                                                     django_assert_max_num_queries):
    guardian = world.users["guardian"]
    for n in range(count):
        tell(guardian, n)
    client.force_login(guardian)
    with django_assert_max_num_queries(8):
        everything = client.get("/api/v1/notifications", {"limit": 100}).json()
    assert len(everything["items"]) == count
    seen, cursor = [], None
    while True:
        page = client.get("/api/v1/notifications", {"limit": 3, **({"cursor": cursor} if cursor else {})}).json()
        seen += [item["id"] for item in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert seen == [item["id"] for item in everything["items"]]


def test_preferences_go_through_the_pages_form(client, world):
    guardian = world.users["guardian"]
    client.force_login(guardian)
    shown = client.get("/api/v1/notifications/preferences").json()
    assert {item["module"] for item in shown["items"]} == set(MODULES)
    assert "weekly" in shown["email_choices"]
    saved = call(client, "put", "/api/v1/notifications/preferences",
                 {"items": [{"module": MODULE, "email": "weekly", "push": False}]})
    assert saved.status_code == 200
    row = Preference.objects.get(user=guardian, module=MODULE)
    assert (row.email, row.push) == ("weekly", False)
    mine = next(item for item in saved.json()["items"] if item["module"] == MODULE)
    assert (mine["email"], mine["push"]) == ("weekly", False)
    bad = call(client, "put", "/api/v1/notifications/preferences",
               {"items": [{"module": MODULE, "email": "hourly", "push": True}]})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", f"email_{MODULE}"]
    unknown = call(client, "put", "/api/v1/notifications/preferences",
                   {"items": [{"module": "nope", "email": "off", "push": True}]})
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"] == ["body", "items", 0, "module"]
    assert Preference.objects.get(user=guardian, module=MODULE).email == "weekly"


def test_a_push_device_is_registered_and_unregistered_as_by_the_pwa(client, world):
    guardian = world.users["guardian"]
    client.force_login(guardian)
    browser = Browser()
    data = {"endpoint": "https://fcm.googleapis.com/fcm/send/api", "keys": {"p256dh": browser.p256dh,
                                                                          "auth": b64(browser.auth)}}
    android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile"
    made = call(client, "post", "/api/v1/push/devices", data, HTTP_USER_AGENT=android)
    assert made.status_code == 201 and made.json()["label"].startswith("Chrome") and "Android" in made.json()["label"]
    assert PushSubscription.objects.get().user == guardian
    assert [d["id"] for d in client.get("/api/v1/push/devices").json()["items"]] == [made.json()["id"]]
    client.force_login(world.users["guardian_other_group"])
    assert client.get("/api/v1/push/devices").json()["items"] == []
    assert call(client, "post", "/api/v1/push/devices/unregister", {"endpoint": data["endpoint"]}).status_code == 404
    client.force_login(guardian)
    assert call(client, "post", "/api/v1/push/devices/unregister", {"endpoint": data["endpoint"]}).status_code == 204
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize("endpoint, keys, loc", [
    ("http://127.0.0.1:8080/push", None, ["body", "endpoint"]),  # never to plain http, nor into the network
    ("https://fcm.googleapis.com/fcm/send/x", {"p256dh": "short", "auth": "AAAAAAAAAAAAAAAAAAAAAA"},
     ["body", "keys", "p256dh"]),
])
def test_a_subscription_the_pwa_would_refuse_is_422_with_why(client, world, endpoint, keys, loc):
    browser = Browser()
    client.force_login(world.users["guardian"])
    data = {"endpoint": endpoint, "keys": keys or {"p256dh": browser.p256dh, "auth": b64(browser.auth)}}
    response = call(client, "post", "/api/v1/push/devices", data)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == loc
    assert not PushSubscription.objects.exists()


def test_no_token_reaches_notifications_or_devices(client, world):
    token = bearer(token_for(world.users["director"], world.school).secret)
    tell(world.users["director"], 1)
    assert client.get("/api/v1/notifications", **token).status_code == 403
    assert call(client, "post", "/api/v1/notifications/read", **token).status_code == 403
    assert client.get("/api/v1/notifications/preferences", **token).status_code == 403
    assert call(client, "put", "/api/v1/notifications/preferences", {"items": []}, **token).status_code == 403
    assert client.get("/api/v1/push/devices", **token).status_code == 403
    gone = call(client, "post", "/api/v1/push/devices/unregister", {"endpoint": "https://x"}, **token)
    assert gone.status_code == 403
