"""JSON API routes for the school's systems (api/endpoints: bookings, signups, registrations,
imports; the webhooks on the token page): (route, method, {role: status}) with each role's
browser session, about school A1. Without a session or a token the API answers 401, the token
pages send to the login page. The same endpoints with tokens: tests/api/test_api_systems.py."""

import pytest
from django.urls import reverse

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
]


@pytest.fixture
def world(db):
    world = build_world()
    world.form = make_form(world)
    return world


def route_url(name, world, missing=False):
    school = 999999 if missing else world.school.pk
    if name == "api:signup_answers":
        return reverse(name, args=[world.school.pk, 999999 if missing else world.form.pk])
    return reverse(name, args=[school])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", ROUTES)
def test_api_apisys_routes(client, world, role, name, method, allowed):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = getattr(client, method)(route_url(name, world))
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
    assert getattr(client, method)(route_url(name, world, missing=True)).status_code == 404
