"""JSON API routes for parents' apps, part one (news reads and files, absences: better and leave,
messaging, notifications, push devices): (route, method, {role: status}) with each role's browser
session, about school A1 as in tests/routes/test_api_routes.py. Without a session or token the API
answers 401. The yes-and-no per role in detail and the token cases: tests/api/test_api_*.py."""

import datetime
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from schoolpoort.absences.actions import report_absence
from schoolpoort.messaging.models import MessageAttachment
from schoolpoort.messaging.uploads import prepare_upload as prepare_message_upload
from schoolpoort.news.uploads import prepare_upload, store_upload
from schoolpoort.notify import push
from schoolpoort.notify.models import Notification
from tests.absences.helpers import holiday_week, leave
from tests.messaging.helpers import teacher_thread
from tests.news.news_helpers import make_post
from tests.notify.notify_helpers import Browser, b64, fan_out_now, send
from tests.test_routes import ROLES
from tests.world import build_world

READERS = {"guardian": 200, "teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
LEAVE_READERS = {"guardian": 200, "administration": 200, "director": 200, "board_admin": 200}
EVERYONE = dict.fromkeys(ROLES[1:], 200)
PARTICIPANTS = {"guardian": 200, "teacher": 200}
FILES = {"api:news_attachment", "api:leave_statement", "api:message_attachment"}
ROUTES = [
    ("api:news_read", "post", READERS),
    ("api:news_attachment", "get", READERS),
    ("api:absence_better", "post", READERS),  # as the button on the absence page
    ("api:leave_requests", "get", dict.fromkeys(ROLES[1:], 200)),  # each sees their own list
    ("api:leave_request", "get", LEAVE_READERS),
    ("api:leave_statement", "get", LEAVE_READERS),
    ("api:ask_leave", "post", {"guardian": 201}),  # only a guardian of a child here
    ("api:message_threads", "get", dict.fromkeys(ROLES[1:], 200)),  # each their own conversations
    ("api:message_recipients", "get", dict.fromkeys(ROLES[1:], 200)),  # each whom they may write to
    # To the child's teacher: offered to the guardian only; to others it is not in their list (422 at recipient).
    ("api:start_thread", "post", {**dict.fromkeys(ROLES[2:], 422), "guardian": 201}),
    ("api:message_thread", "get", PARTICIPANTS),  # the leadership reads only where the school allows it
    ("api:send_message", "post", {"guardian": 201, "teacher": 201}),
    ("api:message_thread_read", "post", PARTICIPANTS),
    ("api:message_attachment", "get", PARTICIPANTS),
    ("api:notifications", "get", EVERYONE),  # each their own
    ("api:notifications_read_all", "post", EVERYONE),
    ("api:notification_read", "post", {"guardian": 200}),  # the guardian's own notification
    ("api:notification_preferences", "get", EVERYONE),
    ("api:save_notification_preferences", "put", EVERYONE),
    ("api:push_devices", "get", EVERYONE),
    ("api:register_push_device", "post", dict.fromkeys(ROLES[1:], 201)),
    ("api:unregister_push_device", "post", {"guardian": 204}),  # the guardian's own device
]


@pytest.fixture(autouse=True)
def _push_hosts_resolve_to_public_addresses(monkeypatch):
    monkeypatch.setattr(push, "resolver", lambda host, port: ["142.250.179.170"])


@pytest.fixture
def world(db):
    world = build_world()
    world.post = make_post(world.users["teacher"], groups=[world.group3], title="Groep 3")
    world.pdf = store_upload(world.post, prepare_upload(ContentFile(b"%PDF-1.4\n%demo\n", name="brief.pdf")))
    world.thread = teacher_thread(world, subject="Noor", body="Hallo",
                                  uploads=[prepare_message_upload(ContentFile(b"%PDF-1.4 brief", name="brief.pdf"))])
    world.message_pdf = MessageAttachment.objects.get(message__conversation=world.thread)
    fan_out_now(send([world.users["guardian"]], key="news.post:1", title="Bericht", url="/nieuws/1/"))
    world.notification = Notification.objects.get(recipient=world.users["guardian"])
    world.device = Browser().subscribe(world.users["guardian"], "https://fcm.googleapis.com/fcm/send/route")
    world.sick = report_absence(world.users["guardian"], world.child, reason="sick",
                                starts_on=timezone.localdate() - datetime.timedelta(days=1))
    world.leave = leave(world.users["guardian"], world.child, kind="circumstances", circumstance="wedding")
    world.leave.statement.save("verklaring.pdf", ContentFile(b"%PDF-1.4\n%demo\n"))
    return world


def route_url(name, world, missing=False):
    gone = 999999
    if name == "api:news_read":
        return reverse(name, args=[gone if missing else world.post.pk])
    if name == "api:news_attachment":
        return reverse(name, args=[world.post.pk, gone if missing else world.pdf.pk])
    if name == "api:absence_better":
        return reverse(name, args=[gone if missing else world.sick.pk])
    if name in ("api:leave_request", "api:leave_statement"):
        return reverse(name, args=[gone if missing else world.leave.pk])
    if name in ("api:message_thread", "api:send_message", "api:message_thread_read"):
        return reverse(name, args=[gone if missing else world.thread.pk])
    if name == "api:message_attachment":
        return reverse(name, args=[world.thread.pk, gone if missing else world.message_pdf.pk])
    if name == "api:notification_read":
        return reverse(name, args=[gone if missing else world.notification.pk])
    return reverse(name)


def call(client, method, url, body=None):
    if isinstance(body, tuple):  # multipart, as a form posts
        return client.post(url, body[0])
    if method in ("post", "put", "delete"):
        return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json")
    return client.get(url)


def body_for(name, world):
    if name == "api:ask_leave":
        first, last = holiday_week(world.school)
        return ({"student_id": world.child.pk, "kind": "holiday", "starts_on": first.isoformat(),
                 "ends_on": last.isoformat(), "reason": "Seizoenswerk",
                 "statement": SimpleUploadedFile("verklaring.pdf", b"%PDF-1.4\n%demo\n")},)
    if name == "api:send_message":
        return ({"body": "Dank je"},)
    if name == "api:start_thread":
        return ({"recipient": f"teacher:{world.users['teacher'].pk}:{world.child.pk}", "subject": "Vraag",
                 "body": "Hallo"},)
    if name == "api:save_notification_preferences":
        return {"items": [{"module": "news", "email": "daily", "push": True}]}
    if name == "api:register_push_device":
        browser = Browser()
        return {"endpoint": "https://fcm.googleapis.com/fcm/send/new",
                "keys": {"p256dh": browser.p256dh, "auth": b64(browser.auth)}}
    if name == "api:unregister_push_device":
        return {"endpoint": world.device.endpoint}
    return {}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", ROUTES)
def test_api_apimsg_routes(client, world, role, name, method, allowed):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = call(client, method, route_url(name, world), body_for(name, world))
    expected = 401 if role == "anonymous" else allowed.get(role, 404)
    assert response.status_code == expected
    if response.status_code != 204 and (response.status_code != 200 or name not in FILES):
        assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("role", ROLES[1:])
def test_an_api_route_of_something_that_does_not_exist_is_404(client, world, role):
    client.force_login(world.users[role])
    for name, method, _allowed in ROUTES:
        url = route_url(name, world, missing=True)
        if url == route_url(name, world):
            continue  # nothing to miss: a list or the caller's own settings
        assert call(client, method, url, body_for(name, world)).status_code == 404, name
