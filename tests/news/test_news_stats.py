"""Read figures: "read by 1 of 2 families", who has not read it, and a reminder for only those."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from schoolpoort.news.audience import read_stats
from schoolpoort.news.models import PostRead
from schoolpoort.notify.models import Broadcast
from tests.factories import GuardianshipFactory, UserFactory, enrolled_student
from tests.news.news_helpers import english, make_post


@pytest.fixture
def school_post(world):
    # Families: Noor Jansen (guardian and other_guardian) and Lotte de Vries (guardian_other_group).
    return make_post(world.users["director"], school=world.school, title="Ouderavond")


def stats_page(client, user, post) -> str:
    client.force_login(user)
    response = client.get(reverse("news:stats", args=[post.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_family_has_read_it_when_one_of_its_guardians_has(client, world, school_post):
    director = world.users["director"]
    english(director)
    assert "Read by 0 of 2 families" in stats_page(client, director, school_post)

    client.force_login(world.users["other_guardian"])  # Noor's other parent, separated, own account
    client.get(school_post.get_absolute_url())

    page = stats_page(client, director, school_post)
    assert "Read by 1 of 2 families" in page
    unread = page.split('id="unread-heading"')[1]
    assert "Lotte de Vries" in unread and escape(world.users["guardian_other_group"].get_full_name()) in unread
    assert "Noor Jansen" not in unread


def test_the_reminder_goes_to_the_unread_families_only(client, world, school_post):
    PostRead.objects.create(post=school_post, user=world.users["guardian"])
    client.force_login(world.users["director"])

    response = client.post(reverse("news:stats", args=[school_post.pk]), {"remind": "1"})

    assert response.status_code == 302
    (reminder,) = Broadcast.objects.filter(event="news.reminder")
    assert reminder.recipient_ids == [world.users["guardian_other_group"].pk]
    assert reminder.key.startswith(f"news.post:{school_post.pk}:reminder:")
    assert reminder.url == school_post.get_absolute_url()
    school_post.refresh_from_db()
    assert school_post.reminded_at is not None


def test_no_reminder_when_every_family_has_read_it(client, world, school_post):
    for role in ("other_guardian", "guardian_other_group"):
        PostRead.objects.create(post=school_post, user=world.users[role])
    english(world.users["director"])
    page = stats_page(client, world.users["director"], school_post)
    assert "Every family has read the message." in page and 'name="remind"' not in page
    client.post(reverse("news:stats", args=[school_post.pk]), {"remind": "1"})
    assert not Broadcast.objects.filter(event="news.reminder").exists()


def test_the_teacher_who_wrote_it_sees_the_figures_of_their_group_post(client, world):
    post = make_post(world.users["teacher"], groups=[world.group3])
    english(world.users["teacher"])
    page = stats_page(client, world.users["teacher"], post)
    assert "Read by 0 of 1 family" in page and "Noor Jansen" in page


def test_reading_does_not_count_a_guardian_outside_the_audience(world, school_post):
    PostRead.objects.create(post=school_post, user=world.users["guardian_other_school"])
    assert read_stats(school_post).read == 0


def test_the_read_figures_take_the_same_number_of_queries_for_more_families(
    client, world, school_post, django_assert_num_queries
):
    from schoolpoort.core.access import reach_changed

    client.force_login(world.users["director"])
    url = reverse("news:stats", args=[school_post.pk])
    client.get(url)  # the reach cache's versions exist from here on
    reach_changed()  # both sides measured with the reach read anew
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200

    for n in range(15):
        child = enrolled_student(world.group6 if n % 2 else world.group3)
        parents = [UserFactory(), UserFactory()]
        for parent in parents:
            GuardianshipFactory(student=child, user=parent)
        if n % 3 == 0:
            PostRead.objects.create(post=school_post, user=parents[0])

    reach_changed()
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.context["stats"].total == 17
