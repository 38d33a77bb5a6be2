"""Route table of the results app: (route, method, {role: status}) about the child in group 3 of
school A1 (tests/world.py) with a released report card that has a PDF, a method test and a
standardised test; group routes take group 3, school routes school A1. Anonymous visitors go to the
login page; roles not listed get 404."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from schoolpoort.records.results.models import MethodTest, StandardisedTest
from tests.results.conftest import add_results
from tests.world import build_world

ROLES = ["anonymous", "guardian", "teacher", "administration", "director", "board_admin", "board_admin_other_board"]
LOGIN = 302
READERS = {"guardian": 200, "teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
STAFF = {"teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
OFFICE = {"administration": 200, "director": 200, "board_admin": 200}

ROUTES = [
    ("results:report_cards", "get", READERS),
    ("results:method_tests", "get", READERS),
    ("results:standardised_tests", "get", READERS),
    ("results:report_card_file", "get", READERS),
    ("results:group_overview", "get", STAFF),
    ("results:report_card_form", "get", STAFF),
    ("results:method_test_add", "get", STAFF),
    ("results:method_test_edit", "get", STAFF),
    ("results:method_test_delete", "post", dict.fromkeys(STAFF, 302)),
    ("results:standardised_test_add", "get", STAFF),
    ("results:standardised_test_edit", "get", STAFF),
    ("results:standardised_test_delete", "post", dict.fromkeys(STAFF, 302)),
    ("results:periods", "get", OFFICE),
    ("results:period_edit", "get", OFFICE),
    ("results:import", "get", OFFICE),
]


@pytest.fixture
def objects(db):
    world = build_world()
    made = add_results(world.child)
    made["card"].file.save("rapport.pdf", ContentFile(b"%PDF-1.4 x"), save=True)
    return world, made


def args_for(name, world, made, missing=False):
    child = world.child.pk
    other = 999999 if missing else None
    if name == "results:report_card_file":
        return [other or made["card"].pk]
    if name == "results:group_overview":
        return [other or world.group3.pk]
    if name in ("results:periods", "results:import"):
        return [other or world.school.pk]
    if name == "results:period_edit":
        return [world.school.pk, other or made["released"].pk]
    if name == "results:report_card_form":
        return [child, other or made["released"].pk]
    if name.startswith("results:method_test_") and name != "results:method_test_add":
        return [child, other or MethodTest.objects.first().pk]
    if name.startswith("results:standardised_test_") and name != "results:standardised_test_add":
        return [child, other or StandardisedTest.objects.first().pk]
    return [other or child]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", ROUTES)
def test_results_routes(client, objects, role, name, method, allowed):
    world, made = objects
    if role != "anonymous":
        client.force_login(world.users[role])
    response = getattr(client, method)(reverse(name, args=args_for(name, world, made)))
    expected = LOGIN if role == "anonymous" else allowed.get(role, 404)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES[1:])
def test_a_results_route_of_something_that_does_not_exist_is_404(client, objects, role):
    world, made = objects
    client.force_login(world.users[role])
    for name, method, _allowed in ROUTES:
        if name in ("results:method_test_add", "results:standardised_test_add"):
            continue
        response = getattr(client, method)(reverse(name, args=args_for(name, world, made, missing=True)))
        assert response.status_code == 404, name
