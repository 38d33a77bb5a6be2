"""JSON API routes (api/): (route, method, {role: status}) with each role's browser session, about
school A1: a news post to group 3 by its teacher, an event for group 3, the child's sickness in
group 3 reported by its guardian; a parent's new report for the child; the director's token page
and one of its tokens. Without a session or a token the API answers 401, the token pages send to
the login page. The same endpoints called with tokens: tests/api/test_api_access.py."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from schoolpoort.absences.actions import report_absence
from schoolpoort.calendar.actions import create_event
from schoolpoort.news.actions import save_post
from schoolpoort.news.models import Post
from tests.api.api_helpers import token_for
from tests.test_routes import LOGIN, ROLES
from tests.world import build_world

SIGNED_IN = dict.fromkeys(ROLES[1:], 200)
READERS = {"guardian": 200, "teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
ADMINS = {"director": 200, "board_admin": 200}
ROUTES = [
    ("api:openapi-json", "get", dict.fromkeys(ROLES, 200)),
    ("api:openapi-view", "get", dict.fromkeys(ROLES, 200)),
    ("api:api-root", "get", {}),  # nothing there: 404 for everyone
    ("api:me", "get", SIGNED_IN),
    ("api:news", "get", SIGNED_IN),
    ("api:news_post", "get", READERS),
    ("api:calendar_events", "get", SIGNED_IN),
    ("api:absences", "get", SIGNED_IN),  # each sees their own list (tests/api/test_api_absences.py)
    ("api:school_absences", "get", READERS),
    ("api:report_absence", "post", {"guardian": 201}),  # only a guardian of the child
    ("apitokens:list", "get", ADMINS),
    ("apitokens:revoke", "post", dict.fromkeys(ADMINS, 302)),
]
PUBLIC = {"api:openapi-json", "api:openapi-view", "api:api-root"}


@pytest.fixture
def world(db):
    world = build_world()
    teacher, guardian = world.users["teacher"], world.users["guardian"]
    world.post = Post(audience="groups", school=world.school, author=teacher, title="Groep 3")
    save_post(world.post, groups=[world.group3])
    today = timezone.localdate()
    world.event = create_event(teacher, audience="groups", school=world.school, groups=[world.group3],
                               title="Gym", starts_on=today, ends_on=today, all_day=True)
    world.absence = report_absence(guardian, world.child, reason="sick", starts_on=today - datetime.timedelta(days=3),
                                   ends_on=today - datetime.timedelta(days=2))
    world.token = token_for(world.users["director"], world.school).token
    return world


def route_url(name, world, missing=False):
    if name in ("api:news_post",):
        return reverse(name, args=[999999 if missing else world.post.pk])
    if name == "api:school_absences":
        return reverse(name, args=[999999 if missing else world.school.pk])
    if name == "apitokens:list":
        return reverse(name, args=[999999 if missing else world.school.pk])
    if name == "apitokens:revoke":
        return reverse(name, args=[world.school.pk, 999999 if missing else world.token.pk])
    return reverse(name)


def call(client, method, url):
    if method == "post" and url.startswith("/api/"):
        return client.post(url, json.dumps(NEW_REPORT[0]), content_type="application/json")
    return getattr(client, method)(url)


NEW_REPORT = [{}]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", ROUTES)
def test_api_routes(client, world, role, name, method, allowed):
    NEW_REPORT[0] = {"student_id": world.child.pk, "reason": "sick", "starts_on": timezone.localdate().isoformat()}
    if role != "anonymous":
        client.force_login(world.users[role])
    response = call(client, method, route_url(name, world))
    if role == "anonymous" and name not in PUBLIC:
        expected = 401 if name.startswith("api:") else LOGIN
    else:
        expected = allowed.get(role, 404)
    assert response.status_code == expected
    if name.startswith("api:") and name != "api:openapi-view" and response.status_code != 302:
        assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("role", ROLES[1:])
def test_an_api_route_of_something_that_does_not_exist_is_404(client, world, role):
    client.force_login(world.users[role])
    for name in ("api:news_post", "api:school_absences", "apitokens:list", "apitokens:revoke"):
        method = "post" if name == "apitokens:revoke" else "get"
        assert getattr(client, method)(route_url(name, world, missing=True)).status_code == 404, name
