"""Seen-by on messages (``messaging/seen.py``), per role: a parent sees that the teacher read
their message, the teacher sees which parents read theirs, staff see "read by 1 of 2 families" in
a group conversation, and a parent never learns another family's read state."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from schoolpoort.messaging.models import Conversation, Participant
from tests.messaging.helpers import teacher_thread
from tests.search.helpers import conversation, say

Role = Participant.Role


def page_of(client, user, thread) -> str:
    client.force_login(user)
    response = client.get(reverse("messaging:conversation", args=[thread.pk]))
    assert response.status_code == 200
    return response.content.decode()


def seen_part(page: str) -> str:
    start = page.find('id="msg-seen"')
    return page[start : page.find("</div>", start)] if start >= 0 else ""


def test_the_parent_sees_when_the_teacher_read_their_message(client, world):
    guardian, teacher = world.users["guardian"], world.users["teacher"]
    thread = teacher_thread(world, body="Noor is ziek")
    before = seen_part(page_of(client, guardian, thread))
    assert before and escape(teacher.full_name) not in before  # not read yet
    page_of(client, teacher, thread)  # the teacher opens it
    after = seen_part(page_of(client, guardian, thread))
    assert escape(teacher.full_name) in after and "<time" in after


def test_the_teacher_sees_which_parent_read_their_reply(client, world):
    guardian, teacher = world.users["guardian"], world.users["teacher"]
    thread = teacher_thread(world)
    client.force_login(teacher)
    client.post(reverse("messaging:conversation", args=[thread.pk]), {"body": "Beterschap!"})
    assert escape(guardian.full_name) not in seen_part(page_of(client, teacher, thread))
    page_of(client, guardian, thread)
    assert escape(guardian.full_name) in seen_part(page_of(client, teacher, thread))


@pytest.fixture
def group_thread(world):
    users = world.users
    thread = conversation(
        world.school, "Ouders groep 3 en 6", (users["teacher"], Role.TEACHER),
        (users["guardian"], Role.GUARDIAN), (users["other_guardian"], Role.GUARDIAN),
        (users["guardian_other_group"], Role.GUARDIAN), kind=Conversation.Kind.GROUP,
    )
    Participant.objects.filter(conversation=thread, user=users["guardian"]).update(student=world.child)
    Participant.objects.filter(conversation=thread, user=users["other_guardian"]).update(student=world.child)
    Participant.objects.filter(conversation=thread, user=users["guardian_other_group"]).update(
        student=world.classmate_of_other_group
    )
    return thread


def test_staff_see_how_many_families_read_a_group_message(client, world, group_thread):
    users = world.users
    say(group_thread, users["teacher"], "Morgen is de sportdag")
    Participant.objects.filter(conversation=group_thread, user=users["guardian"]).update(last_read_at=timezone.now())
    seen = seen_part(page_of(client, users["teacher"], group_thread))
    assert 'id="msg-seen-count"' in seen and "1" in seen and "2" in seen  # one family of two
    assert escape(users["guardian"].full_name) in seen  # staff may see the names
    assert escape(users["guardian_other_group"].full_name) not in seen


def test_a_parent_never_sees_other_families_read_state(client, world, group_thread):
    users = world.users
    say(group_thread, users["guardian_other_group"], "Moeten ze gymschoenen mee?")
    Participant.objects.filter(conversation=group_thread, user=users["guardian"]).update(last_read_at=timezone.now())
    page = page_of(client, users["guardian_other_group"], group_thread)
    seen = seen_part(page)
    assert seen and escape(users["guardian"].full_name) not in seen and 'id="msg-seen-count"' not in seen
    Participant.objects.filter(conversation=group_thread, user=users["teacher"]).update(last_read_at=timezone.now())
    seen = seen_part(page_of(client, users["guardian_other_group"], group_thread))
    assert escape(users["teacher"].full_name) in seen and escape(users["guardian"].full_name) not in seen


def test_nobody_sees_seen_by_on_anothers_message(client, world, group_thread):
    say(group_thread, world.users["teacher"], "Morgen is de sportdag")
    assert 'id="msg-seen"' not in page_of(client, world.users["guardian"], group_thread)
