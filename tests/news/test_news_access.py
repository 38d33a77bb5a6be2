"""Who sees which post, role by role: both the yes and the no, through ``visible_to`` (as views
fetch) and through the pages. A module that is off, or closed for parents, hides the news."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from schoolpoort.core.models import Guardianship, ModuleClosure, ModuleSwitch
from schoolpoort.news.models import Post
from schoolpoort.news.uploads import prepare_upload, store_upload
from tests.factories import GroupFactory, GuardianshipFactory, enrolled_student
from tests.news.news_helpers import make_post

POSTS = ["group3", "group6", "school", "board", "sister_school", "other_board", "scheduled", "own_scheduled"]
Y, N = True, False
MATRIX = {
    #                        group3 group6 school board sister other sched own_sched
    "guardian":                (Y, N, Y, Y, N, N, N, N),
    "other_guardian":          (Y, N, Y, Y, N, N, N, N),
    "guardian_other_group":    (N, Y, Y, Y, N, N, N, N),
    "guardian_other_school":   (N, N, N, N, N, Y, N, N),
    "teacher":                 (Y, N, Y, Y, N, N, N, Y),
    "teacher_other_group":     (N, Y, Y, Y, N, N, N, N),
    "administration":          (Y, Y, Y, Y, N, N, Y, Y),
    "director":                (Y, Y, Y, Y, N, N, Y, Y),
    "board_admin":             (Y, Y, Y, Y, Y, N, Y, Y),
    "board_admin_other_board": (N, N, N, N, N, Y, N, N),
    "anonymous":               (N, N, N, N, N, N, N, N),
}


@pytest.fixture
def posts(world):
    users = world.users
    later = timezone.now() + datetime.timedelta(days=3)
    return {
        "group3": make_post(users["teacher"], groups=[world.group3], title="Groep 3"),
        "group6": make_post(users["teacher_other_group"], groups=[world.group6], title="Groep 6"),
        "school": make_post(users["director"], school=world.school, title="School A1"),
        "board": make_post(users["board_admin"], board=world.school.board, title="Stichting A"),
        "sister_school": make_post(users["board_admin"], school=world.sister_school, title="School A2"),
        "other_board": make_post(users["board_admin_other_board"], school=world.other_school, title="School B1"),
        "scheduled": make_post(users["director"], school=world.school, when=later, title="Later A1"),
        "own_scheduled": make_post(users["teacher"], groups=[world.group3], when=later, title="Later groep 3"),
    }


@pytest.mark.parametrize("role", MATRIX)
def test_visible_to_holds_exactly_what_the_role_may_see(world, posts, role):
    visible = set(Post.objects.visible_to(world.users[role]).values_list("pk", flat=True))
    expected = {posts[name].pk for name, yes in zip(POSTS, MATRIX[role], strict=True) if yes}
    assert visible == expected


@pytest.mark.parametrize("role", [r for r in MATRIX if r != "anonymous"])
def test_the_detail_page_follows_the_matrix(client, world, posts, role):
    client.force_login(world.users[role])
    for name, yes in zip(POSTS, MATRIX[role], strict=True):
        response = client.get(reverse("news:detail", args=[posts[name].pk]))
        assert response.status_code == (200 if yes else 404), name


@pytest.mark.parametrize("role", [r for r in MATRIX if r != "anonymous"])
def test_the_feed_holds_exactly_the_published_posts_the_role_may_see(client, world, posts, role):
    client.force_login(world.users[role])
    page = client.get(reverse("news:feed")).content.decode()
    for name, yes in zip(POSTS, MATRIX[role], strict=True):
        link = f'href="{reverse("news:detail", args=[posts[name].pk])}"'
        assert (link in page) is yes, name


def test_anonymous_visitors_are_sent_to_the_login_page(client, world, posts):
    for url in (reverse("news:feed"), reverse("news:detail", args=[posts["school"].pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def _attach(post, name="brief.pdf", data=b"%PDF-1.4\n%demo\n"):
    return store_upload(post, prepare_upload(ContentFile(data, name=name)))


@pytest.mark.parametrize("role", [r for r in MATRIX if r != "anonymous"])
def test_an_attachment_is_there_for_exactly_who_sees_the_post(client, world, posts, role):
    attachment = _attach(posts["group3"])
    client.force_login(world.users[role])
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == (200 if MATRIX[role][0] else 404)


def test_an_attachment_is_only_found_under_its_own_post(client, world, posts):
    attachment = _attach(posts["group6"])
    client.force_login(world.users["guardian"])  # sees the school post, not group 6
    url = reverse("news:attachment", args=[posts["school"].pk, attachment.pk])
    assert client.get(url).status_code == 404
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_a_guardian_kept_from_class_pages_gets_school_news_but_not_group_news(world, posts):
    Guardianship.objects.filter(user=world.users["other_guardian"]).update(sees_class_pages=False)
    visible = set(Post.objects.visible_to(world.users["other_guardian"]))
    assert posts["school"] in visible and posts["board"] in visible
    assert posts["group3"] not in visible


def test_a_child_who_left_school_takes_the_news_along(world, posts):
    world.child.archived_at = timezone.now()
    world.child.save()
    assert not Post.objects.visible_to(world.users["guardian"]).exists()


# --- The module switched off, or closed for a period -----------------------------------------


def test_news_switched_off_is_404_for_everyone_and_gone_from_the_feed(client, world, posts):
    ModuleSwitch.objects.filter(school=world.school, module="news").update(enabled=False)
    assert not Post.objects.visible_to(world.users["guardian"]).filter(school=world.school).exists()
    for role in ("guardian", "teacher", "director"):
        client.force_login(world.users[role])
        assert client.get(reverse("news:feed")).status_code == 404, role
        assert client.get(reverse("news:detail", args=[posts["school"].pk])).status_code == 404, role
    # The board admin still has the sister school, where news is on; school A1's posts are gone.
    client.force_login(world.users["board_admin"])
    page = client.get(reverse("news:feed")).content.decode()
    assert posts["sister_school"].title in page and posts["school"].title not in page
    assert client.get(reverse("news:detail", args=[posts["group3"].pk])).status_code == 404


def test_news_closed_for_a_period_is_404_for_parents_but_not_for_staff(client, world, posts):
    today = timezone.localdate()
    ModuleClosure.objects.create(school=world.school, module="news", starts_on=today, ends_on=today)
    assert not Post.objects.visible_to(world.users["guardian"]).exists()
    client.force_login(world.users["guardian"])
    assert client.get(reverse("news:feed")).status_code == 404
    assert client.get(reverse("news:detail", args=[posts["school"].pk])).status_code == 404
    client.force_login(world.users["teacher"])
    assert client.get(reverse("news:detail", args=[posts["school"].pk])).status_code == 200


def test_a_family_at_two_schools_sees_board_news_where_news_is_open_at_one_of_them(client, world, posts):
    ModuleSwitch.objects.filter(school=world.school, module="news").update(enabled=False)
    sister_child = enrolled_student(GroupFactory(school=world.sister_school, grades="5"))
    GuardianshipFactory(student=sister_child, user=world.users["guardian"])
    visible = set(Post.objects.visible_to(world.users["guardian"]))
    assert visible == {posts["board"], posts["sister_school"]}
    client.force_login(world.users["guardian"])
    page = client.get(reverse("news:feed")).content.decode()
    assert posts["board"].title in page and posts["sister_school"].title in page
    assert posts["school"].title not in page
