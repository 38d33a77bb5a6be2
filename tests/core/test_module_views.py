import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schoolpoort.core.models import AuditEntry, ModuleClosure, ModuleSwitch
from tests.world import build_world


@pytest.fixture
def world(db):
    return build_world()


def modules_url(school):
    return reverse("core:modules", args=[school.pk])


@pytest.mark.parametrize(
    "role, status",
    [
        ("director", 200),
        ("board_admin", 200),
        ("administration", 404),
        ("teacher", 404),
        ("guardian", 404),
        ("board_admin_other_board", 404),
    ],
)
def test_only_the_director_and_board_admin_manage_modules(client, world, role, status):
    client.force_login(world.users[role])
    assert client.get(modules_url(world.school)).status_code == status
    response = client.post(modules_url(world.school), {"save_switches": "1", "news": "on"})
    assert response.status_code == (302 if status == 200 else 404)


def test_the_director_switches_modules_in_phases(client, world):
    client.force_login(world.users["director"])
    response = client.post(modules_url(world.school), {"save_switches": "1", "news": "on", "calendar": "on"})
    assert response.status_code == 302
    enabled = set(ModuleSwitch.objects.filter(school=world.school, enabled=True).values_list("module", flat=True))
    assert enabled == {"news", "calendar"}
    entry = AuditEntry.objects.get(action="modules.switched")
    assert entry.actor == world.users["director"] and entry.school == world.school
    # the other school of the board is untouched
    assert ModuleSwitch.objects.filter(school=world.sister_school, enabled=True).count() == 10


def test_a_closed_period_with_the_end_before_the_start_is_refused_and_keeps_the_input(client, world):
    client.force_login(world.users["director"])
    response = client.post(
        modules_url(world.school),
        {
            "closure-module": "records",
            "closure-starts_on": "2026-12-20",
            "closure-ends_on": "2026-12-10",
            "closure-message": "Gesloten rond de rapporten",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Gesloten rond de rapporten" in page
    assert "2026-12-20" in page
    assert not ModuleClosure.objects.exists()


def test_a_closed_period_is_added_and_removed(client, world):
    client.force_login(world.users["director"])
    today = timezone.localdate()
    client.post(
        modules_url(world.school),
        {
            "closure-module": "records",
            "closure-starts_on": today.isoformat(),
            "closure-ends_on": (today + datetime.timedelta(days=5)).isoformat(),
            "closure-message": "Gesloten rond de rapporten",
        },
    )
    closure = ModuleClosure.objects.get()
    assert closure.school == world.school

    # another school's director cannot remove it, even knowing its id
    client.force_login(world.users["board_admin_other_board"])
    url = reverse("core:delete_closure", args=[world.school.pk, closure.pk])
    assert client.post(url).status_code == 404
    client.force_login(world.users["director"])
    other_url = reverse("core:delete_closure", args=[world.sister_school.pk, closure.pk])
    assert client.post(other_url).status_code == 404
    assert client.post(url).status_code == 302
    assert not ModuleClosure.objects.exists()
