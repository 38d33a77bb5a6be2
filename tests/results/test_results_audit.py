"""Staff reading results (report cards, method tests, standardised tests: pages, edit forms, the
report card file, the group overview) is a read of the pupil (``core.audit``) that the guardian
sees on "who at school viewed"; guardians reading their own child's results write nothing."""

import pytest
from django.utils.html import escape
from django.urls import reverse

from schoolpoort.core.models import AuditEntry
from schoolpoort.records.results.models import MethodTest, StandardisedTest


def reads(user) -> list[tuple[str, str]]:
    return sorted(
        (e.object_id, e.detail["part"]) for e in AuditEntry.objects.filter(action="records.view", actor=user)
    )


@pytest.mark.parametrize(("name", "part"), [
    ("results:report_cards", "report_cards"),
    ("results:method_tests", "method_tests"),
    ("results:standardised_tests", "standardised_tests"),
])
def test_staff_opening_a_results_page_is_a_read_guardians_are_not(client, world, results, name, part):
    teacher, guardian = world.users["teacher"], world.users["guardian"]
    client.force_login(guardian)
    assert client.get(reverse(name, args=[world.child.pk])).status_code == 200
    assert reads(guardian) == []
    client.force_login(teacher)
    assert client.get(reverse(name, args=[world.child.pk])).status_code == 200
    assert reads(teacher) == [(str(world.child.pk), part)]


def test_staff_opening_the_edit_forms_of_results_is_a_read(client, world, results):
    office = world.users["administration"]
    client.force_login(office)
    method = MethodTest.objects.filter(student=world.child).first()
    standardised = StandardisedTest.objects.filter(student=world.child).first()
    for url in (
        reverse("results:method_test_edit", args=[world.child.pk, method.pk]),
        reverse("results:standardised_test_edit", args=[world.child.pk, standardised.pk]),
        reverse("results:report_card_form", args=[world.child.pk, results["released"].pk]),
    ):
        assert client.get(url).status_code == 200
    child = str(world.child.pk)
    assert reads(office) == [(child, "method_tests"), (child, "report_cards"), (child, "standardised_tests")]


def test_an_empty_new_result_form_shows_nothing_and_is_no_read(client, world):
    client.force_login(world.users["teacher"])
    assert client.get(reverse("results:method_test_add", args=[world.child.pk])).status_code == 200
    assert reads(world.users["teacher"]) == []


def test_the_group_overview_is_a_read_of_every_pupil_of_the_group(client, world, results):
    teacher = world.users["teacher"]
    client.force_login(teacher)
    assert client.get(reverse("results:group_overview", args=[world.group3.pk])).status_code == 200
    assert reads(teacher) == [(str(world.child.pk), "standardised_tests")]


def test_the_guardian_sees_a_results_read_on_the_who_viewed_page(client, world, results):
    teacher, guardian = world.users["teacher"], world.users["guardian"]
    client.force_login(teacher)
    client.get(reverse("results:method_tests", args=[world.child.pk]))
    guardian.language = "en"
    guardian.save(update_fields=["language"])
    client.force_login(guardian)
    page = client.get(reverse("records:viewed", args=[world.child.pk])).content.decode()
    assert escape(teacher.full_name) in page and "Method tests" in page
