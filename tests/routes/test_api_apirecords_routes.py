"""JSON API routes of a child's records parts (api/endpoints/records.py: card, family, medical,
invoices, plans, notes, correction requests): (route, method, {role: status}) with each role's
browser session, about the child in group 3 of school A1 with one of everything on record. Without
a session or a token the API answers 401. Yes-and-no per role in detail, the token cases and the
closed parts: tests/api/test_api_records_parts.py."""

import json

import pytest
from django.urls import reverse

from tests.records.helpers import fill_records
from tests.test_routes import ROLES
from tests.world import build_world

SCHOOL_A1 = {"guardian": 200, "teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
ROUTES = [
    ("api:record_card", "get", SCHOOL_A1),
    ("api:record_family", "get", SCHOOL_A1),
    ("api:record_medical", "get", SCHOOL_A1),
    ("api:record_invoices", "get", SCHOOL_A1),
    ("api:record_plans", "get", SCHOOL_A1),
    ("api:record_notes", "get", SCHOOL_A1),
    ("api:record_corrections", "get", SCHOOL_A1),
    ("api:record_correction_create", "post", {"guardian": 201}),  # staff change the record itself
]
MISSING = 999999


@pytest.fixture
def world(db):
    world = build_world()
    fill_records(world)
    return world


def route_url(name, world, missing=False):
    student = MISSING if missing else world.child.pk
    if name == "api:record_correction_create":
        return reverse(name, args=[student, "card"])
    return reverse(name, args=[student])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", ROUTES)
def test_api_records_routes(client, world, role, name, method, allowed):
    if role != "anonymous":
        client.force_login(world.users[role])
    url = route_url(name, world)
    if method == "post":
        response = client.post(url, json.dumps({"city": "Amersfoort"}), content_type="application/json")
    else:
        response = client.get(url)
    expected = 401 if role == "anonymous" else allowed.get(role, 404)
    assert response.status_code == expected
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("role", ROLES[1:])
def test_an_api_records_route_of_a_child_that_does_not_exist_is_404(client, world, role):
    client.force_login(world.users[role])
    for name, method, _allowed in ROUTES:
        url = route_url(name, world, missing=True)
        response = client.post(url, "{}", content_type="application/json") if method == "post" else client.get(url)
        assert response.status_code == 404, name
