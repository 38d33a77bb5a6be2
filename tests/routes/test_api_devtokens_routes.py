"""Device token routes (api/device_tokens.py, accounts/phone_link_views.py): "Log out this device"
on Mijn account, about the guardian's device token: only its own account may revoke it (302), any
other account gets 404, an anonymous visitor the login page. The phone's ``want_token`` variant of
``accounts:phone_link_wait`` (its own session, no account yet): tests/api/test_api_device_tokens.py."""

import pytest
from django.urls import reverse

from schoolpoort.api.device_tokens import issue
from tests.test_routes import LOGIN, ROLES
from tests.world import build_world

ROUTES = [
    ("accounts:device_end", "post", {"guardian": 302}),
]


@pytest.fixture
def world(db):
    world = build_world()
    world.device = issue(world.users["guardian"], "Mozilla/5.0 (iPhone)", verified=True).token
    return world


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", ROUTES)
def test_devtokens_routes(client, world, role, name, method, allowed):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = getattr(client, method)(reverse(name, args=[world.device.pk]))
    assert response.status_code == (LOGIN if role == "anonymous" else allowed.get(role, 404))


@pytest.mark.parametrize("role", ROLES[1:])
def test_a_device_that_does_not_exist_is_404(client, world, role):
    client.force_login(world.users[role])
    assert client.post(reverse("accounts:device_end", args=[999999])).status_code == 404
