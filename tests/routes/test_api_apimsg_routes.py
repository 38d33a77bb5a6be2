"""JSON API routes for parents' apps, part one (news reads and files, absences: better and leave,
messaging, notifications, push devices): (route, method, {role: status}) with each role's browser
session, about school A1 as in tests/routes/test_api_routes.py. Without a session or token the API
answers 401. The yes-and-no per role in detail and the token cases: tests/api/test_api_*.py."""

import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from schoolpoort.news.uploads import prepare_upload, store_upload
from tests.news.news_helpers import make_post
from tests.test_routes import ROLES
from tests.world import build_world

READERS = {"guardian": 200, "teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
ROUTES = [
    ("api:news_read", "post", READERS),
    ("api:news_attachment", "get", READERS),
]


@pytest.fixture
def world(db):
    world = build_world()
    world.post = make_post(world.users["teacher"], groups=[world.group3], title="Groep 3")
    world.pdf = store_upload(world.post, prepare_upload(ContentFile(b"%PDF-1.4\n%demo\n", name="brief.pdf")))
    return world


def route_url(name, world, missing=False):
    gone = 999999
    if name == "api:news_read":
        return reverse(name, args=[gone if missing else world.post.pk])
    if name == "api:news_attachment":
        return reverse(name, args=[world.post.pk, gone if missing else world.pdf.pk])
    return reverse(name)


def call(client, method, url, body=None):
    if method in ("post", "put", "delete"):
        return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json")
    return client.get(url)


def body_for(name, world):
    return {}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", ROUTES)
def test_api_apimsg_routes(client, world, role, name, method, allowed):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = call(client, method, route_url(name, world), body_for(name, world))
    expected = 401 if role == "anonymous" else allowed.get(role, 404)
    assert response.status_code == expected
    if response.status_code != 200 or name != "api:news_attachment":
        assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("role", ROLES[1:])
def test_an_api_route_of_something_that_does_not_exist_is_404(client, world, role):
    client.force_login(world.users[role])
    for name, method, _allowed in ROUTES:
        url = route_url(name, world, missing=True)
        if url == route_url(name, world):
            continue  # nothing to miss: a list or the caller's own settings
        assert call(client, method, url, body_for(name, world)).status_code == 404, name
