"""Onboarding routes: (route, method, {role: status}) about school A1, its group 3, a letter batch
of the school made by the worker, and a guardian slot of the child in group 3. The help page is
public (anonymous 200). Everything else is for administration, director and board admin only."""

import pytest
from django.urls import reverse

from schoolpoort.core.models import Guardianship
from schoolpoort.onboarding.letters import request_letters
from tests.test_routes import LOGIN, ROLES
from tests.world import build_world

OFFICE = {"administration": 200, "director": 200, "board_admin": 200}
ROUTES = [
    ("onboarding:help", "get", dict.fromkeys(ROLES, 200)),
    ("onboarding:school", "get", OFFICE),
    ("onboarding:letters", "post", dict.fromkeys(OFFICE, 400)),  # an empty form: 400 with the errors
    ("onboarding:mail", "post", dict.fromkeys(OFFICE, 302)),
    ("onboarding:download", "get", OFFICE),
    ("onboarding:group", "get", OFFICE),
    ("onboarding:change_email", "get", OFFICE),
]


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    from tests.onboarding.helpers import run_worker

    world = build_world()
    slot = Guardianship.objects.filter(student=world.child).first()
    Guardianship.objects.create(student=world.child, first_name="Kees")  # needs a letter
    with django_capture_on_commit_callbacks(execute=True):
        batch = request_letters(world.school, world.group3, world.users["administration"])
    run_worker()
    world.batch, world.slot = batch, slot
    return world


def route_url(name, world, missing=False):
    if name == "onboarding:help":
        return reverse(name)
    target = {
        "onboarding:download": world.batch,
        "onboarding:group": world.group3,
        "onboarding:change_email": world.slot,
    }.get(name, world.school)
    return reverse(name, args=[999999 if missing else target.pk])


def request(client, name, method, url):
    return getattr(client, method)(url, {"kind": "invite"} if name == "onboarding:mail" else {})


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", ROUTES)
def test_onboarding_routes(client, world, role, name, method, allowed):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = request(client, name, method, route_url(name, world))
    expected = allowed.get(role, LOGIN if role == "anonymous" else 404)
    assert response.status_code == expected


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES[1:])
def test_an_onboarding_route_of_something_that_does_not_exist_is_404(client, world, role):
    client.force_login(world.users[role])
    for name, method, _allowed in ROUTES:
        if name != "onboarding:help":
            assert request(client, name, method, route_url(name, world, missing=True)).status_code == 404, name
