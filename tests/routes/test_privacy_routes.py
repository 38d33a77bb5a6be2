"""Privacy routes: (route, method, {role: status}) about school A1 and an erasure request of the
family of its child in group 3. The privacy statements are public; the register and erasures are
for the director and the board admin only (404 for everyone else)."""

import pytest
from django.urls import reverse

from schoolpoort.privacy.erasure import request_erasure
from tests.test_routes import LOGIN, ROLES
from tests.world import build_world

ADMINS = {"director": 200, "board_admin": 200}
ROUTES = [
    # A visitor sees every school; a user who reaches one school goes straight to its statement.
    ("privacy:statements", "get", {**dict.fromkeys(ROLES, 302), "anonymous": 200, "board_admin": 200}),
    ("privacy:statement", "get", dict.fromkeys(ROLES, 200)),
    ("privacy:register", "get", ADMINS),
    ("privacy:request_erasure", "post", dict.fromkeys(ADMINS, 302)),  # an empty form: back with a message
    ("privacy:erasure", "get", ADMINS),
]


@pytest.fixture
def world(db):
    world = build_world()
    world.erasure = request_erasure(world.child, world.users["director"])
    return world


def route_url(name, world, missing=False):
    if name == "privacy:statements":
        return reverse(name)
    if name == "privacy:statement":
        return reverse(name, args=["00XX" if missing else world.school.brin])
    school = 999999 if missing else world.school.pk
    if name == "privacy:erasure":
        return reverse(name, args=[world.school.pk, 999999 if missing else world.erasure.pk])
    return reverse(name, args=[school])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", ROUTES)
def test_privacy_routes(client, world, role, name, method, allowed):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = getattr(client, method)(route_url(name, world))
    expected = allowed.get(role, LOGIN if role == "anonymous" else 404)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES[1:])
def test_a_privacy_route_of_something_that_does_not_exist_is_404(client, world, role):
    client.force_login(world.users[role])
    for name, method, _allowed in ROUTES:
        if name != "privacy:statements":
            response = getattr(client, method)(route_url(name, world, missing=True))
            assert response.status_code == 404, name
