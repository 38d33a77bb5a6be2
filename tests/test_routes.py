"""One table of (role, route) → status over every route of the site (the access rule as a whole).
A new route that is not in the table fails ``test_every_route_is_in_the_table``, so each new page
gets its access decided here."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.world import build_world

ROLES = ["anonymous", "guardian", "teacher", "administration", "director", "board_admin", "board_admin_other_board"]

# Routes open to everyone: login, registration, reset links, language switch and the like.
PUBLIC = {
    "accounts:login", "accounts:register", "accounts:activate", "accounts:password_reset",
    "accounts:password_reset_done", "accounts:password_reset_confirm", "accounts:password_reset_complete",
    "accounts:confirm_email", "web:set_language", "web:offline", "web:service_worker", "web:manifest", "accounts:logout",
}
# Routes for any signed-in user, showing only their own data.
SIGNED_IN = {"web:home", "accounts:account"}
LOGIN = 302  # anonymous visitors are sent to the login page

# Routes about one school: (route, method, {role: status}); the school is the world's school A1.
SCHOOL_ROUTES = [
    ("core:modules", "get", {"director": 200, "board_admin": 200}),
    ("core:delete_closure", "post", {"director": 404, "board_admin": 404}),  # no such closure: 404 for all
    ("accounts:guardians", "get", {"administration": 200, "director": 200, "board_admin": 200}),
]


def route_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin is for superusers and has its own permission checks
            prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from route_names(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_every_route_is_in_the_table():
    known = PUBLIC | SIGNED_IN | {name for name, _method, _expected in SCHOOL_ROUTES}
    assert sorted(set(route_names()) - known) == []


@pytest.fixture
def world(db):
    return build_world()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", SCHOOL_ROUTES)
def test_school_routes(client, world, role, name, method, allowed):
    args = [world.school.pk] + ([999999] if name == "core:delete_closure" else [])
    if role != "anonymous":
        client.force_login(world.users[role])
    response = getattr(client, method)(reverse(name, args=args))
    expected = LOGIN if role == "anonymous" else allowed.get(role, 404)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(SIGNED_IN))
def test_signed_in_routes(client, world, role, name):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = client.get(reverse(name))
    assert response.status_code == (LOGIN if role == "anonymous" else 200)


@pytest.mark.parametrize("role", ROLES[1:])
def test_a_school_route_of_a_school_that_does_not_exist_is_404(client, world, role):
    client.force_login(world.users[role])
    for name, method, _allowed in SCHOOL_ROUTES:
        args = [999999] + ([1] if name == "core:delete_closure" else [])
        assert getattr(client, method)(reverse(name, args=args)).status_code == 404, name
