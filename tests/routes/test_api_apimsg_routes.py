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
from schoolpoort.news.uploads import prepare_upload, store_upload
from tests.absences.helpers import holiday_week, leave
from tests.news.news_helpers import make_post
from tests.test_routes import ROLES
from tests.world import build_world

READERS = {"guardian": 200, "teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
LEAVE_READERS = {"guardian": 200, "administration": 200, "director": 200, "board_admin": 200}
FILES = {"api:news_attachment", "api:leave_statement"}
ROUTES = [
    ("api:news_read", "post", READERS),
    ("api:news_attachment", "get", READERS),
    ("api:absence_better", "post", READERS),  # as the button on the absence page
    ("api:leave_requests", "get", dict.fromkeys(ROLES[1:], 200)),  # each sees their own list
    ("api:leave_request", "get", LEAVE_READERS),
    ("api:leave_statement", "get", LEAVE_READERS),
    ("api:ask_leave", "post", {"guardian": 201}),  # only a guardian of a child here
]


@pytest.fixture
def world(db):
    world = build_world()
    world.post = make_post(world.users["teacher"], groups=[world.group3], title="Groep 3")
    world.pdf = store_upload(world.post, prepare_upload(ContentFile(b"%PDF-1.4\n%demo\n", name="brief.pdf")))
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
    return {}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", ROUTES)
def test_api_apimsg_routes(client, world, role, name, method, allowed):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = call(client, method, route_url(name, world), body_for(name, world))
    expected = 401 if role == "anonymous" else allowed.get(role, 404)
    assert response.status_code == expected
    if response.status_code != 200 or name not in FILES:
        assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("role", ROLES[1:])
def test_an_api_route_of_something_that_does_not_exist_is_404(client, world, role):
    client.force_login(world.users[role])
    for name, method, _allowed in ROUTES:
        url = route_url(name, world, missing=True)
        if url == route_url(name, world):
            continue  # nothing to miss: a list or the caller's own settings
        assert call(client, method, url, body_for(name, world)).status_code == 404, name
