"""Writing and answering: the new-message form, replies, new messages arriving through the poll
fragment, read state and unread counts, notifications (who wrote, never what), muting, closing,
reporting, and the automatic reply of a teacher who is away."""

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from schoolpoort.core.models import AuditEntry
from schoolpoort.messaging import actions
from schoolpoort.messaging.counts import unread_conversations
from schoolpoort.messaging.models import (
    Conversation,
    Message,
    ParentContactConsent,
    Participant,
    Report,
    TeacherAvailability,
)
from schoolpoort.notify.models import Broadcast, Notification
from tests.factories import GuardianshipFactory, enrolled_student
from tests.messaging.helpers import english, run_worker, school_settings, start_one, teacher_thread

BODY = "Noor heeft vannacht gespuugd en blijft vandaag thuis."


def test_a_parent_writes_to_the_teacher_through_the_form(client, world):
    users = world.users
    client.force_login(users["guardian"])
    response = client.post(reverse("messaging:compose"), {
        "recipient": f"teacher:{users['teacher'].pk}:{world.child.pk}", "subject": "Ziek", "body": BODY,
    })
    conversation = Conversation.objects.get(subject="Ziek")
    message = conversation.messages.get()
    assert response.status_code == 302 and response["Location"] == f"{conversation.get_absolute_url()}"
    assert message.body == BODY and message.sender == users["guardian"]
    assert conversation.about_student == world.child and conversation.group == world.group3

    client.force_login(users["teacher"])
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert BODY in page and f'id="message-{message.pk}"' in page


def test_the_teacher_answers_and_the_parent_sees_it(client, world):
    conversation = teacher_thread(world, body=BODY)
    client.force_login(world.users["teacher"])
    response = client.post(conversation.get_absolute_url(), {"body": "Beterschap voor Noor!"})
    answer = Message.objects.get(body="Beterschap voor Noor!")
    assert response["Location"] == f"{conversation.get_absolute_url()}#message-{answer.pk}"
    client.force_login(world.users["guardian"])
    assert "Beterschap voor Noor!" in client.get(conversation.get_absolute_url()).content.decode()


def test_a_message_is_plain_text_with_safe_links(client, world):
    conversation = teacher_thread(world, body='<script>alert(1)</script> Zie https://school.example/rooster')
    client.force_login(world.users["teacher"])
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert '<a href="https://school.example/rooster" rel="nofollow">' in page


def test_an_empty_message_is_not_sent(client, world):
    english(world.users["guardian"])
    conversation = teacher_thread(world)
    client.force_login(world.users["guardian"])
    response = client.post(conversation.get_absolute_url(), {"body": "   "})
    assert "Write a message first." in response.content.decode()
    assert conversation.messages.count() == 1


# --- New messages without reloading -------------------------------------------------------------


