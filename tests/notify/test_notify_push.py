"""Web push, for real: an HTTP server on loopback plays the push service, checks the VAPID
signature and decrypts the payload with the browser's key, as a browser vendor's service and the
browser would."""

import base64
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from py_vapid import Vapid02

from schoolpoort.notify import push
from schoolpoort.notify.models import Delivery, PushSubscription
from schoolpoort.notify.tasks import deliver_push
from tests.notify.notify_helpers import Browser, fan_out_now, send


class PushService:
    """Answers every POST with ``status`` and keeps what it received."""

    running: set[str] = set()  # the origins of the stand-ins that are up

    def __init__(self):
        self.status = 201
        self.received = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                service.received.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(service.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        PushService.running.add(self.origin)

    def stop(self):
        PushService.running.discard(self.origin)
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def push_service(monkeypatch):
    """The loopback service stands in for a browser vendor's: the endpoint check lets the origins
    of the running stand-ins (and only those) through; every other endpoint is checked as in production."""
    service = PushService()
    check = push.check_endpoint

    def check_endpoint(endpoint, resolve=None):
        if not any(endpoint.startswith(origin + "/") for origin in PushService.running):
            check(endpoint, resolve)

    monkeypatch.setattr(push, "check_endpoint", check_endpoint)
    yield service
    service.stop()


def jwt_claims(authorization: str) -> dict:
    token = authorization.split("t=", 1)[1].split(",", 1)[0]
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def pending_push_ids():
    return list(Delivery.objects.filter(channel="push", status="pending").values_list("pk", flat=True))


def test_a_real_push_round_trip(world, push_service, never_quiet):
    guardian = world.users["guardian"]
    browser = Browser()
    subscription = browser.subscribe(guardian, push_service.origin + "/push/device-1")
    fan_out_now(send([guardian], title="Schoolreisje naar Artis", school=world.school, key="news.post:7"))

    stats = deliver_push.call(pending_push_ids())

    assert stats["sent"] == 1
    ((path, headers, body),) = push_service.received
    assert path == "/push/device-1"
    authorization = headers["authorization"]
    assert authorization.startswith("vapid ")
    assert Vapid02.verify(authorization)  # signed with the key whose public half it names ...
    assert authorization.split("k=", 1)[1] == push.public_key()  # ... which is ours
    claims = jwt_claims(authorization)
    assert claims["aud"] == push_service.origin
    assert claims["sub"] == "mailto:noreply@schoolpoort.example"
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["ttl"] == str(push.TTL)
    plain = http_ece.decrypt(body, private_key=browser.private_key, auth_secret=browser.auth, version="aes128gcm")
    assert json.loads(plain) == {
        "title": "Schoolreisje naar Artis",
        "body": "School A1",
        "url": "/nieuws/1/",
        "tag": "news.post:7",
    }
    subscription.refresh_from_db()
    assert subscription.last_success_at is not None
    assert Delivery.objects.get(channel="push").status == "sent"


def test_an_urgent_push_says_so_in_the_recipients_language(world, push_service):
    guardian = world.users["guardian"]
    guardian.language = "en"
    guardian.save()
    browser = Browser()
    browser.subscribe(guardian, push_service.origin + "/push/device-1")
    fan_out_now(send([guardian], title="School closed today", school=world.school, urgent=True))

    deliver_push.call(pending_push_ids())

    ((_path, headers, body),) = push_service.received
    assert headers["urgency"] == "high"
    plain = http_ece.decrypt(body, private_key=browser.private_key, auth_secret=browser.auth, version="aes128gcm")
    assert json.loads(plain)["body"] == "Urgent message · School A1"


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_no_longer_knows_is_removed(world, push_service, never_quiet, status):
    guardian = world.users["guardian"]
    gone = Browser().subscribe(guardian, push_service.origin + "/push/gone")
    kept = Browser().subscribe(guardian, "https://push.example/kept")
    fan_out_now(send([guardian], school=world.school, key="news.post:1"))
    fan_out_now(send([guardian], school=world.school, key="news.post:2"))
    first = list(Delivery.objects.filter(subscription=gone, broadcast__key="news.post:1").values_list("pk", flat=True))
    push_service.status = status

    stats = deliver_push.call(first)

    assert stats["cancelled"] == 1
    assert list(PushSubscription.objects.all()) == [kept]
    orphans = Delivery.objects.filter(channel="push", subscription__isnull=True)
    assert set(orphans.values_list("status", flat=True)) == {"cancelled"}
    assert Delivery.objects.filter(subscription=kept, status="pending").count() == 2


def test_a_push_service_error_is_retried(world, push_service, never_quiet):
    Browser().subscribe(world.users["guardian"], push_service.origin + "/push/busy")
    fan_out_now(send([world.users["guardian"]], school=world.school))
    push_service.status = 503
    assert deliver_push.call(pending_push_ids())["retry"] == 1
    assert Delivery.objects.get(channel="push").attempts == 1


def test_the_server_key_is_made_once_and_kept_in_var(settings):
    assert not push.key_path().exists()
    first = push.public_key()
    assert push.key_path().exists()
    assert oct(os.stat(push.key_path()).st_mode & 0o777) == "0o600"
    push._keys.clear()  # a restart
    assert push.public_key() == first
    assert len(base64.urlsafe_b64decode(first + "=")) == 65


def test_the_server_key_can_come_from_the_environment(monkeypatch):
    key = Vapid02()
    key.generate_keys()
    monkeypatch.setenv("VAPID_PRIVATE_KEY", key.private_pem().decode())
    expected = base64.urlsafe_b64encode(
        key.public_key.public_bytes(push.serialization.Encoding.X962, push.serialization.PublicFormat.UncompressedPoint)
    ).rstrip(b"=")
    assert push.public_key() == expected.decode()
    assert not push.key_path().exists()


def test_a_push_held_for_quiet_hours_goes_out_in_the_morning(world, push_service, clock):
    guardian = world.users["guardian"]
    Browser().subscribe(guardian, push_service.origin + "/push/device-1")
    clock.set(2026, 11, 24, 20, 15)  # Tuesday evening
    fan_out_now(send([guardian], school=world.school))
    (held,) = Delivery.objects.filter(channel="push")

    assert deliver_push.call([held.pk])["claimed"] == 0
    assert not push_service.received
    clock.set(2026, 11, 25, 7, 30)
    assert deliver_push.call([held.pk])["sent"] == 1
    assert len(push_service.received) == 1


def test_a_device_switched_off_after_the_fan_out_gets_nothing(world, push_service, never_quiet):
    device = Browser().subscribe(world.users["guardian"], push_service.origin + "/push/device-1")
    fan_out_now(send([world.users["guardian"]], school=world.school))
    PushSubscription.objects.filter(pk=device.pk).update(enabled=False)
    assert deliver_push.call(pending_push_ids())["cancelled"] == 1
    assert not push_service.received


def test_the_vapid_header_is_signed_once_per_push_service_and_reused(world, push_service, never_quiet, monkeypatch):
    """Signing costs an ES256 signature per message; RFC 8292 lets one JWT serve a push service
    for up to a day, so a batch (and the next one) reuses it, and another push service gets its own."""
    other = PushService()
    try:
        guardian = world.users["guardian"]
        for device in ("a", "b", "c"):
            Browser().subscribe(guardian, f"{push_service.origin}/push/{device}")
        Browser().subscribe(guardian, f"{other.origin}/push/d")
        signed = []
        real_sign = Vapid02.sign

        def counting_sign(self, claims):
            signed.append(dict(claims))
            return real_sign(self, claims)

        monkeypatch.setattr(Vapid02, "sign", counting_sign)
        fan_out_now(send([guardian], school=world.school, key="news.post:1"))
        fan_out_now(send([guardian], school=world.school, key="news.post:2"))
        first = list(Delivery.objects.filter(broadcast__key="news.post:1").values_list("pk", flat=True))
        second = list(Delivery.objects.filter(broadcast__key="news.post:2").values_list("pk", flat=True))

        assert deliver_push.call(first)["sent"] == 4
        assert deliver_push.call(second)["sent"] == 4

        assert sorted(claims["aud"] for claims in signed) == sorted([push_service.origin, other.origin])
        headers = [h["authorization"] for _path, h, _body in push_service.received]
        assert len(headers) == 6 and len(set(headers)) == 1
        assert Vapid02.verify(headers[0])
        assert jwt_claims(headers[0])["aud"] == push_service.origin
        assert jwt_claims(other.received[0][1]["authorization"])["aud"] == other.origin
    finally:
        other.stop()


def test_the_vapid_header_is_signed_again_before_it_expires(world, monkeypatch):
    key, origin = push.vapid(), "https://push.example"
    now = [1_000_000.0]
    monkeypatch.setattr(push.time, "time", lambda: now[0])
    first = push.vapid_headers(key, "mailto:a@example.org", origin)
    assert jwt_claims(first["Authorization"])["exp"] == 1_000_000 + push.VAPID_LIFETIME
    now[0] += push.VAPID_LIFETIME - push.VAPID_RENEW_BEFORE - 1
    assert push.vapid_headers(key, "mailto:a@example.org", origin) is first
    now[0] += 2  # less than VAPID_RENEW_BEFORE left
    renewed = push.vapid_headers(key, "mailto:a@example.org", origin)
    assert renewed != first
    assert jwt_claims(renewed["Authorization"])["exp"] > jwt_claims(first["Authorization"])["exp"]


def test_a_new_server_key_gets_a_new_header(world):
    old = push.vapid_headers(push.vapid(), "mailto:a@example.org", "https://push.example")
    other = Vapid02()
    other.generate_keys()
    new = push.vapid_headers(other, "mailto:a@example.org", "https://push.example")
    assert new != old and new["Authorization"].split("k=", 1)[1] == push.public_key_of(other)


def test_one_keep_alive_session_per_push_service_across_batches(world, push_service, never_quiet, monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setattr(push, "_sessions", threading.local())
    guardian = world.users["guardian"]
    Browser().subscribe(guardian, push_service.origin + "/push/a")
    fan_out_now(send([guardian], school=world.school, key="news.post:1"))
    deliver_push.call(pending_push_ids())
    session = push.session_for(push_service.origin)
    fan_out_now(send([guardian], school=world.school, key="news.post:2"))
    deliver_push.call(pending_push_ids())

    assert len(push_service.received) == 2
    assert push.session_for(push_service.origin) is session
    assert push.session_for("https://push.example") is not session
    # The environment's proxy is read once, when the session is made, and still applies.
    assert push.session_for("https://push.example").proxies["https"] == "http://proxy.example:3128"
    assert session.trust_env is False


def test_a_subscription_whose_host_now_resolves_to_a_private_address_is_skipped_and_removed(
    world, never_quiet, monkeypatch
):
    """DNS rebinding: public when the browser subscribed, loopback when the worker sends."""
    guardian = world.users["guardian"]
    device = Browser().subscribe(guardian, "https://fcm.googleapis.com/fcm/send/rebound")
    fan_out_now(send([guardian], school=world.school))
    asked = []

    def rebound(host, port):
        asked.append(host)
        return ["127.0.0.1"]

    monkeypatch.setattr(push, "resolver", rebound)

    stats = deliver_push.call(pending_push_ids())

    assert stats["cancelled"] == 1 and stats["sent"] == 0
    assert asked == ["fcm.googleapis.com"]  # looked up at send time
    assert not PushSubscription.objects.filter(pk=device.pk).exists()


def test_a_stored_endpoint_that_is_no_push_service_is_never_called(world, push_service, never_quiet):
    """A subscription stored before the check (or by other means) to an internal address."""
    guardian = world.users["guardian"]
    Browser().subscribe(guardian, "https://10.0.0.7/push/internal")
    fan_out_now(send([guardian], school=world.school))

    stats = deliver_push.call(pending_push_ids())

    assert stats["cancelled"] == 1
    assert not PushSubscription.objects.exists()
    assert not push_service.received


def test_a_push_service_that_cannot_be_looked_up_is_tried_again_later(world, never_quiet, monkeypatch):
    guardian = world.users["guardian"]
    device = Browser().subscribe(guardian, "https://fcm.googleapis.com/fcm/send/offline")
    fan_out_now(send([guardian], school=world.school))
    monkeypatch.setattr(push, "resolver", lambda host, port: [])

    stats = deliver_push.call(pending_push_ids())

    assert stats["sent"] == 0 and stats["cancelled"] == 0
    assert PushSubscription.objects.filter(pk=device.pk).exists()
    assert Delivery.objects.get(channel="push").status == "pending"


def test_a_batch_looks_each_push_service_up_once(world, never_quiet, monkeypatch):
    """Thousands of devices share a few hosts: one lookup per host and batch before sending."""
    guardian = world.users["guardian"]
    for n in range(3):
        Browser().subscribe(guardian, f"https://fcm.googleapis.com/fcm/send/{n}")
    fan_out_now(send([guardian], school=world.school))
    asked = []

    def private(host, port):
        asked.append(host)
        return ["10.0.0.1"]

    monkeypatch.setattr(push, "resolver", private)

    stats = deliver_push.call(pending_push_ids())

    assert stats["cancelled"] == 3
    assert asked == ["fcm.googleapis.com"]
