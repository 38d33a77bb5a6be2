"""Publishing: now, or at a set time through the task queue (the real database worker), once.
Time is controlled by the post's own time: in the past when the time has come, in the future when
it has not."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from schoolpoort.news.actions import delete_post, publish_post, save_post
from schoolpoort.news.models import Post
from schoolpoort.news.tasks import publish_scheduled_post
from schoolpoort.notify.models import Broadcast, Notification
from tests.news.news_helpers import make_post, run_worker
from tests.world import build_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    return build_world()


def published_broadcasts(post):
    return Broadcast.objects.filter(key=f"news.post:{post.pk}", event="news.published")


def test_publishing_now_notifies_the_audience_once_with_title_and_link(world):
    post = make_post(world.users["director"], school=world.school, title="Schoolfoto's", urgent=True)

    (broadcast,) = published_broadcasts(post)
    assert broadcast.module == "news" and broadcast.title == "Schoolfoto's"
    assert broadcast.url == f"/nieuws/{post.pk}/" and broadcast.urgent and broadcast.school_id == world.school.pk
    assert sorted(broadcast.recipient_ids) == sorted(
        world.users[r].pk for r in ("guardian", "other_guardian", "guardian_other_group")
    )
    post.refresh_from_db()
    assert post.notified_at is not None

    publish_post(post)  # e.g. the page is submitted again
    save_post(post)  # an edit of a published post
    run_worker()
    assert published_broadcasts(post).count() == 1
    # The fan-out made one in-app notification per recipient.
    assert Notification.objects.filter(key=f"news.post:{post.pk}").count() == 3


def test_a_board_post_is_sent_without_a_school(world):
    post = make_post(world.users["board_admin"], board=world.school.board)
    (broadcast,) = published_broadcasts(post)
    assert broadcast.school_id is None


def test_a_scheduled_post_is_not_visible_and_not_notified_before_its_time(world):
    later = timezone.now() + datetime.timedelta(hours=2)
    post = make_post(world.users["teacher"], groups=[world.group3], when=later)

    run_worker()

    assert not published_broadcasts(post).exists()
    assert not Post.objects.visible_to(world.users["guardian"]).filter(pk=post.pk).exists()
    (task,) = DBTaskResult.objects.filter(task_path__endswith="publish_scheduled_post")
    assert task.status == "READY" and task.run_after == later


def test_a_scheduled_post_whose_time_has_come_is_notified_once_by_the_worker(world):
    came = timezone.now() - datetime.timedelta(seconds=5)
    post = make_post(world.users["teacher"], groups=[world.group3], when=came, publish=False)
    publish_scheduled_post.using(run_after=came).enqueue(post.pk, came.isoformat())
    publish_scheduled_post.using(run_after=came).enqueue(post.pk, came.isoformat())  # twice: still once

    run_worker()
    run_worker()

    (broadcast,) = published_broadcasts(post)
    assert sorted(broadcast.recipient_ids) == sorted([world.users["guardian"].pk, world.users["other_guardian"].pk])
    post.refresh_from_db()
    assert post.notified_at is not None
    assert Post.objects.visible_to(world.users["guardian"]).filter(pk=post.pk).exists()


def test_a_task_for_an_old_time_does_nothing_after_the_time_was_changed(world):
    old = timezone.now() - datetime.timedelta(seconds=5)
    post = make_post(world.users["director"], school=world.school, when=old, publish=False)
    publish_scheduled_post.using(run_after=old).enqueue(post.pk, old.isoformat())
    post.publish_at = timezone.now() + datetime.timedelta(days=1)  # moved to tomorrow
    save_post(post)

    run_worker()

    assert not published_broadcasts(post).exists()
    post.refresh_from_db()
    assert post.notified_at is None
    new_tasks = DBTaskResult.objects.filter(task_path__endswith="publish_scheduled_post", status="READY")
    assert [task.run_after for task in new_tasks] == [post.publish_at]


def test_a_task_for_a_deleted_post_does_nothing(world):
    came = timezone.now() - datetime.timedelta(seconds=5)
    post = make_post(world.users["director"], school=world.school, when=came, publish=False)
    publish_scheduled_post.using(run_after=came).enqueue(post.pk, came.isoformat())
    delete_post(post, world.users["director"])

    run_worker()

    assert not Broadcast.objects.exists()
    result = DBTaskResult.objects.get(task_path__endswith="publish_scheduled_post")
    assert result.status == "SUCCESSFUL" and result.return_value is False


def test_deleting_a_published_post_takes_its_notifications_away(world):
    post = make_post(world.users["director"], school=world.school)
    run_worker()
    assert Notification.objects.filter(key=f"news.post:{post.pk}").exists()

    delete_post(post, world.users["director"])

    assert not Notification.objects.filter(key=f"news.post:{post.pk}").exists()


def test_a_post_that_fails_to_save_notifies_no_one(world):
    post = Post(audience="school", school=world.school, title="Half", author=world.users["director"])
    with pytest.raises(RuntimeError), transaction.atomic():
        save_post(post)
        raise RuntimeError("something after it failed")
    run_worker()
    assert not Broadcast.objects.exists() and not Post.objects.exists()