def test_the_poll_fragment_returns_only_newer_messages(client, world):
    conversation = teacher_thread(world, body="Eerste")
    first = conversation.messages.get()
    poll = reverse("messaging:poll", args=[conversation.pk])
    client.force_login(world.users["guardian"])

    assert client.get(poll, {"na": first.pk}).status_code == 204

    second = actions.post_message(conversation, world.users["teacher"], "Tweede")
    third = actions.post_message(conversation, world.users["teacher"], "Derde")
    response = client.get(poll, {"na": first.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="message-{second.pk}"' in page and f'id="message-{third.pk}"' in page
    assert "Eerste" not in page
    assert 'hx-swap-oob="beforeend:#message-list"' in page
    assert f"?na={third.pk}" in page  # the poller asks for what comes after the last one next time

    assert client.get(poll, {"na": third.pk}).status_code == 204


def test_the_conversation_page_polls_for_new_messages(client, world):
    conversation = teacher_thread(world)
    client.force_login(world.users["guardian"])
    page = client.get(conversation.get_absolute_url()).content.decode()
    last = conversation.messages.get()
    assert f'hx-get="{reverse("messaging:poll", args=[conversation.pk])}?na={last.pk}"' in page
    assert 'hx-trigger="every 8s"' in page


def test_the_inbox_polls_and_gets_204_until_something_changes(client, world):
    conversation = teacher_thread(world)
    client.force_login(world.users["guardian"])
    response = client.get(reverse("messaging:inbox_poll"))
    stamp = response.context["stamp"]
    assert client.get(reverse("messaging:inbox_poll"), {"sinds": stamp}).status_code == 204

    actions.post_message(conversation, world.users["teacher"], "Nieuw antwoord")
    response = client.get(reverse("messaging:inbox_poll"), {"sinds": stamp})
    assert response.status_code == 200 and "Nieuw antwoord" in response.content.decode()


def test_a_poll_does_not_keep_a_staff_session_alive(client, world):
    conversation = teacher_thread(world)
    client.force_login(world.users["teacher"])
    client.get(conversation.get_absolute_url())
    session = Session.objects.get(session_key=client.session.session_key)
    client.get(reverse("messaging:poll", args=[conversation.pk]), {"na": 0})
    client.get(reverse("messaging:inbox_poll"))
    assert Session.objects.get(pk=session.pk).expire_date == session.expire_date
    client.get(reverse("messaging:inbox"))
    assert Session.objects.get(pk=session.pk).expire_date > session.expire_date  # a page view does


# --- Read state and unread counts ---------------------------------------------------------------


def header(user) -> str:
    request = RequestFactory().get("/")
    request.user = type(user).objects.get(pk=user.pk)  # loaded anew, as for every request
    return Template('{% include "messaging/_header_link.html" %}').render(Context({"request": request}))


def test_unread_conversations_are_counted_marked_in_the_inbox_and_read_by_opening(client, world):
    parent, teacher = world.users["guardian"], world.users["teacher"]
    english(parent)
    conversation = teacher_thread(world)
    assert unread_conversations(parent) == 0 and unread_conversations(teacher) == 1
    actions.post_message(conversation, teacher, "Antwoord")
    assert unread_conversations(parent) == 1 and unread_conversations(teacher) == 0

    client.force_login(parent)
    inbox = client.get(reverse("messaging:inbox")).content.decode()
    assert "msg-row--unread" in inbox and "Unread:" in inbox
    assert 'data-unread="1"' in client.get(reverse("web:home")).content.decode()
    assert 'data-unread="1"' in header(parent)

    client.get(conversation.get_absolute_url())
    assert unread_conversations(parent) == 0
    assert "msg-row--unread" not in client.get(reverse("messaging:inbox")).content.decode()
    assert "data-unread" not in header(parent)


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_opening_a_conversation_reads_its_notifications(client, world):
    conversation = teacher_thread(world)
    actions.post_message(conversation, world.users["teacher"], "Antwoord")
    run_worker()
    parent = world.users["guardian"]
    assert Notification.objects.filter(recipient=parent, read_at__isnull=True).count() == 1
    client.force_login(parent)
    client.get(conversation.get_absolute_url())
    assert not Notification.objects.filter(recipient=parent, read_at__isnull=True).exists()


def test_the_header_link_is_not_there_where_messages_are_not_used(world):
    from schoolpoort.core.models import ModuleSwitch

    ModuleSwitch.objects.filter(module="messaging").update(enabled=False)
    assert "messaging-header-link" not in header(world.users["guardian"])


# --- Notifications ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_notifications_say_who_wrote_and_never_what(world):
    teacher, parent = world.users["teacher"], world.users["guardian"]
    english(teacher, parent)
    conversation = teacher_thread(world, subject="Zorgen over Noor", body=BODY)
    broadcast = Broadcast.objects.get()
    assert broadcast.recipient_ids == [teacher.pk]
    assert broadcast.title == f"New message from {parent.full_name}"
    assert BODY not in broadcast.title and "Zorgen" not in broadcast.title
    message = conversation.messages.get()
    assert broadcast.key == f"messaging.conversation:{conversation.pk}:message:{message.pk}"
    assert broadcast.url == f"/berichten/{conversation.pk}/#message-{message.pk}"

    run_worker()
    assert Notification.objects.get(recipient=teacher).title == broadcast.title
    for sent in mail.outbox:
        assert BODY not in sent.body and all(BODY not in str(content) for content, _type in sent.alternatives)


def test_each_message_has_its_own_notification_key_in_the_recipients_language(world):
    teacher, parent = world.users["teacher"], world.users["guardian"]
    english(parent)
    conversation = teacher_thread(world)
    actions.post_message(conversation, teacher, "Een")
    actions.post_message(conversation, teacher, "Twee")
    keys = list(Broadcast.objects.filter(recipient_ids=[parent.pk]).values_list("key", flat=True))
    assert len(set(keys)) == 2
    assert all(b.title.startswith("New message from") for b in Broadcast.objects.filter(recipient_ids=[parent.pk]))


def test_a_muted_conversation_sends_that_participant_no_notifications(client, world):
    teacher, parent = world.users["teacher"], world.users["guardian"]
    conversation = teacher_thread(world)
    client.force_login(parent)
    client.post(reverse("messaging:mute", args=[conversation.pk]), {"muted": "1"})
    assert Participant.objects.get(conversation=conversation, user=parent).muted

    Broadcast.objects.all().delete()
    actions.post_message(conversation, teacher, "Hoort u dit?")
    assert all(parent.pk not in b.recipient_ids for b in Broadcast.objects.all())
    assert unread_conversations(parent) == 0  # and no count in the header

    client.post(reverse("messaging:mute", args=[conversation.pk]), {"muted": "0"})
    actions.post_message(conversation, teacher, "En nu?")
    assert Broadcast.objects.filter(recipient_ids=[parent.pk]).count() == 1


# --- Closing and reporting ----------------------------------------------------------------------


def test_staff_close_a_conversation_and_it_accepts_no_new_messages(client, world):
    parent, teacher = world.users["guardian"], world.users["teacher"]
    english(parent)
    conversation = teacher_thread(world)
    client.force_login(parent)
    assert client.post(reverse("messaging:close", args=[conversation.pk])).status_code == 404

    client.force_login(teacher)
    client.post(reverse("messaging:close", args=[conversation.pk]))
    conversation.refresh_from_db()
    assert conversation.is_closed and conversation.closed_by == teacher
    assert AuditEntry.objects.filter(action="messaging.closed", object_id=str(conversation.pk)).exists()

    client.force_login(parent)
    response = client.post(conversation.get_absolute_url(), {"body": "Toch nog iets"})
    page = response.content.decode()
    assert "This conversation has been closed" in page and "Toch nog iets" in page  # the text is kept
    assert not Message.objects.filter(body="Toch nog iets").exists()
    with pytest.raises(actions.Refused):
        actions.post_message(conversation, teacher, "Ook niet")

    client.force_login(teacher)
    client.post(reverse("messaging:close", args=[conversation.pk]), {"reopen": "1"})
    actions.post_message(conversation, parent, "Weer open")


def test_a_parent_reports_a_conversation_and_the_office_sees_the_report(client, world):
    parent = world.users["guardian"]
    english(world.users["administration"])
    conversation = teacher_thread(world)
    client.force_login(world.users["teacher"])
    assert client.get(reverse("messaging:report", args=[conversation.pk])).status_code == 404

    client.force_login(parent)
    client.post(reverse("messaging:report", args=[conversation.pk]), {"reason": "Onaardige toon"})
    report = Report.objects.get()
    assert (report.conversation, report.reporter, report.reason) == (conversation, parent, "Onaardige toon")
    told = Broadcast.objects.filter(event="messaging.reported")  # one per language
    assert {pk for b in told for pk in b.recipient_ids} == {world.users["administration"].pk,
                                                            world.users["director"].pk}
    assert all("Onaardige" not in b.title for b in told)

    client.force_login(world.users["administration"])
    page = client.get(reverse("messaging:reports", args=[world.school.pk])).content.decode()
    assert "Onaardige toon" in page and conversation.subject in page
    assert BODY not in page  # the report, not the conversation
    client.post(reverse("messaging:report_handled", args=[report.pk]))
    report.refresh_from_db()
    assert report.handled_by == world.users["administration"]

    client.force_login(world.users["teacher_other_group"])
    assert client.get(reverse("messaging:reports", args=[world.school.pk])).status_code == 404
    assert client.post(reverse("messaging:report_handled", args=[report.pk])).status_code == 404


def test_the_office_closes_a_reported_conversation_between_parents_without_reading_it(client, world):
    me = world.users["guardian"]
    other = GuardianshipFactory(student=enrolled_student(world.group3)).user
    school_settings(world.school, parent_to_parent=True)
    for user in (me, other):
        ParentContactConsent.objects.create(user=user, group=world.group3)
    conversation = start_one(other, f"parent:{me.pk}:{world.group3.pk}", body="Vervelend bericht")
    actions.report(conversation, me, "Ik wil dit niet")

    client.force_login(world.users["administration"])
    assert client.get(conversation.get_absolute_url()).status_code == 404
    page = client.get(reverse("messaging:reports", args=[world.school.pk])).content.decode()
    assert "Ik wil dit niet" in page and "Vervelend bericht" not in page
    response = client.post(reverse("messaging:close", args=[conversation.pk]))
    assert response["Location"] == reverse("messaging:reports", args=[world.school.pk])
    conversation.refresh_from_db()
    assert conversation.is_closed


# --- The school's communication rules and a teacher's office hours -----------------------------


def test_the_schools_text_is_shown_when_a_parent_writes(client, world):
    school_settings(world.school, parent_notice="Inhoudelijke vragen bespreken we liever in een gesprek.")
    conversation = teacher_thread(world)
    client.force_login(world.users["guardian"])
    assert "liever in een gesprek" in client.get(reverse("messaging:compose")).content.decode()
    assert "liever in een gesprek" in client.get(conversation.get_absolute_url()).content.decode()
    client.force_login(world.users["teacher"])
    assert "liever in een gesprek" not in client.get(conversation.get_absolute_url()).content.decode()


def test_the_director_sets_the_rules_and_the_change_is_audited(client, world):
    url = reverse("messaging:school_settings", args=[world.school.pk])
    for role in ("teacher", "administration", "guardian"):
        client.force_login(world.users[role])
        assert client.get(url).status_code == 404, role
    client.force_login(world.users["director"])
    client.post(url, {"parent_notice": "Bel bij spoed.", "directors_may_read": "on"})
    settings = world.school.messaging_settings
    assert settings.directors_may_read and not settings.parent_to_parent
    entry = AuditEntry.objects.get(action="messaging.settings_changed")
    assert entry.detail["directors_may_read"] is True and entry.actor == world.users["director"]


def test_a_teacher_sets_office_hours_that_parents_see(client, world):
    teacher = world.users["teacher"]
    client.force_login(teacher)
    client.post(reverse("messaging:availability", args=[world.school.pk]),
                {"office_hours": "Na 15.00 uur", "auto_reply": ""})
    conversation = teacher_thread(world)
    client.force_login(world.users["guardian"])
    assert "Na 15.00 uur" in client.get(reverse("messaging:compose")).content.decode()
    assert "Na 15.00 uur" in client.get(conversation.get_absolute_url()).content.decode()


def test_an_away_teacher_answers_automatically_once_a_day(world):
    teacher, parent = world.users["teacher"], world.users["guardian"]
    TeacherAvailability.objects.create(user=teacher, school=world.school, auto_reply_on=True,
                                       auto_reply="Ik ben tot maandag weg.")
    conversation = teacher_thread(world)
    actions.post_message(conversation, parent, "Nog een vraag")
    auto = Message.objects.filter(conversation=conversation, auto_reply=True)
    assert list(auto.values_list("sender", "body")) == [(teacher.pk, "Ik ben tot maandag weg.")]
    assert unread_conversations(parent) == 0  # the parent sees it under their own message
    assert not Broadcast.objects.filter(recipient_ids=[parent.pk]).exists()

    actions.post_message(conversation, teacher, "Toch even: prima.")
    assert auto.count() == 1  # not for a teacher's own message, and not twice a day


def test_no_automatic_reply_when_it_is_switched_off(world):
    TeacherAvailability.objects.create(user=world.users["teacher"], school=world.school, auto_reply_on=False,
                                       auto_reply="Weg")
    conversation = teacher_thread(world)
    assert not conversation.messages.filter(auto_reply=True).exists()
