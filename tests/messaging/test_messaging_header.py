"""The header's messages link reads the usable schools once as plain ids and counts with them:
the same figures as the access layer's subqueries for every role and module state, two queries
(one where messages are not usable), once per request."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from schoolpoort.core.models import ModuleClosure, ModuleSwitch, School
from schoolpoort.messaging import actions
from schoolpoort.messaging.access import usable_school_ids
from schoolpoort.messaging.counts import header_counts, unread_conversations
from schoolpoort.messaging.models import Participant
from tests.factories import GuardianshipFactory
from tests.messaging.helpers import teacher_thread
from tests.world import ROLES


def _request(user):
    """A new request of the user, whose user object is loaded anew as the session middleware does
    (a request keeps its read of the versions of kept parts on it)."""
    request = RequestFactory().get("/")
    request.user = type(user).objects.get(pk=user.pk) if user.is_authenticated else user
    return request


def _unread_everywhere(world):
    """Unread: the second question for the teacher, the answer for the guardians (muted by one)."""
    users = world.users
    first = teacher_thread(world, subject="Eerste")
    teacher_thread(world, subject="Tweede")
    actions.post_message(first, users["teacher"], "Antwoord")
    Participant.objects.filter(conversation=first, user=users["other_guardian"]).update(muted=True)


@pytest.mark.parametrize("state", ["open", "closed today", "switched off"])
@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_the_header_counts_what_the_access_layer_counts(world, role, state):
    _unread_everywhere(world)
    # A teacher who is a parent at their own school too.
    GuardianshipFactory(student=world.classmate_of_other_group, user=world.users["teacher"])
    today = timezone.localdate()
    if state == "closed today":
        ModuleClosure.objects.create(school=world.school, module="messaging", starts_on=today, ends_on=today)
    elif state == "switched off":
        ModuleSwitch.objects.filter(school=world.school, module="messaging").update(enabled=False)
    user = world.users[role]
    usable = School.objects.filter(pk__in=usable_school_ids(user)).exists()
    expected = {"usable": usable, "unread": unread_conversations(user) if usable else 0}
    assert header_counts(_request(user)) == expected


def test_the_header_costs_one_query_once_per_request_beside_the_shells_module_states(world):
    from schoolpoort.core.access import request_modules

    _unread_everywhere(world)
    request = _request(world.users["teacher"])
    request_modules(request)  # read by the app shell on every page (and kept in the reach cache)
    with CaptureQueriesContext(connection) as queries:
        assert header_counts(request) == {"usable": True, "unread": 1}
        assert header_counts(request) == {"usable": True, "unread": 1}
    assert len(queries.captured_queries) == 1


def test_no_query_where_messages_are_not_usable(world):
    from schoolpoort.core.access import request_modules

    ModuleSwitch.objects.filter(module="messaging").update(enabled=False)
    request = _request(world.users["guardian"])
    request_modules(request)  # read by the app shell on every page (and kept in the reach cache)
    with CaptureQueriesContext(connection) as queries:
        assert header_counts(request) == {"usable": False, "unread": 0}
    assert len(queries.captured_queries) == 0


def test_a_new_request_sees_a_new_message(world):
    conversation = teacher_thread(world)
    parent = world.users["guardian"]
    assert header_counts(_request(parent))["unread"] == 0
    actions.post_message(conversation, world.users["teacher"], "Antwoord")
    assert header_counts(_request(parent))["unread"] == 1


def test_anonymous_has_no_messages(world):
    assert header_counts(_request(world.users["anonymous"])) == {"usable": False, "unread": 0}
