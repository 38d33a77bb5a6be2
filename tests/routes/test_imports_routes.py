"""Route table of the import pages: only the administration, the director and the board admin of
the school; everyone else (other schools' staff, parents, teachers) gets 404."""

import pytest
from django.urls import reverse

from schoolpoort.imports.run import preview
from tests.world import build_world

ROLES = ["anonymous", "guardian", "teacher", "administration", "director", "board_admin", "board_admin_other_board"]
OFFICE = {"administration": 200, "director": 200, "board_admin": 200}
ROUTES = [
    ("imports:index", "get", OFFICE),
    ("imports:run", "get", OFFICE),
    ("imports:file", "get", OFFICE),
]
LOGIN = 302

CSV = b"leerlingnummer;relatie;e-mailadres\n1;moeder;a@example.org\n"


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def run(world):
    return preview(school=world.school, user=world.users["administration"], filename="ouders.csv", data=CSV)[0]


def url(name, world, run, school_id=None, run_id=None):
    school_id = school_id or world.school.pk
    if name == "imports:index":
        return reverse(name, args=[school_id])
    return reverse(name, args=[school_id, run_id or run.pk])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", ROUTES)
def test_import_routes(client, world, run, role, name, method, allowed):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = getattr(client, method)(url(name, world, run))
    assert response.status_code == (LOGIN if role == "anonymous" else allowed.get(role, 404))


@pytest.mark.parametrize("role", ROLES[1:])
def test_an_import_of_another_school_or_that_does_not_exist_is_404(client, world, run, role):
    client.force_login(world.users[role])
    for name, method, _allowed in ROUTES:
        assert getattr(client, method)(url(name, world, run, school_id=999999)).status_code == 404, name
        if name != "imports:index":
            assert getattr(client, method)(url(name, world, run, run_id=999999)).status_code == 404, name
            # The run of school A1 under the address of school A2 (which the board admin also has).
            assert getattr(client, method)(url(name, world, run, school_id=world.sister_school.pk)).status_code == 404
