"""The header's counts are kept per user across requests (core/counts.py) under the user's own
"counts" version: a page makes no query for them until a write may have changed them. Every kind
of write that changes the bell or the inbox count shows on the very next request: the fan-out's
bulk insert, a "mark read" (its ``update()``), a notification deleted, a conversation's new
message, a conversation read or muted; and one user's kept counts never answer for another."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from schoolpoort.core.access import request_modules
from schoolpoort.core.counts import request_counts
from schoolpoort.messaging import actions as messaging_actions
from schoolpoort.messaging.counts import header_counts
from schoolpoort.messaging.models import Participant
from schoolpoort.notify import api as notify_api
from schoolpoort.notify.api import unread_by_module
from schoolpoort.notify.models import Notification
from tests.messaging.helpers import teacher_thread
from tests.notify.notify_helpers import fan_out_now, send
from tests.world import build_world


@pytest.fixture
def world(db):
    return build_world()


def signed_in(user):
    """A new request of the user (the user object as the session middleware loads it anew: a
    request keeps its read of the versions on it)."""
    request = RequestFactory().get("/")
    request.user = type(user).objects.get(pk=user.pk)
    return request


def page(user) -> dict:
    """What the next page's header shows the user, as a fresh request reads it."""
    request = signed_in(user)
    request_modules(request)
    return {"bell": unread_by_module(request), "inbox": header_counts(request)["unread"]}


def queries_of_counts(user) -> int:
    request = signed_in(user)
    request_modules(request)
    with CaptureQueriesContext(connection) as queries:
        request_counts(request)
    return len(queries.captured_queries)


def test_kept_counts_cost_no_query_until_something_changes(world):
    guardian = world.users["guardian"]
    fan_out_now(send([guardian]))
    assert page(guardian)["bell"] == {"news": 1}
    assert queries_of_counts(guardian) == 0
    fan_out_now(send([guardian], key="news.post:2"))
    assert queries_of_counts(guardian) == 1
    assert page(guardian)["bell"] == {"news": 2}


def test_a_notification_fanned_out_to_a_school_shows_for_each_at_once(world):
    guardian, teacher = world.users["guardian"], world.users["teacher"]
    assert page(guardian)["bell"] == {} and page(teacher)["bell"] == {}
    fan_out_now(send([guardian, teacher], key="news.post:7"))  # Notification.objects.bulk_create
    assert page(guardian)["bell"] == {"news": 1}
    assert page(teacher)["bell"] == {"news": 1}


def test_marking_read_shows_on_the_next_page(world):
    guardian = world.users["guardian"]
    fan_out_now(send([guardian], key="news.post:1"))
    fan_out_now(send([guardian], key="conferences.round:4", module="conferences"))
    fan_out_now(send([guardian], key="conferences.round:4:reminder", module="conferences"))
    assert page(guardian)["bell"] == {"news": 1, "conferences": 2}
    notify_api.mark_read(guardian, "news.post:1")
    assert page(guardian)["bell"] == {"conferences": 2}
    notify_api.mark_read_under(guardian, "conferences.round:4")
    assert page(guardian)["bell"] == {}
    fan_out_now(send([guardian], key="news.post:2"))
    assert page(guardian)["bell"] == {"news": 1}
    notify_api.mark_all_read(guardian)
    assert page(guardian)["bell"] == {}


def test_any_other_update_or_delete_of_notifications_shows_too(world):
    guardian = world.users["guardian"]
    fan_out_now(send([guardian], key="news.post:1"))
    fan_out_now(send([guardian], key="news.post:2"))
    assert page(guardian)["bell"] == {"news": 2}
    Notification.objects.filter(key="news.post:1").update(read_at=Notification.objects.first().created_at)
    assert page(guardian)["bell"] == {"news": 1}
    notify_api.cancel("news.post:2")  # the post was deleted: its notifications go
    assert page(guardian)["bell"] == {}
    fan_out_now(send([guardian], key="news.post:3"))
    assert page(guardian)["bell"] == {"news": 1}
    Notification.objects.get(key="news.post:3").delete()
    assert page(guardian)["bell"] == {}


def test_a_new_message_read_and_muted_conversations_show_in_the_inbox_count(world):
    guardian, teacher = world.users["guardian"], world.users["teacher"]
    conversation = teacher_thread(world, subject="Gym")
    assert page(teacher)["inbox"] == 1 and page(guardian)["inbox"] == 0
    messaging_actions.mark_read(conversation, teacher)  # Participant update()
    assert page(teacher)["inbox"] == 0
    messaging_actions.post_message(conversation, teacher, "Dank je")  # Conversation update()
    assert page(guardian)["inbox"] == 1 and page(teacher)["inbox"] == 0
    messaging_actions.set_muted(Participant.objects.get(conversation=conversation, user=guardian), True)
    assert page(guardian)["inbox"] == 0
    messaging_actions.set_muted(Participant.objects.get(conversation=conversation, user=guardian), False)
    assert page(guardian)["inbox"] == 1
    Participant.objects.filter(conversation=conversation, user=guardian).delete()
    assert page(guardian)["inbox"] == 0


def test_one_users_kept_counts_never_answer_for_another(world):
    guardian, other = world.users["guardian"], world.users["other_guardian"]
    for index in range(3):
        fan_out_now(send([guardian], key=f"news.post:{index}"))
    assert page(guardian)["bell"] == {"news": 3}
    assert page(other)["bell"] == {}
    fan_out_now(send([other], key="news.post:9"))
    assert page(other)["bell"] == {"news": 1}
    assert queries_of_counts(guardian) == 0  # the other's notification left the guardian's counts kept
    assert page(guardian)["bell"] == {"news": 3}
