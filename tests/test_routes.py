"""One table of (role, route) → status over every route of the site (the access rule as a whole).
A new route that is not in the table fails ``test_every_route_is_in_the_table``, so each new page
gets its access decided here."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.world import build_world

ROLES = ["anonymous", "guardian", "teacher", "administration", "director", "board_admin", "board_admin_other_board"]

# Routes open to everyone: login, registration, reset links, language switch and the like.
PUBLIC = {
    "accounts:login", "accounts:register", "accounts:activate", "accounts:password_reset",
    "accounts:password_reset_done", "accounts:password_reset_confirm", "accounts:password_reset_complete",
    "accounts:confirm_email", "web:set_language", "web:offline", "web:service_worker", "web:manifest",
    "accounts:logout",
    "notify:vapid_key", "notify:unsubscribe",
}
# Routes for any signed-in user, showing only their own data.
SIGNED_IN = {"web:home", "accounts:account", "notify:list", "notify:preferences"}
# The signed-in user's own rows by id, and POST/JSON endpoints; their yes and no are in tests/notify/.
OWN_ROWS = {"notify:open", "notify:mark_all_read", "notify:device", "notify:push_subscribe", "notify:push_unsubscribe"}
LOGIN = 302  # anonymous visitors are sent to the login page

# Routes about one school: (route, method, {role: status}); the school is the world's school A1.
SCHOOL_ROUTES = [
    ("core:modules", "get", {"director": 200, "board_admin": 200}),
    ("core:delete_closure", "post", {"director": 404, "board_admin": 404}),  # no such closure: 404 for all
    ("accounts:guardians", "get", {"administration": 200, "director": 200, "board_admin": 200}),
    ("notify:quiet_hours", "get", {"director": 200, "board_admin": 200}),
]

# News routes: (route, method, {role: status}) about a post to group 3 of school A1 by its teacher,
# with one attachment; the feed and the form take no post.
NEWS_READERS = {"guardian": 200, "teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
NEWS_EDITORS = {"teacher": 200, "director": 200, "board_admin": 200}
NEWS_ROUTES = [
    ("news:feed", "get", dict.fromkeys(ROLES[1:], 200)),
    ("news:create", "get", {"teacher": 200, "director": 200, "board_admin": 200, "board_admin_other_board": 200}),
    ("news:detail", "get", NEWS_READERS),
    ("news:attachment", "get", NEWS_READERS),
    ("news:edit", "get", NEWS_EDITORS),
    ("news:delete", "get", NEWS_EDITORS),
    ("news:stats", "get", NEWS_EDITORS),
]

# Calendar routes: (route, method, {role: status}) about an event for group 3 of school A1 made by
# its teacher; the calendar pages and the new-event form take no event, load_vacations takes
# school A1, and the feed a token (it authenticates by the token alone, so anonymous gets 404 too).
CALENDAR_READERS = {"guardian": 200, "teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
CALENDAR_EDITORS = {"teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
CALENDAR_ROUTES = [
    ("calendar:list", "get", dict.fromkeys(ROLES[1:], 200)),
    ("calendar:month", "get", dict.fromkeys(ROLES[1:], 200)),
    ("calendar:week", "get", dict.fromkeys(ROLES[1:], 200)),
    ("calendar:subscribe", "get", dict.fromkeys(ROLES[1:], 200)),
    ("calendar:create", "get", {**CALENDAR_EDITORS, "board_admin_other_board": 200}),
    ("calendar:detail", "get", CALENDAR_READERS),
    ("calendar:event_ics", "get", CALENDAR_READERS),
    ("calendar:edit", "get", CALENDAR_EDITORS),
    ("calendar:cancel", "post", dict.fromkeys(CALENDAR_EDITORS, 302)),
    ("calendar:load_vacations", "post", {"administration": 302, "director": 302, "board_admin": 302}),
    ("calendar:feed", "get", {}),  # an unknown token
]


def route_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin is for superusers and has its own permission checks
            prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from route_names(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_every_route_is_in_the_table():
    known = PUBLIC | SIGNED_IN | OWN_ROWS
    known |= {name for name, _method, _expected in SCHOOL_ROUTES + NEWS_ROUTES + CALENDAR_ROUTES}
    assert sorted(set(route_names()) - known) == []


@pytest.fixture
def world(db):
    return build_world()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", SCHOOL_ROUTES)
def test_school_routes(client, world, role, name, method, allowed):
    args = [world.school.pk] + ([999999] if name == "core:delete_closure" else [])
    if role != "anonymous":
        client.force_login(world.users[role])
    response = getattr(client, method)(reverse(name, args=args))
    expected = LOGIN if role == "anonymous" else allowed.get(role, 404)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(SIGNED_IN))
def test_signed_in_routes(client, world, role, name):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = client.get(reverse(name))
    assert response.status_code == (LOGIN if role == "anonymous" else 200)


@pytest.mark.parametrize("role", ROLES[1:])
def test_a_school_route_of_a_school_that_does_not_exist_is_404(client, world, role):
    client.force_login(world.users[role])
    for name, method, _allowed in SCHOOL_ROUTES:
        args = [999999] + ([1] if name == "core:delete_closure" else [])
        assert getattr(client, method)(reverse(name, args=args)).status_code == 404, name


@pytest.fixture
def news_post(world, settings, tmp_path):
    from django.core.files.base import ContentFile

    from schoolpoort.news.actions import save_post
    from schoolpoort.news.models import Post
    from schoolpoort.news.uploads import prepare_upload, store_upload

    settings.MEDIA_ROOT = tmp_path
    post = Post(audience="groups", school=world.school, author=world.users["teacher"], title="Groep 3")
    save_post(post, groups=[world.group3])
    attachment = store_upload(post, prepare_upload(ContentFile(b"%PDF-1.4", name="brief.pdf")))
    return post, attachment


def news_args(name, post, attachment):
    if name in ("news:feed", "news:create"):
        return []
    return [post.pk, attachment.pk] if name == "news:attachment" else [post.pk]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", NEWS_ROUTES)
def test_news_routes(client, world, news_post, role, name, method, allowed):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = getattr(client, method)(reverse(name, args=news_args(name, *news_post)))
    expected = LOGIN if role == "anonymous" else allowed.get(role, 404)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES[1:])
def test_a_news_route_of_a_post_that_does_not_exist_is_404(client, world, news_post, role):
    client.force_login(world.users[role])
    post, attachment = news_post
    for name, method, _allowed in NEWS_ROUTES:
        if name in ("news:feed", "news:create"):
            continue
        args = [999999, attachment.pk] if name == "news:attachment" else [999999]
        assert getattr(client, method)(reverse(name, args=args)).status_code == 404, name
    assert client.get(reverse("news:attachment", args=[post.pk, 999999])).status_code == 404


@pytest.fixture
def calendar_event(world):
    from django.utils import timezone

    from schoolpoort.calendar.actions import create_event

    day = timezone.localdate()
    return create_event(world.users["teacher"], audience="groups", school=world.school, groups=[world.group3],
                        title="Gym", starts_on=day, ends_on=day, all_day=True)


def calendar_url(name, world, event_pk):
    if name == "calendar:feed":
        return reverse(name, kwargs={"token": "x" * 43})
    if name == "calendar:load_vacations":
        return reverse(name, args=[world.school.pk])
    if name in ("calendar:detail", "calendar:event_ics", "calendar:edit", "calendar:cancel"):
        return reverse(name, args=[event_pk])
    return reverse(name)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", CALENDAR_ROUTES)
def test_calendar_routes(client, world, calendar_event, role, name, method, allowed):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = getattr(client, method)(calendar_url(name, world, calendar_event.pk))
    expected = LOGIN if role == "anonymous" and name != "calendar:feed" else allowed.get(role, 404)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES[1:])
def test_a_calendar_route_of_an_event_or_school_that_does_not_exist_is_404(client, world, calendar_event, role):
    client.force_login(world.users[role])
    for name in ("calendar:detail", "calendar:event_ics", "calendar:edit", "calendar:cancel"):
        method = "post" if name == "calendar:cancel" else "get"
        assert getattr(client, method)(reverse(name, args=[999999])).status_code == 404, name
    assert client.post(reverse("calendar:load_vacations", args=[999999])).status_code == 404


@pytest.mark.parametrize("role", ROLES[1:])
def test_the_calendar_feed_opens_with_the_users_own_token_and_no_session(client, world, role):
    from schoolpoort.calendar.actions import issue_feed_token

    token = issue_feed_token(world.users[role])
    assert client.get(reverse("calendar:feed", kwargs={"token": token})).status_code == 200
