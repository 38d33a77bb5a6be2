"""Every count of the page header (the bell per module, the inbox's unread conversations) comes
from one query per request: the modules' ``counts.count_rows`` run as one UNION ALL by the kernel
(core/counts.py). Each module reads back only its own keys."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from schoolpoort.core.access import request_modules
from schoolpoort.core.counts import request_counts
from schoolpoort.core.models import ModuleSwitch
from schoolpoort.messaging import actions as messaging_actions
from schoolpoort.messaging.counts import header_counts
from schoolpoort.notify.api import unread_by_module
from tests.messaging.helpers import teacher_thread
from tests.notify.notify_helpers import fan_out_now, send
from tests.world import build_world


@pytest.fixture
def world(db):
    return build_world()


def signed_in_request(user):
    request = RequestFactory().get("/")
    request.user = user
    request_modules(request)  # the reach, as every signed-in page reads it first
    return request


def test_the_bell_and_the_inbox_count_in_one_query_each_module_its_own_keys(world):
    guardian = world.users["guardian"]
    # Two notifications of the messaging module and one unread conversation: the same module code,
    # two different counts that must not add up.
    for index in range(2):
        fan_out_now(send([guardian], module="messaging", key=f"messaging.message:{index}", url="/berichten/"))
    fan_out_now(send([guardian]))
    messaging_actions.post_message(teacher_thread(world, subject="Een"), world.users["teacher"], "Hallo")
    request = signed_in_request(guardian)
    with CaptureQueriesContext(connection) as queries:
        assert unread_by_module(request) == {"messaging": 2, "news": 1}
        assert header_counts(request) == {"usable": True, "unread": 1}
    assert len(queries.captured_queries) == 1 and "UNION ALL" in queries.captured_queries[0]["sql"]


def test_where_messages_are_switched_off_the_bell_still_counts_in_one_query(world):
    ModuleSwitch.objects.filter(module="messaging").update(enabled=False)
    guardian = world.users["guardian"]
    fan_out_now(send([guardian]))
    request = signed_in_request(guardian)
    with CaptureQueriesContext(connection) as queries:
        assert header_counts(request) == {"usable": False, "unread": 0}
        assert unread_by_module(request) == {"news": 1}
    assert len(queries.captured_queries) == 1 and "UNION" not in queries.captured_queries[0]["sql"]


def test_an_anonymous_visitor_costs_no_query(world):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as queries:
        assert request_counts(request) == {}
        assert header_counts(request) == {"usable": False, "unread": 0}
        assert unread_by_module(request) == {}
    assert queries.captured_queries == []
