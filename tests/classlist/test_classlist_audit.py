"""Staff reading the full class list (every guardian's contact details), on screen or on paper,
is a read of every pupil on it (``core.audit``), shown on the guardian's "who at school viewed"
page; parents reading what families shared, and a 404, write nothing."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from schoolpoort.core.models import AuditEntry, ModuleSwitch
from tests.factories import enrolled_student


def reads(user) -> set[tuple[str, str]]:
    return {(e.object_id, e.detail["part"]) for e in AuditEntry.objects.filter(action="records.view", actor=user)}


@pytest.mark.parametrize("name", ["classlist:group", "classlist:print"])
@pytest.mark.parametrize("role", ["teacher", "administration", "board_admin"])
def test_staff_opening_the_full_list_reads_every_pupil_on_it(client, world, name, role):
    second = enrolled_student(world.group3, first_name="Sem")
    user = world.users[role]
    client.force_login(user)
    assert client.get(reverse(name, args=[world.group3.pk])).status_code == 200
    assert reads(user) == {(str(world.child.pk), "class_list"), (str(second.pk), "class_list")}


def test_the_full_list_writes_its_reads_in_one_insert_whatever_the_size(client, world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.users["teacher"])
    url = reverse("classlist:group", args=[world.group3.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(10):
        enrolled_student(world.group3, first_name=f"Kind{index}")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)
    inserts = [q for q in few.captured_queries if 'INSERT INTO "core_auditentry"' in q["sql"]]
    assert len(inserts) == 1


@pytest.mark.parametrize("role", ["guardian", "other_guardian", "teacher_other_group"])
def test_parents_and_outsiders_write_no_read(client, world, role):
    client.force_login(world.users[role])
    client.get(reverse("classlist:group", args=[world.group3.pk]))
    client.get(reverse("classlist:print", args=[world.group3.pk]))
    assert not AuditEntry.objects.filter(action="records.view").exists()


def test_the_guardian_sees_the_class_list_read_on_the_who_viewed_page(client, world):
    ModuleSwitch.objects.update_or_create(school=world.school, module="records", defaults={"enabled": True})
    teacher = world.users["teacher"]
    client.force_login(teacher)
    client.get(reverse("classlist:print", args=[world.group3.pk]))
    guardian = world.users["guardian"]
    guardian.language = "en"
    guardian.save(update_fields=["language"])
    client.force_login(guardian)
    page = client.get(reverse("records:viewed", args=[world.child.pk])).content.decode()
    assert escape(teacher.full_name) in page and "Class list with contact details" in page
