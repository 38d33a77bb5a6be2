"""The feed and one message: newest first with pinned posts on top, unread posts marked, urgent
ones highlighted, 20 per page, a filter per child; opening a message marks it read."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from schoolpoort.news.models import PostRead
from schoolpoort.notify.models import Notification
from tests.factories import GroupFactory, GuardianshipFactory, UserFactory, enrolled_student
from tests.news.news_helpers import english, make_post, run_worker

FEED = reverse("news:feed")


def ago(**kwargs):
    return timezone.now() - datetime.timedelta(**kwargs)


# Queries of the feed when the user's reach and the page's cards are cached: the session, the
# user, the versions of the reach and the news (one read; none with Redis), the shell's counts
# (one query); for staff three more, the session saved on every request (their idle timeout,
# STAFF_IDLE_MINUTES).
FEED_QUERIES = {"guardian": 3, "teacher": 6, "director": 6, "board_admin": 6}


def titles(page: str) -> list[str]:
    return re.findall(r'class="news-item__title"><a href="[^"]+">(?:<span[^>]*>[^<]*</span>)?([^<]+)</a>', page)


def feed_as(client, user, query="") -> str:
    client.force_login(user)
    response = client.get(FEED + query)
    assert response.status_code == 200
    return response.content.decode()


def test_newest_first_with_pinned_posts_on_top(client, world):
    director = world.users["director"]
    make_post(director, school=world.school, title="Oud maar vastgezet", when=ago(days=9), pinned=True)
    make_post(director, school=world.school, title="Middel", when=ago(days=3))
    make_post(world.users["teacher"], groups=[world.group3], title="Nieuwst", when=ago(hours=1))
    assert titles(feed_as(client, world.users["guardian"])) == ["Oud maar vastgezet", "Nieuwst", "Middel"]


def test_unread_posts_carry_a_visible_label_and_a_bold_title_until_opened(client, world):
    guardian = world.users["guardian"]
    english(guardian)
    post = make_post(world.users["director"], school=world.school, title="Nieuwe gymzaal")
    page = feed_as(client, guardian)
    assert '<li class="badge badge--new">New</li>' in page
    assert "news-item--new" in page  # the class that makes the title bold

    assert client.get(post.get_absolute_url()).status_code == 200

    page = feed_as(client, guardian)
    assert "badge--new" not in page and "news-item--new" not in page


def test_urgent_posts_stand_out_with_a_label(client, world):
    guardian = world.users["guardian"]
    english(guardian)
    make_post(world.users["director"], school=world.school, title="School dicht", urgent=True)
    page = feed_as(client, guardian)
    assert "news-item--urgent" in page and '<li class="badge badge--urgent">Urgent</li>' in page


def test_twenty_posts_per_page(client, world):
    for n in range(23):
        make_post(world.users["director"], school=world.school, title=f"Bericht {n:02d}", when=ago(hours=n + 1))
    first = titles(feed_as(client, world.users["guardian"]))
    second = titles(feed_as(client, world.users["guardian"], "?pagina=2"))
    assert len(first) == 20 and first[0] == "Bericht 00"
    assert second == ["Bericht 20", "Bericht 21", "Bericht 22"]


def test_a_family_with_two_children_can_show_the_news_of_one(client, world):
    guardian = world.users["guardian"]
    sem = enrolled_student(world.group6, first_name="Sem", last_name="Jansen")
    GuardianshipFactory(student=sem, user=guardian)
    make_post(world.users["teacher"], groups=[world.group3], title="Voor groep 3")
    make_post(world.users["teacher_other_group"], groups=[world.group6], title="Voor groep 6")
    make_post(world.users["director"], school=world.school, title="Voor de school")

    assert set(titles(feed_as(client, guardian))) == {"Voor groep 3", "Voor groep 6", "Voor de school"}
    only_noor = titles(feed_as(client, guardian, f"?kind={world.child.pk}"))
    assert set(only_noor) == {"Voor groep 3", "Voor de school"}
    only_sem = titles(feed_as(client, guardian, f"?kind={sem.pk}"))
    assert set(only_sem) == {"Voor groep 6", "Voor de school"}
    # Someone else's child is no filter at all.
    assert client.get(FEED + f"?kind={world.classmate_of_other_group.pk}").status_code == 404


def test_staff_see_their_scheduled_posts_marked_as_scheduled(client, world):
    teacher = world.users["teacher"]
    english(teacher)
    make_post(teacher, groups=[world.group3], title="Later", when=timezone.now() + datetime.timedelta(days=2))
    page = feed_as(client, teacher)
    assert "Later" in page and "Scheduled for" in page
    assert "Later" not in feed_as(client, world.users["guardian"])


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_opening_a_post_marks_it_and_its_notification_read(client, world):
    guardian = world.users["guardian"]
    post = make_post(world.users["director"], school=world.school, title="Rapporten", body="Het **rapport** komt.")
    run_worker()  # the fan-out makes the in-app notifications
    assert Notification.objects.filter(recipient=guardian, key=f"news.post:{post.pk}", read_at=None).exists()

    client.force_login(guardian)
    page = client.get(post.get_absolute_url()).content.decode()
    client.get(post.get_absolute_url())  # twice: one receipt

    assert "Het <strong>rapport</strong> komt." in page
    assert PostRead.objects.filter(post=post, user=guardian).count() == 1
    assert not Notification.objects.filter(recipient=guardian, key=f"news.post:{post.pk}", read_at=None).exists()
    other = world.users["other_guardian"]
    assert Notification.objects.filter(recipient=other, key=f"news.post:{post.pk}", read_at=None).exists()


def test_a_scheduled_post_opened_by_staff_is_not_counted_as_read(client, world):
    director = world.users["director"]
    post = make_post(director, school=world.school, when=timezone.now() + datetime.timedelta(days=1))
    client.force_login(director)
    assert client.get(post.get_absolute_url()).status_code == 200
    assert not PostRead.objects.exists()


# --- A fixed number of queries, whatever the amount of news ------------------------------------


def _more_news(world):
    """More posts of every kind, with groups, attachments and read receipts; more children."""
    from django.core.files.base import ContentFile

    from schoolpoort.news.uploads import prepare_upload, store_upload

    guardian = world.users["guardian"]
    group4 = GroupFactory(school=world.school, grades="4")
    for n in range(3):
        child = enrolled_student(group4 if n else world.group6)
        GuardianshipFactory(student=child, user=guardian)
    for n in range(25):
        post = make_post(world.users["teacher"], groups=[world.group3, world.group6, group4], when=ago(hours=n + 2))
        store_upload(post, prepare_upload(ContentFile(b"%PDF-1.4 x", name=f"brief{n}.pdf")))
        if n % 2:
            PostRead.objects.create(post=post, user=guardian)
    make_post(world.users["board_admin"], board=world.school.board, urgent=True, pinned=True)


@pytest.mark.parametrize("role", ["guardian", "teacher", "director", "board_admin"])
def test_the_feed_takes_the_same_number_of_queries_for_more_news(
    client, world, role, django_assert_num_queries, django_assert_max_num_queries
):
    from schoolpoort.core.access import reach_changed

    make_post(world.users["director"], school=world.school)
    client.force_login(world.users[role])
    client.get(FEED)  # the versions of the reach and of the news exist from here on
    reach_changed()  # the reach and the cards read anew, as after any change of access
    with CaptureQueriesContext(connection) as small:
        assert client.get(FEED).status_code == 200

    _more_news(world)  # bumps the reach too (new groups and children)

    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(FEED)
    assert response.status_code == 200 and len(titles(response.content.decode())) == 20
    # Read again with the reach and the cards in the cache (the usual request): a fixed, low number.
    with django_assert_num_queries(FEED_QUERIES[role]):
        assert client.get(FEED).status_code == 200


def test_the_home_page_shows_the_latest_news(client, world):
    english(world.users["guardian"])
    make_post(world.users["director"], school=world.school, title="Nieuws voor thuis")
    client.force_login(world.users["guardian"])
    page = client.get(reverse("web:home")).content.decode()
    assert "Latest news" in page and "Nieuws voor thuis" in page


def test_a_user_without_schools_has_no_news(client, db):
    client.force_login(UserFactory())
    assert client.get(FEED).status_code == 404


def test_a_cards_groups_come_with_its_row_sorted_as_on_the_post_page(client, world):
    """The feed reads each post's groups in the post's own row (lib/db.JoinedText) instead of a
    query of their own; the label is the one built from the groups themselves (the post page's)."""
    from schoolpoort.news.listing import group_names
    from schoolpoort.news.models import Post

    school = world.group3.school
    later = GroupFactory(school=school, name="Groep 8", grades="8")
    mixed = GroupFactory(school=school, name="Groep 5/6, de Uilen", grades="5/6")
    post = make_post(world.users["teacher"], groups=[later, world.group3, mixed], title="Drie groepen")
    expected = f"{world.group3.name}, Groep 5/6, de Uilen, Groep 8 · {school.name}"
    assert Post.objects.prefetch_related("groups").get(pk=post.pk).audience_label == expected
    assert Post.objects.annotate(group_names=group_names()).get(pk=post.pk).audience_label == expected
    page = feed_as(client, world.users["guardian"])
    card = page[page.index("Drie groepen"):]
    assert escape(expected) in card[: card.index("</li>")]
