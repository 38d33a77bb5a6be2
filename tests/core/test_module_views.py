import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from schoolpoort.core.models import AuditEntry, ModuleClosure, ModuleSwitch
from schoolpoort.core.modules import MODULES
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
    assert client.get(off_url(world.school, "news")).status_code == status
    assert client.post(off_url(world.school, "news")).status_code == (302 if status == 200 else 404)
    assert client.post(on_url(world.school, "news")).status_code == (302 if status == 200 else 404)


def off_url(school, code):
    return reverse("core:module_off", args=[school.pk, code])


def on_url(school, code):
    return reverse("core:module_on", args=[school.pk, code])


def enabled_modules(school):
    return set(ModuleSwitch.objects.filter(school=school, enabled=True).values_list("module", flat=True))


def test_the_modules_page_is_a_list_with_state_description_and_a_switch(client, world):
    ModuleSwitch.objects.filter(school=world.school, module="albums").update(enabled=False)
    client.force_login(world.users["director"])
    page = client.get(modules_url(world.school)).content.decode()
    assert "---------" not in page and ":</label>" not in page
    assert 'type="checkbox"' not in page  # no raw form of checkboxes
    assert page.count('class="module-list__item"') == 10
    assert off_url(world.school, "news") in page  # on: a way to switch it off (through the confirmation)
    assert on_url(world.school, "albums") in page and off_url(world.school, "albums") not in page
    assert 'class="state state--off"' in page


def test_switching_a_module_off_first_says_what_parents_lose_and_changes_nothing(client, world):
    client.force_login(world.users["director"])
    before = enabled_modules(world.school)
    with translation.override("nl"):
        response = client.get(off_url(world.school, "news"))
    assert response.status_code == 200
    page = response.content.decode()
    with translation.override("nl"):
        consequence = str(MODULES["news"].off_consequence)
    assert consequence and escape(consequence) in page
    assert 'name="confirm"' in page and 'method="post"' in page
    assert enabled_modules(world.school) == before
    assert not AuditEntry.objects.filter(action="modules.switched").exists()


def test_every_module_says_what_parents_lose():
    assert all(str(info.off_consequence) for info in MODULES.values())


def test_the_director_switches_modules_off_after_confirming_and_on_again(client, world):
    client.force_login(world.users["director"])
    assert "news" in enabled_modules(world.school)
    assert client.post(off_url(world.school, "news"), {"confirm": "1"}).status_code == 302
    assert "news" not in enabled_modules(world.school)
    entry = AuditEntry.objects.get(action="modules.switched")
    assert entry.actor == world.users["director"] and entry.school == world.school
    assert client.post(on_url(world.school, "news")).status_code == 302
    assert "news" in enabled_modules(world.school)
    # the other school of the board is untouched
    assert ModuleSwitch.objects.filter(school=world.sister_school, enabled=True).count() == 10
    # an unknown module is not found, and a GET does not switch on
    assert client.post(on_url(world.school, "nosuch")).status_code == 404
    assert client.get(on_url(world.school, "news")).status_code == 405


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


def test_a_closed_period_is_added_after_a_confirmation_and_removed(client, world):
    client.force_login(world.users["director"])
    today = timezone.localdate()
    data = {
        "closure-module": "records",
        "closure-starts_on": today.isoformat(),
        "closure-ends_on": (today + datetime.timedelta(days=5)).isoformat(),
        "closure-message": "Gesloten rond de rapporten",
    }
    with translation.override("nl"):
        response = client.post(modules_url(world.school), data)
        consequence = str(MODULES["records"].off_consequence)
    assert response.status_code == 200  # first what parents lose, with the input carried along
    page = response.content.decode()
    assert escape(consequence) in page
    assert 'type="hidden" name="closure-message" value="Gesloten rond de rapporten"' in page
    assert not ModuleClosure.objects.exists()
    # "Change" goes back to the form with the input kept, still nothing saved
    response = client.post(modules_url(world.school), {**data, "edit": "1"})
    assert response.status_code == 200 and 'name="closure-message"' in response.content.decode()
    assert not ModuleClosure.objects.exists()
    assert client.post(modules_url(world.school), {**data, "confirm": "1"}).status_code == 302
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
