"""The feed's fast filter (plain id lists read once per request) finds exactly the posts of the
access layer's ``post_q`` for every role, in every state of the module; the stored excerpt; the
feed's pages without a count; a change in access shows on the next page."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from schoolpoort.core.access import SubqueryIds, reach_of
from schoolpoort.core.models import ModuleClosure, ModuleSwitch, StaffMembership
from schoolpoort.news.access import post_q
from schoolpoort.news.listing import feed_posts
from schoolpoort.news.models import Post
from schoolpoort.news.scope import news_scope
from tests.access_table import CASES as ACCESS_TABLE
from tests.access_table import reach_ids, set_module_state
from tests.factories import GuardianshipFactory, enrolled_student
from tests.news.news_helpers import english, make_post
from tests.world import ROLES

FEED = reverse("news:feed")


def _posts_of_every_kind(world):
    now = timezone.now()
    later = now + datetime.timedelta(days=2)
    teacher, director, board_admin = (world.users[r] for r in ("teacher", "director", "board_admin"))
    for when in (now - datetime.timedelta(hours=1), later):
        make_post(teacher, groups=[world.group3], when=when, publish=False)
        make_post(world.users["teacher_other_group"], groups=[world.group6], when=when, publish=False)
        make_post(director, school=world.school, when=when, publish=False)
        make_post(director, school=world.sister_school, when=when, publish=False)
        make_post(board_admin, board=world.school.board, when=when, publish=False)
        make_post(world.users["board_admin_other_board"], school=world.other_school, when=when, publish=False)
        make_post(world.users["board_admin_other_board"], board=world.other_school.board, when=when, publish=False)


def _same_posts(user):
    now = timezone.now()
    scope = news_scope(user)
    expected = set(Post.objects.filter(post_q(SubqueryIds(user), now)).filter(scope.q()).values_list("pk", flat=True))
    found = set(feed_posts(user, reach_of(user), scope, now).values_list("pk", flat=True))
    return expected, found


@pytest.mark.parametrize("state", ["open", "closed today", "switched off"])
@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_the_feed_filter_finds_what_the_access_layer_allows(world, role, state):
    _posts_of_every_kind(world)
    # A teacher who is a parent at their own school too: both branches at once.
    GuardianshipFactory(student=world.classmate_of_other_group, user=world.users["teacher"])
    if state == "closed today":
        today = timezone.localdate()
        ModuleClosure.objects.create(school=world.school, module="news", starts_on=today, ends_on=today)
    elif state == "switched off":
        ModuleSwitch.objects.filter(school=world.school, module="news").update(enabled=False)
    expected, found = _same_posts(world.users[role])
    assert found == expected


@pytest.mark.parametrize("state", ["open", "closed today", "switched off"])
@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_the_feed_inside_the_request_fence_finds_the_same_posts(world, role, state):
    """Within the request's school fence (the middleware's scope) the feed leaves out its own filter
    on the usable schools where the fence is inside them: the same posts either way."""
    from django.test import RequestFactory

    from schoolpoort.core.scopes import SchoolIds, request_board_ids, request_school_ids, scope

    _posts_of_every_kind(world)
    GuardianshipFactory(student=world.classmate_of_other_group, user=world.users["teacher"])
    set_module_state(world, "news", state)
    user = world.users[role]
    expected, _found = _same_posts(user)
    request = RequestFactory().get("/")
    request.user = user
    fence = SchoolIds.lazy(lambda: request_school_ids(request), boards=lambda: request_board_ids(request))
    with scope(school=fence):
        now = timezone.now()
        found = set(feed_posts(user, reach_of(user), news_scope(user), now).values_list("pk", flat=True))
    assert found == expected


def test_a_guardian_kept_from_class_pages_gets_no_group_news_in_the_fast_filter(world):
    _posts_of_every_kind(world)
    world.child.guardianships.filter(user=world.users["guardian"]).update(sees_class_pages=False)
    expected, found = _same_posts(world.users["guardian"])
    assert found == expected
    assert not Post.objects.filter(pk__in=found, audience="groups").exists()


def test_an_archived_leaver_takes_the_news_of_their_group_away_at_once(client, world):
    make_post(world.users["teacher"], groups=[world.group3], title="Voor groep 3")
    client.force_login(world.users["guardian"])
    assert "Voor groep 3" in client.get(FEED).content.decode()

    world.child.archived_at = timezone.now()
    world.child.save(update_fields=["archived_at"])

    # No children left: news is nowhere usable for this user any more.
    assert client.get(FEED).status_code == 404


def test_a_new_staff_role_shows_its_news_on_the_next_page(client, world):
    make_post(world.users["director"], school=world.sister_school, title="Zusterschool")
    client.force_login(world.users["teacher"])
    assert "Zusterschool" not in client.get(FEED).content.decode()
    StaffMembership.objects.create(user=world.users["teacher"], school=world.sister_school, role="teacher")
    assert "Zusterschool" in client.get(FEED).content.decode()


def test_the_excerpt_is_stored_on_save_and_follows_an_edit(world):
    post = make_post(world.users["director"], school=world.school, body="Het **rapport** komt &amp; gaat.")
    assert Post.objects.get(pk=post.pk).excerpt_text == "Het rapport komt & gaat."
    post.body = " ".join(f"woord{n}" for n in range(40))
    post.save(update_fields=["body"])
    stored = Post.objects.get(pk=post.pk).excerpt_text
    assert stored.startswith("woord0 woord1") and stored.endswith("woord29…") and "woord30" not in stored


def test_a_post_written_around_the_orm_still_shows_its_excerpt(world):
    post = make_post(world.users["director"], school=world.school, body="Gewoon *tekst*.")
    Post.objects.filter(pk=post.pk).update(excerpt_text="")  # as bench/generate.py's COPY leaves it
    assert Post.objects.get(pk=post.pk).excerpt == "Gewoon tekst."


def test_the_feed_pages_have_newer_and_older_links_and_no_count(client, world, django_assert_max_num_queries):
    english(world.users["guardian"])
    now = timezone.now()
    for n in range(21):
        make_post(
            world.users["director"],
            school=world.school,
            title=f"Bericht {n:02d}",
            when=now - datetime.timedelta(hours=n + 1),
            publish=False,
        )
    client.force_login(world.users["guardian"])
    first = client.get(FEED).content.decode()
    assert "?pagina=2" in first and "Older" in first and "Newer" not in first
    assert "Page 1" in first and " of " not in first.split("Page 1")[1][:10]
    second = client.get(FEED + "?pagina=2").content.decode()
    assert "Bericht 20" in second and "Newer" in second and "?pagina=3" not in second
    assert client.get(FEED + "?pagina=3").status_code == 404  # past the oldest post
    assert client.get(FEED + "?pagina=abc").status_code == 200  # not a number: the first page
    with django_assert_max_num_queries(10) as captured:
        client.get(FEED)
    assert not [q for q in captured.captured_queries if "COUNT(" in q["sql"] and "news_post" in q["sql"]]


def test_the_home_block_and_the_feed_show_the_same_newest_posts(client, world):
    sem = enrolled_student(world.group6, first_name="Sem")
    GuardianshipFactory(student=sem, user=world.users["guardian"])
    _posts_of_every_kind(world)
    client.force_login(world.users["guardian"])
    home = client.get(reverse("web:home"))
    feed = client.get(FEED).content.decode()
    (block,) = [b for b in home.context["blocks"] if b.template == "news/_latest.html"]
    card_links = re.compile(r'class="news-item__title"><a href="([^"]+)"')
    home_links = card_links.findall(block.html)
    assert home_links and home_links == card_links.findall(feed)[: len(home_links)]


@pytest.mark.parametrize(("role", "state"), ACCESS_TABLE)
def test_visible_to_and_the_feed_path_read_one_rule_alike(world, role, state):
    """``post_q`` read from subqueries (``visible_to``) and from the request's id lists: same posts."""
    _posts_of_every_kind(world)
    make_post(world.users["board_admin_other_board"], school=world.other_school, title="B1")
    set_module_state(world, "news", state)
    user = world.users[role]
    expected = set(Post.objects.visible_to(user).values_list("pk", flat=True))
    found = set(Post.objects.filter(post_q(reach_ids(user))).values_list("pk", flat=True))
    assert found == expected
    # Not two empty sets: every role reads something, except the main school's parents when it is shut.
    assert bool(expected) == (state == "open" or role not in ("guardian", "other_guardian"))
