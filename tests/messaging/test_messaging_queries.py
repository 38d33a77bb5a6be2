"""The inbox, a conversation, the form and the search take the same number of queries however many
conversations, messages, attachments, participants or pupils there are."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schoolpoort.messaging import actions
from schoolpoort.messaging.recipients import TOGETHER
from schoolpoort.messaging.uploads import prepare_upload
from tests.factories import GuardianshipFactory, enrolled_student
from tests.messaging.helpers import start_one, teacher_thread


def count(client, url, **params) -> int:
    """The queries of a page in its steady state: a first visit warms the process's caches (such
    as Django's content types, cached for the process's lifetime), which a test run before this one
    may or may not have done."""
    client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries.captured_queries)


def more_of_everything(world, conversations=8):
    users = world.users
    for n in range(conversations):
        conversation = teacher_thread(world, subject=f"Vraag {n}", body=f"Bericht {n}")
        actions.post_message(conversation, users["teacher"], f"Antwoord {n}")
    for _n in range(5):
        GuardianshipFactory(student=enrolled_student(world.group3))
    start_one(users["teacher"], f"group:{world.group3.pk}", mode=TOGETHER, subject="Groep 3")


@pytest.mark.parametrize("role", ["guardian", "teacher"])
def test_the_inbox_takes_the_same_number_of_queries_for_more_conversations(
    client, world, role, django_assert_num_queries
):
    teacher_thread(world)
    client.force_login(world.users[role])
    small = count(client, reverse("messaging:inbox"))
    more_of_everything(world)
    client.get(reverse("messaging:inbox"))  # the steady state again: the new conversations changed the counts
    with django_assert_num_queries(small):
        response = client.get(reverse("messaging:inbox"))
    assert len(response.context["page"].object_list) == 10


@pytest.mark.parametrize("role", ["guardian", "teacher"])
def test_a_conversation_takes_the_same_number_of_queries_for_more_messages(
    client, world, role, django_assert_num_queries
):
    users = world.users
    conversation = start_one(users["teacher"], f"group:{world.group3.pk}", mode=TOGETHER)
    client.force_login(users[role])
    small = count(client, conversation.get_absolute_url())

    for _n in range(4):
        GuardianshipFactory(student=enrolled_student(world.group3))
    for n in range(12):
        pdf = prepare_upload(ContentFile(b"%PDF-1.4", name=f"brief{n}.pdf"))
        actions.post_message(conversation, users["teacher"] if n % 2 else users["guardian"], f"Bericht {n}", [pdf])
    with django_assert_num_queries(small):
        response = client.get(conversation.get_absolute_url())
    assert len(response.context["messages_shown"]) == 13


def test_the_poll_fragment_takes_the_same_number_of_queries_for_more_new_messages(
    client, world, django_assert_num_queries
):
    users = world.users
    conversation = teacher_thread(world)
    first = conversation.messages.get()
    poll = reverse("messaging:poll", args=[conversation.pk])
    actions.post_message(conversation, users["teacher"], "Een")
    client.force_login(users["guardian"])
    small = count(client, poll, na=first.pk)
    for n in range(6):
        pdf = prepare_upload(ContentFile(b"%PDF-1.4", name=f"brief{n}.pdf"))
        actions.post_message(conversation, users["teacher"], f"Bericht {n}", [pdf])
    with django_assert_num_queries(small):
        client.get(poll, {"na": first.pk})


@pytest.mark.parametrize("role", ["guardian", "teacher", "director"])
def test_the_form_takes_the_same_number_of_queries_for_more_pupils(client, world, role, django_assert_num_queries):
    client.force_login(world.users[role])
    small = count(client, reverse("messaging:compose"))
    for _n in range(6):
        student = enrolled_student(world.group3)
        GuardianshipFactory(student=student)
        GuardianshipFactory(student=student, hides_contact_from_other_guardians=True)
        GuardianshipFactory(student=enrolled_student(world.group6))
    GuardianshipFactory(student=enrolled_student(world.group6), user=world.users["guardian"])  # a second child
    client.get(reverse("messaging:compose"))  # warm again: the new child changed the guardian's reach
    with django_assert_num_queries(small):
        client.get(reverse("messaging:compose"))


def test_the_search_takes_the_same_number_of_queries_for_more_results(client, world, django_assert_num_queries):
    teacher_thread(world, body="zoekwoord")
    client.force_login(world.users["guardian"])
    small = count(client, reverse("messaging:search"), q="zoekwoord")
    more_of_everything(world)
    for n in range(5):
        teacher_thread(world, body=f"zoekwoord {n}")
    client.get(reverse("messaging:search"), {"q": "zoekwoord"})  # the steady state again (the counts changed)
    with django_assert_num_queries(small):
        client.get(reverse("messaging:search"), {"q": "zoekwoord"})


def test_the_home_page_block_takes_the_same_number_of_queries(client, world, django_assert_num_queries):
    teacher_thread(world)
    client.force_login(world.users["teacher"])
    small = count(client, reverse("web:home"))
    more_of_everything(world)
    client.get(reverse("web:home"))  # the steady state again: the new conversations changed the counts
    with django_assert_num_queries(small):
        response = client.get(reverse("web:home"))
    assert 'id="messaging-home"' in response.content.decode()
