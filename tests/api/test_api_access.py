"""The endpoints called with tokens, yes and no: a token acts for its account at its one school only.
The director's token of school A1 sees A1's news, events and absences; the board admin's token of
the sister school A2 (same board) sees none of A1's; the other board's token sees nothing of board A.
Each list is checked by content, not only by status, and costs a fixed number of queries."""

import datetime

import pytest
from django.utils import timezone

from schoolpoort.absences.actions import report_absence
from schoolpoort.calendar.actions import create_event
from schoolpoort.news.actions import save_post
from schoolpoort.news.models import Post
from tests.api.api_helpers import bearer, token_for
from tests.world import build_world


@pytest.fixture
def world(db):
    world = build_world()
    teacher = world.users["teacher"]
    world.post = Post(audience="groups", school=world.school, author=teacher, title="Groep 3")
    save_post(world.post, groups=[world.group3])
    today = timezone.localdate()
    world.event = create_event(teacher, audience="groups", school=world.school, groups=[world.group3],
                               title="Gym", starts_on=today, ends_on=today, all_day=True)
    world.absence = report_absence(world.users["guardian"], world.child, reason="sick", starts_on=today)
    world.tokens = {
        "director_a1": token_for(world.users["director"], world.school).secret,
        "board_a2": token_for(world.users["board_admin"], world.sister_school).secret,
        "other_board": token_for(world.users["board_admin_other_board"], world.other_school).secret,
    }
    return world


def urls(world):
    return {
        "news_post": f"/api/v1/news/{world.post.pk}",
        "school_absences": f"/api/v1/schools/{world.school.pk}/absences",
    }


TABLE = [
    # (token, endpoint, status)
    ("director_a1", "news_post", 200),
    ("director_a1", "school_absences", 200),
    ("board_a2", "news_post", 404),  # the board admin sees A1, but this token is A2's
    ("board_a2", "school_absences", 404),
    ("other_board", "news_post", 404),
    ("other_board", "school_absences", 404),
]


@pytest.mark.parametrize("token, endpoint, status", TABLE)
def test_tokens_reach_their_own_school_only(client, world, token, endpoint, status):
    response = client.get(urls(world)[endpoint], **bearer(world.tokens[token]))
    assert response.status_code == status


@pytest.mark.parametrize("token, sees", [("director_a1", True), ("board_a2", False), ("other_board", False)])
def test_the_lists_of_a_token_hold_its_schools_items_only(client, world, token, sees):
    headers = bearer(world.tokens[token])
    news = [item["id"] for item in client.get("/api/v1/news", **headers).json()["items"]]
    today = timezone.localdate().isoformat()
    events = client.get(f"/api/v1/calendar/events?start={today}&end={today}", **headers).json()["items"]
    absences = [item["id"] for item in client.get("/api/v1/absences", **headers).json()["items"]]
    assert (news == [world.post.pk]) is sees and (sees or news == [])
    assert ([e["event_id"] for e in events] == [world.event.pk]) is sees and (sees or events == [])
    assert (absences == [world.absence.pk]) is sees and (sees or absences == [])


@pytest.mark.parametrize("role, sees", [
    ("guardian", True), ("other_guardian", True), ("guardian_other_group", False), ("guardian_other_school", False),
    ("teacher", True), ("teacher_other_group", False), ("administration", True), ("director", True),
    ("board_admin", True), ("board_admin_other_board", False),
])
def test_a_sessions_lists_follow_the_pages_rule(client, world, role, sees):
    client.force_login(world.users[role])
    absences = [item["id"] for item in client.get("/api/v1/absences").json()["items"]]
    assert absences == ([world.absence.pk] if sees else [])
    news = [item["id"] for item in client.get("/api/v1/news").json()["items"]]
    assert (world.post.pk in news) is sees


def test_lists_cost_the_same_queries_for_one_item_or_many(client, world, django_assert_max_num_queries, monkeypatch):
    monkeypatch.setattr("schoolpoort.api.tokens.LAST_USE_RESOLUTION", datetime.timedelta(days=1))
    headers = bearer(world.tokens["director_a1"])
    client.get("/api/v1/me", **headers)  # the first use writes the last use and starts the rate count
    counts = {}
    for round_ in range(2):
        for path in ("/api/v1/me", "/api/v1/news", "/api/v1/calendar/events", "/api/v1/absences"):
            with django_assert_max_num_queries(30) as captured:
                assert client.get(path, **headers).status_code == 200
            counts.setdefault(path, []).append(len(captured.captured_queries))
        if round_ == 0:  # ten times as much of everything
            for n in range(10):
                post = Post(audience="groups", school=world.school, author=world.users["teacher"], title=f"Post {n}")
                save_post(post, groups=[world.group3])
                day = timezone.localdate() + datetime.timedelta(days=n)
                create_event(world.users["teacher"], audience="school", school=world.school, title=f"Event {n}",
                             starts_on=day, ends_on=day, all_day=True)
            from tests.factories import GuardianshipFactory, enrolled_student

            for n in range(10):
                child = enrolled_student(world.group3, first_name=f"Kind{n}")
                GuardianshipFactory(student=child, user=world.users["guardian_other_group"])
                report_absence(world.users["guardian_other_group"], child, reason="sick",
                               starts_on=timezone.localdate())
    for path, (few, many) in counts.items():
        assert many <= few, (path, few, many)
