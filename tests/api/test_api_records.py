"""Records and results through the API, yes and no per role, with the records pages' rule
(``student_for_part_or_404``): a parent gets their own child's results from the release day, a part
the school switched off or did not open to a guardian without parental authority is 404, another
family's child is 404; staff reading a part is audited as on the pages, parents are not; never
cached; a token 403; a fixed number of queries."""

import pytest

from schoolpoort.core.models import AuditEntry, Guardianship
from schoolpoort.records.access import settings_for
from schoolpoort.records.models import Part
from tests.api.api_helpers import bearer, token_for
from tests.results.conftest import add_more_results, add_results
from tests.world import build_world

PARTS = ["report-cards", "method-tests", "standardised-tests"]


@pytest.fixture
def world(db):
    world = build_world()
    world.results = add_results(world.child)
    return world


def url(world, part, student=None):
    return f"/api/v1/records/children/{(student or world.child).pk}/{part}"


def reads(user):
    return sorted((e.object_id, e.detail["part"]) for e in AuditEntry.objects.filter(action="records.view", actor=user))


@pytest.mark.parametrize("role, sees", [
    ("guardian", True), ("other_guardian", True), ("guardian_other_group", False), ("guardian_other_school", False),
    ("teacher", True), ("teacher_other_group", False), ("director", True), ("board_admin_other_board", False),
])
def test_the_results_follow_the_pages_rule(client, world, role, sees):
    client.force_login(world.users[role])
    for part in PARTS:
        response = client.get(url(world, part))
        assert response.status_code == (200 if sees else 404), part
        if sees:
            assert "no-store" in response["Cache-Control"]
    children = [c["id"] for c in client.get("/api/v1/records/children").json()["items"]]
    assert (world.child.pk in children) is sees


def test_a_parent_gets_the_released_report_card_only_and_the_tests(client, world):
    client.force_login(world.users["guardian"])
    cards = client.get(url(world, "report-cards")).json()
    assert [c["id"] for c in cards] == [world.results["card"].pk]
    assert cards[0]["lines"] == [{"subject": "Rekenen", "grade": "7,5", "text": ""}]
    assert len(client.get(url(world, "method-tests")).json()) == 2
    assert [t["moment"] for t in client.get(url(world, "standardised-tests")).json()] == ["M3", "E3", "M4"]
    child = client.get("/api/v1/records/children").json()["items"][0]
    assert {"report_cards", "method_tests", "standardised_tests"} <= set(child["parts"])


def test_what_the_school_did_not_open_is_404(client, world):
    Guardianship.objects.filter(user=world.users["other_guardian"]).update(has_parental_authority=False)
    settings = settings_for(world.school)
    settings.parts_without_authority = [Part.CARD, Part.REPORT_CARDS]
    settings.save()
    client.force_login(world.users["other_guardian"])
    assert client.get(url(world, "report-cards")).status_code == 200
    assert client.get(url(world, "method-tests")).status_code == 404
    assert client.get(url(world, "standardised-tests")).status_code == 404
    settings.parts_on = [p for p in settings.parts_on if p != Part.REPORT_CARDS]
    settings.save()
    client.force_login(world.users["guardian"])
    assert client.get(url(world, "report-cards")).status_code == 404


def test_another_familys_child_is_404_for_a_parent(client, world):
    client.force_login(world.users["guardian"])
    for part in PARTS:
        assert client.get(url(world, part, world.classmate_of_other_group)).status_code == 404
        assert client.get(f"/api/v1/records/children/999999/{part}").status_code == 404


def test_staff_reading_is_audited_parents_are_not(client, world):
    client.force_login(world.users["guardian"])
    for part in PARTS:
        assert client.get(url(world, part)).status_code == 200
    assert reads(world.users["guardian"]) == []
    client.force_login(world.users["teacher"])
    for part in PARTS:
        assert client.get(url(world, part)).status_code == 200
    child = str(world.child.pk)
    assert reads(world.users["teacher"]) == [(child, "method_tests"), (child, "report_cards"),
                                             (child, "standardised_tests")]


def test_a_token_gets_403(client, world):
    headers = bearer(token_for(world.users["director"], world.school).secret)
    assert client.get("/api/v1/records/children", **headers).status_code == 403
    for part in PARTS:
        assert client.get(url(world, part), **headers).status_code == 403


def test_the_same_queries_for_few_or_many_results(client, world, django_assert_max_num_queries):
    client.force_login(world.users["guardian"])
    counts = []
    for round_ in range(2):
        with django_assert_max_num_queries(40) as captured:
            for part in PARTS:
                assert client.get(url(world, part)).status_code == 200
            assert client.get("/api/v1/records/children").status_code == 200
        counts.append(len(captured.captured_queries))
        if round_ == 0:
            add_more_results(world.child)
    assert counts[1] <= counts[0], counts
