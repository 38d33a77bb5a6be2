"""Absences through the API: a parent reports through the same form rules and action as the report
page (the school and the other guardian are told), mistakes answer 422 at their field; the list
filters on ``since`` and ``on`` and pages with a cursor; news pages with a cursor too."""

import datetime
import json

import pytest
from django.utils import timezone

from schoolpoort.absences.actions import report_absence
from schoolpoort.absences.models import Absence
from schoolpoort.news.actions import save_post
from schoolpoort.news.models import Post
from schoolpoort.notify.models import Broadcast
from tests.api.api_helpers import bearer, token_for
from tests.world import build_world


@pytest.fixture
def world(db):
    return build_world()


def post_json(client, data, **extra):
    return client.post("/api/v1/absences", json.dumps(data), content_type="application/json", **extra)


def test_a_parent_reports_a_child_sick_and_the_school_is_told(client, world):
    client.force_login(world.users["guardian"])
    today = timezone.localdate()
    response = post_json(client, {"student_id": world.child.pk, "reason": "sick", "starts_on": today.isoformat(),
                                  "note": "Koorts"})
    assert response.status_code == 201
    body = response.json()
    absence = Absence.objects.get(pk=body["id"])
    assert absence.student == world.child and absence.reported_by == world.users["guardian"]
    assert absence.source == "guardian" and absence.ends_on is None and body["note"] == "Koorts"
    told = {pk for ids in Broadcast.objects.filter(key=absence.notification_key).values_list("recipient_ids", flat=True)
            for pk in ids}
    assert world.users["teacher"].pk in told


def test_the_pages_rules_answer_422_at_their_field(client, world):
    client.force_login(world.users["guardian"])
    today = timezone.localdate()
    far = (today + datetime.timedelta(days=90)).isoformat()
    response = post_json(client, {"student_id": world.child.pk, "reason": "sick", "starts_on": far})
    assert response.status_code == 422
    assert [item["loc"] for item in response.json()["detail"]] == [["body", "starts_on"]]
    report_absence(world.users["guardian"], world.child, reason="sick", starts_on=today)
    again = post_json(client, {"student_id": world.child.pk, "reason": "sick", "starts_on": today.isoformat()})
    assert again.status_code == 422 and again.json()["detail"][0]["loc"] == ["body"]  # already reported


def test_a_parent_cannot_report_another_familys_child(client, world):
    client.force_login(world.users["guardian"])
    response = post_json(client, {"student_id": world.classmate_of_other_group.pk, "reason": "sick",
                                  "starts_on": timezone.localdate().isoformat()})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "student_id"]
    assert not Absence.objects.exists()


def test_input_of_the_wrong_shape_is_422(client, world):
    client.force_login(world.users["guardian"])
    assert post_json(client, {"student_id": world.child.pk, "reason": "bored", "starts_on": "x"}).status_code == 422


def test_the_list_filters_on_since_and_on_and_pages_with_a_cursor(client, world):
    guardian = world.users["guardian"]
    today = timezone.localdate()
    older = report_absence(guardian, world.child, reason="doctor", starts_on=today - datetime.timedelta(days=5))
    Absence.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(days=5))
    recent = [report_absence(guardian, world.child, reason="other", starts_on=today - datetime.timedelta(days=n))
              for n in (3, 2, 1)]
    sick = report_absence(guardian, world.child, reason="sick", starts_on=today)
    token = token_for(world.users["director"], world.school, scopes=["absences:read"]).secret
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    listed = client.get("/api/v1/absences", {"since": since}, **bearer(token)).json()
    assert [item["id"] for item in listed["items"]] == [a.pk for a in [*recent, sick]]
    on_today = client.get("/api/v1/absences", {"on": today.isoformat()}, **bearer(token)).json()
    assert [item["id"] for item in on_today["items"]] == [sick.pk]
    seen, cursor = [], None
    while True:
        page = client.get("/api/v1/absences", {"limit": 2, **({"cursor": cursor} if cursor else {})},
                          **bearer(token)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [a.pk for a in [older, *recent, sick]]
    assert client.get("/api/v1/absences", {"cursor": "bm9wZQ"}, **bearer(token)).status_code == 400


def test_the_news_pages_with_a_cursor_in_the_feeds_order(client, world):
    posts = []
    for n in range(5):
        post = Post(audience="school", school=world.school, author=world.users["director"], title=f"Nieuws {n}",
                    publish_at=timezone.now() - datetime.timedelta(hours=n), pinned=(n == 3))
        save_post(post)
        posts.append(post)
    client.force_login(world.users["guardian"])
    seen, cursor = [], None
    while True:
        page = client.get("/api/v1/news", {"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    expected = [posts[3].pk] + [p.pk for n, p in enumerate(posts) if n != 3]
    assert seen == expected
    detail = client.get(f"/api/v1/news/{posts[0].pk}").json()
    assert detail["title"] == "Nieuws 0" and "body_html" in detail
