"""Absences for parents' apps: a child is better, and leave requests (list, ask with the employer's
statement, status, the statement), through the same rules as the pages. Each role gets from the API
what it gets from the page (200 or 404); a refused file or a broken rule answers 422 at its field;
tokens may read with ``absences:read`` and may never report or ask (a person's act)."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from schoolpoort.absences.actions import report_absence
from schoolpoort.absences.models import Absence, LeaveRequest
from tests.absences.helpers import holiday_week, leave
from tests.api.api_helpers import bearer, token_for
from tests.world import build_world

PDF = b"%PDF-1.4\n%test\n"
ROLES = ["guardian", "other_guardian", "guardian_other_group", "guardian_other_school", "teacher",
         "teacher_other_group", "administration", "director", "board_admin", "board_admin_other_board"]


@pytest.fixture
def world(db):
    world = build_world()
    world.sick = report_absence(world.users["guardian"], world.child, reason="sick",
                                starts_on=timezone.localdate() - datetime.timedelta(days=1))
    world.leave = leave(world.users["guardian"], world.child)
    world.leave.statement_name = "verklaring.pdf"
    world.leave.statement.save("verklaring.pdf", ContentFile(PDF))
    return world


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_leave_and_reports_better_exactly_as_on_the_pages(client, world, role):
    client.force_login(world.users[role])
    page = client.get(world.leave.get_absolute_url()).status_code
    assert page in (200, 404)
    assert client.get(f"/api/v1/leave-requests/{world.leave.pk}").status_code == page
    statement = client.get(f"/api/v1/leave-requests/{world.leave.pk}/statement")
    assert statement.status_code == page
    if page == 200:
        assert b"".join(statement.streaming_content) == PDF
    listed = [item["id"] for item in client.get("/api/v1/leave-requests").json()["items"]]
    assert listed == ([world.leave.pk] if page == 200 else [])
    absence_page = client.get(world.sick.get_absolute_url()).status_code
    better = client.post(f"/api/v1/absences/{world.sick.pk}/better", {"back": "tomorrow"},
                         content_type="application/json")
    assert better.status_code == absence_page
    world.sick.refresh_from_db()
    assert (world.sick.ends_on == timezone.localdate()) is (absence_page == 200)
    assert role not in ("guardian", "other_guardian") or page == absence_page == 200
    assert role not in ("guardian_other_group", "guardian_other_school", "teacher_other_group",
                        "board_admin_other_board") or page == absence_page == 404


def test_better_answers_409_when_the_absence_has_ended_already(client, world):
    client.force_login(world.users["guardian"])
    url = f"/api/v1/absences/{world.sick.pk}/better"
    first = client.post(url, {}, content_type="application/json")
    assert first.status_code == 200 and first.json()["ends_on"] == (timezone.localdate()
                                                                     - datetime.timedelta(days=1)).isoformat()
    assert first.json()["better_reported_at"] is not None
    assert client.post(url, {}, content_type="application/json").status_code == 409


def test_a_parent_asks_for_leave_with_the_statement_and_the_director_hears(client, world):
    from tests.absences.helpers import recipients

    LeaveRequest.objects.all().delete()
    first, last = holiday_week(world.school)
    client.force_login(world.users["guardian"])
    response = client.post("/api/v1/leave-requests", {
        "student_id": world.child.pk, "kind": "holiday", "starts_on": first.isoformat(), "ends_on": last.isoformat(),
        "reason": "Seizoenswerk", "statement": SimpleUploadedFile("verklaring.pdf", PDF)})
    assert response.status_code == 201
    body = response.json()
    asked = LeaveRequest.objects.get(pk=body["id"])
    assert asked.statement.read() == PDF and body["status"] == "requested" and body["asked_by_me"] is True
    assert body["school_days"] == 5 and body["statement_name"] == "verklaring.pdf"
    assert set(recipients(asked.notification_key)) == {world.users["director"].pk}
    client.force_login(world.users["other_guardian"])  # the hidden ex-partner sees it, not who asked
    seen = client.get(f"/api/v1/leave-requests/{asked.pk}").json()
    assert seen["asked_by_me"] is False and "requested_by" not in seen


def test_the_pages_rules_and_the_upload_checks_answer_422_at_their_field(client, world):
    LeaveRequest.objects.all().delete()
    first, last = holiday_week(world.school)
    client.force_login(world.users["guardian"])
    data = {"student_id": world.child.pk, "kind": "holiday", "starts_on": first.isoformat(),
            "ends_on": last.isoformat(), "reason": "Seizoenswerk"}
    without = client.post("/api/v1/leave-requests", data)
    assert without.status_code == 422 and [e["loc"] for e in without.json()["detail"]] == [["body", "statement"]]
    fake = client.post("/api/v1/leave-requests", {**data, "statement": SimpleUploadedFile("verklaring.pdf",
                                                                                          b"MZ\x90\x00not a pdf")})
    assert fake.status_code == 422 and fake.json()["detail"][0]["loc"] == ["body", "statement"]
    assert fake.json()["detail"][0]["msg"]
    other = client.post("/api/v1/leave-requests", {**data, "student_id": world.classmate_of_other_group.pk,
                                                   "statement": SimpleUploadedFile("verklaring.pdf", PDF)})
    assert other.status_code == 422 and other.json()["detail"][0]["loc"] == ["body", "student_id"]
    assert not LeaveRequest.objects.exists()


def test_staff_and_a_parent_without_children_here_cannot_ask(client, world):
    client.force_login(world.users["teacher"])
    assert client.post("/api/v1/leave-requests", {"student_id": world.child.pk, "kind": "holiday",
                                                  "starts_on": "2030-01-07", "ends_on": "2030-01-08",
                                                  "reason": "x"}).status_code == 404


def test_tokens_read_leave_with_absences_read_and_never_ask_or_report_better(client, world):
    reader = token_for(world.users["director"], world.school, scopes=["absences:read"]).secret
    news_only = token_for(world.users["board_admin"], world.school, scopes=["news:read"], name="Site").secret
    other_school = token_for(world.users["board_admin"], world.sister_school, scopes=["absences:read"]).secret
    assert client.get(f"/api/v1/leave-requests/{world.leave.pk}", **bearer(reader)).status_code == 200
    assert client.get(f"/api/v1/leave-requests/{world.leave.pk}", **bearer(news_only)).status_code == 403
    assert client.get(f"/api/v1/leave-requests/{world.leave.pk}", **bearer(other_school)).status_code == 404
    assert client.get("/api/v1/leave-requests", **bearer(other_school)).json()["items"] == []
    assert client.post(f"/api/v1/absences/{world.sick.pk}/better", {}, content_type="application/json",
                       **bearer(reader)).status_code == 403
    assert client.post("/api/v1/leave-requests", {}, **bearer(reader)).status_code in (403, 422)
    assert Absence.objects.get(pk=world.sick.pk).ends_on is None


@pytest.mark.parametrize("count", [2, 10])
def test_the_leave_list_costs_the_same_queries_for_any_number_and_pages_with_a_cursor(
        client, world, count, django_assert_max_num_queries):
    for _n in range(count - 1):
        leave(world.users["guardian"], world.child)
    client.force_login(world.users["guardian"])
    with django_assert_max_num_queries(12):
        first = client.get("/api/v1/leave-requests", {"limit": 100}).json()
    assert len(first["items"]) == count and first["next_cursor"] is None
    seen, cursor = [], None
    while True:
        page = client.get("/api/v1/leave-requests", {"limit": 3, **({"cursor": cursor} if cursor else {})}).json()
        seen += [item["id"] for item in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert seen == [item["id"] for item in first["items"]] == sorted(seen, reverse=True)
