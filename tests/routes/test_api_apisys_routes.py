"""JSON API routes for the school's systems (api/endpoints: bookings, signups, registrations,
imports; the webhooks on the token page): (route, method, {role: status}) with each role's
browser session, about school A1. Without a session or a token the API answers 401, the token
pages send to the login page. The same endpoints with tokens: tests/api/test_api_systems.py."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schoolpoort.api.webhooks import create_webhook
from schoolpoort.core.scopes import school_scope
from schoolpoort.imports.run import preview
from tests.imports.samples import edexml
from tests.signups.helpers import make_form
from tests.test_routes import LOGIN, ROLES
from tests.world import build_world

REACHING = {"guardian": 200, "teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
MANAGERS = {"teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
ADMINISTRATION = {"administration": 200, "director": 200, "board_admin": 200}
ROUTES = [
    ("api:school_bookings", "get", REACHING),  # each sees their own share (a guardian: the family's)
    ("api:school_signup_forms", "get", REACHING),
    ("api:signup_answers", "get", MANAGERS),  # the form's teacher, and the school's administration
    ("api:school_registrations", "get", ADMINISTRATION),
    ("api:school_imports", "post", dict.fromkeys(ADMINISTRATION, 201)),  # the page's rule
    ("api:school_import", "get", ADMINISTRATION),
    ("api:confirm_import", "post", ADMINISTRATION),
    ("apitokens:add_webhook", "post", {"director": 302, "board_admin": 302}),  # as the token page
    ("apitokens:delete_webhook", "post", {"director": 302, "board_admin": 302}),
]


@pytest.fixture
def world(db, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True  # the address below is not looked up
    world = build_world()
    world.form = make_form(world)
    with school_scope([world.school.pk]):
        world.webhook = create_webhook(world.users["director"], world.school, url="https://sis.example.org/hook",
                                       events=["booking.made"]).webhook
    with school_scope([world.school.pk]):
        world.run, _result = preview(school=world.school, user=world.users["administration"], filename="EDEX.XML",
                                     data=edexml())
    return world


def route_url(name, world, missing=False):
    school = 999999 if missing else world.school.pk
    if name == "api:signup_answers":
        return reverse(name, args=[world.school.pk, 999999 if missing else world.form.pk])
    if name == "apitokens:delete_webhook":
        return reverse(name, args=[world.school.pk, 999999 if missing else world.webhook.pk])
    if name in ("api:school_import", "api:confirm_import"):
        return reverse(name, args=[world.school.pk, 999999 if missing else world.run.pk])
    return reverse(name, args=[school])


def call(client, method, name, url, world):
    if name == "api:school_imports":
        return client.post(url, {"files": [SimpleUploadedFile("EDEX.XML", edexml())]})
    if name == "api:confirm_import":
        digest = world.run.upload.digest_for(world.run.digest)
        return client.post(url, json.dumps({"confirm_digest": digest}), content_type="application/json")
    if name == "apitokens:add_webhook":
        return client.post(url, {"url": "https://sis.example.org/other", "events": ["import.finished"]})
    return getattr(client, method)(url)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", ROUTES)
def test_api_apisys_routes(client, world, role, name, method, allowed):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = call(client, method, name, route_url(name, world), world)
    if role == "anonymous":
        expected = 401 if name.startswith("api:") else LOGIN
    else:
        expected = allowed.get(role, 404)
    assert response.status_code == expected
    if name.startswith("api:") and response.status_code != 302:
        assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("role", ROLES[1:])
@pytest.mark.parametrize("name, method, _allowed", ROUTES)
def test_an_apisys_route_of_something_that_does_not_exist_is_404(client, world, role, name, method, _allowed):
    client.force_login(world.users[role])
    assert call(client, method, name, route_url(name, world, missing=True), world).status_code == 404
