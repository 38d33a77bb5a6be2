"""Nobody reads a conversation they are not part of: role by role, both the yes and the no, through
``visible_to`` and through every page about one conversation (the page, the poll fragment, an
attachment, the export). The only exception — the director or board admin reading teacher–parent
conversations — needs the school's explicit setting, and each reading is in the audit log."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from schoolpoort.core.models import AuditEntry, ModuleClosure, ModuleSwitch
from schoolpoort.messaging.models import Conversation, Message, MessageAttachment
from schoolpoort.messaging.uploads import prepare_upload
from tests.messaging.helpers import english, school_settings, start_one, teacher_thread

PARTICIPANTS = {"guardian", "teacher"}
THIRD_PARTIES = [
    "other_guardian", "guardian_other_group", "guardian_other_school", "teacher_other_group", "administration",
    "director", "board_admin", "board_admin_other_board",
]


@pytest.fixture
def thread(world):
    pdf = prepare_upload(ContentFile(b"%PDF-1.4 brief", name="brief.pdf"))
    return teacher_thread(world, subject="Noor", body="Noor is ziek geweest.", uploads=[pdf])


def urls(conversation):
    attachment = MessageAttachment.objects.get(message__conversation=conversation)
    return {
        "page": reverse("messaging:conversation", args=[conversation.pk]),
        "poll": reverse("messaging:poll", args=[conversation.pk]) + "?na=0",
        "attachment": reverse("messaging:attachment", args=[conversation.pk, attachment.pk]),
    }


@pytest.mark.parametrize("role", sorted(PARTICIPANTS) + THIRD_PARTIES)
def test_only_the_participants_see_a_conversation(world, thread, role):
    visible = Conversation.objects.visible_to(world.users[role]).filter(pk=thread.pk).exists()
    assert visible is (role in PARTICIPANTS)


def test_anonymous_visitors_see_no_conversation(world, thread):
    assert not Conversation.objects.visible_to(world.users["anonymous"]).exists()


@pytest.mark.parametrize("role", THIRD_PARTIES)
def test_a_third_party_gets_404_on_the_page_the_fragment_the_attachment_and_the_export(client, world, thread, role):
    client.force_login(world.users[role])
    for name, url in urls(thread).items():
        assert client.get(url).status_code == 404, name
    assert client.get(reverse("messaging:export_conversation", args=[thread.pk])).status_code == 404
    assert client.post(url_of("messaging:conversation", thread), {"body": "Ik lees mee"}).status_code == 404
    assert client.post(url_of("messaging:mute", thread), {"muted": "1"}).status_code == 404
    assert client.get(url_of("messaging:report", thread)).status_code == 404
    assert not Message.objects.filter(body="Ik lees mee").exists()


def url_of(name, conversation):
    return reverse(name, args=[conversation.pk])


@pytest.mark.parametrize("role", sorted(PARTICIPANTS))
def test_the_participants_open_the_page_the_fragment_and_the_attachment(client, world, thread, role):
    client.force_login(world.users[role])
    for name, url in urls(thread).items():
        assert client.get(url).status_code == 200, name


@pytest.mark.parametrize("role", THIRD_PARTIES)
def test_a_third_party_does_not_find_the_conversation_in_the_inbox_or_the_search(client, world, thread, role):
    client.force_login(world.users[role])
    assert url_of("messaging:conversation", thread) not in client.get(reverse("messaging:inbox")).content.decode()
    page = client.get(reverse("messaging:search"), {"q": "ziek"}).content.decode()
    assert url_of("messaging:conversation", thread) not in page


def test_the_other_separated_guardian_never_sees_the_first_ones_messages(client, world, thread):
    client.force_login(world.users["other_guardian"])
    assert client.get(url_of("messaging:conversation", thread)).status_code == 404
    assert "Noor is ziek geweest" not in client.get(reverse("messaging:inbox")).content.decode()


# --- The director reading teacher–parent conversations ------------------------------------------


@pytest.mark.parametrize("role", ["director", "board_admin"])
def test_the_leadership_reads_only_when_the_school_allows_it_and_each_read_is_audited(client, world, thread, role):
    user = world.users[role]
    english(user)
    client.force_login(user)
    assert client.get(url_of("messaging:conversation", thread)).status_code == 404
    assert not AuditEntry.objects.filter(action="messaging.read_as_director").exists()

    school_settings(world.school, directors_may_read=True)

    for _reading in range(2):
        response = client.get(url_of("messaging:conversation", thread))
        assert response.status_code == 200
        assert "Noor is ziek geweest" in response.content.decode()
        assert 'id="msg-leadership-read"' in response.content.decode()
    entries = AuditEntry.objects.filter(action="messaging.read_as_director")
    assert entries.count() == 2
    entry = entries.first()
    assert entry.actor == user and entry.school == world.school
    assert (entry.object_type, entry.object_id) == ("messaging.conversation", str(thread.pk))

    attachment = urls(thread)["attachment"]
    assert client.get(attachment).status_code == 200
    assert entries.count() == 3


def test_reading_as_director_does_not_allow_writing(client, world, thread):
    school_settings(world.school, directors_may_read=True)
    client.force_login(world.users["director"])
    assert client.post(url_of("messaging:conversation", thread), {"body": "Ik schrijf mee"}).status_code == 404
    assert not Message.objects.filter(body="Ik schrijf mee").exists()


@pytest.mark.parametrize("role", ["administration", "teacher_other_group", "board_admin_other_board"])
def test_the_setting_lets_no_one_else_read(client, world, thread, role):
    school_settings(world.school, directors_may_read=True)
    client.force_login(world.users[role])
    assert client.get(url_of("messaging:conversation", thread)).status_code == 404


def test_a_director_of_another_school_of_the_board_reads_nothing_here(world, thread):
    from tests.factories import StaffMembershipFactory

    school_settings(world.school, directors_may_read=True)
    elsewhere = StaffMembershipFactory(school=world.sister_school, role="director").user
    assert not Conversation.objects.visible_to(elsewhere).exists()


def test_conversations_between_parents_are_never_read_by_the_leadership(world):
    from schoolpoort.messaging.models import ParentContactConsent
    from tests.factories import GuardianshipFactory, enrolled_student

    school_settings(world.school, directors_may_read=True, parent_to_parent=True)
    other = GuardianshipFactory(student=enrolled_student(world.group3)).user
    for user in (world.users["guardian"], other):
        ParentContactConsent.objects.create(user=user, group=world.group3)
    conversation = start_one(world.users["guardian"], f"parent:{other.pk}:{world.group3.pk}")
    for role in ("director", "board_admin"):
        assert not Conversation.objects.visible_to(world.users[role]).filter(pk=conversation.pk).exists()


def test_a_participant_who_left_no_longer_sees_the_conversation(world, thread):
    thread.participants.filter(user=world.users["guardian"]).update(left_at=timezone.now())
    assert not Conversation.objects.visible_to(world.users["guardian"]).filter(pk=thread.pk).exists()


# --- The module: switched off, or closed for parents ------------------------------------------


def test_with_the_module_switched_off_nobody_sees_messages(client, world, thread):
    ModuleSwitch.objects.filter(school=world.school, module="messaging").update(enabled=False)
    for role in PARTICIPANTS:
        client.force_login(world.users[role])
        assert client.get(url_of("messaging:conversation", thread)).status_code == 404
        assert client.get(reverse("messaging:inbox")).status_code == 404
        assert client.get(reverse("messaging:compose")).status_code == 404


def test_a_closed_period_hides_messages_from_parents_not_from_staff(client, world, thread):
    today = timezone.localdate()
    ModuleClosure.objects.create(school=world.school, module="messaging", starts_on=today,
                                 ends_on=today + datetime.timedelta(days=3))
    client.force_login(world.users["guardian"])
    assert client.get(url_of("messaging:conversation", thread)).status_code == 404
    client.force_login(world.users["teacher"])
    assert client.get(url_of("messaging:conversation", thread)).status_code == 200


def test_a_parent_whose_child_left_the_school_no_longer_sees_its_conversations(world, thread):
    world.child.archived_at = timezone.now()
    world.child.save()
    assert not Conversation.objects.visible_to(world.users["guardian"]).exists()


def test_an_unknown_conversation_is_404(client, world, thread):
    client.force_login(world.users["guardian"])
    for name in ("messaging:conversation", "messaging:poll", "messaging:export_conversation", "messaging:report"):
        assert client.get(reverse(name, args=[999999])).status_code == 404, name
    assert client.get(reverse("messaging:attachment", args=[thread.pk, 999999])).status_code == 404


def test_an_attachment_of_another_conversation_is_404_through_this_one(client, world, thread):
    other = start_one(world.users["guardian"], f"office:{world.school.pk}", subject="Adres")
    attachment = MessageAttachment.objects.get(message__conversation=thread)
    client.force_login(world.users["guardian"])
    assert client.get(reverse("messaging:attachment", args=[other.pk, attachment.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client, world, thread):
    for url in [reverse("messaging:inbox"), *urls(thread).values()]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_a_poll_after_the_session_ended_reloads_the_page(client, world, thread):
    response = client.get(urls(thread)["poll"], headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Refresh"] == "true"
