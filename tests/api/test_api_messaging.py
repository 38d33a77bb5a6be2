"""Messages for parents' apps, through the same rules as the message pages: each role gets from the
API what it gets from the page (200 or 404); the inbox list counts unread messages and pages with a
cursor in a fixed number of queries; writing goes through the page's form (every file checked by the
kernel: a refused one answers 422 with why) and recipient list; a hidden ex-partner stays hidden in a
group conversation; no token may read or write messages."""

from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from schoolpoort.messaging import actions
from schoolpoort.messaging.models import Conversation, Message, MessageAttachment
from schoolpoort.messaging.recipients import TOGETHER
from schoolpoort.messaging.uploads import prepare_upload
from tests.api.api_helpers import bearer, token_for
from tests.messaging.helpers import start_one, teacher_thread
from tests.world import build_world

ROLES = ["guardian", "other_guardian", "guardian_other_group", "guardian_other_school", "teacher",
         "teacher_other_group", "administration", "director", "board_admin", "board_admin_other_board"]
PDF = b"%PDF-1.4 brief"


@pytest.fixture
def world(db):
    world = build_world()
    pdf = prepare_upload(ContentFile(PDF, name="brief.pdf"))
    world.thread = teacher_thread(world, subject="Noor", body="Noor is ziek geweest.", uploads=[pdf])
    world.pdf = MessageAttachment.objects.get(message__conversation=world.thread)
    return world


def url(world, tail=""):
    return f"/api/v1/messages/threads/{world.thread.pk}{tail}"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_exactly_the_conversations_the_pages_show(client, world, role):
    client.force_login(world.users[role])
    page = client.get(world.thread.get_absolute_url()).status_code
    assert page in (200, 404)
    assert (page == 200) is (role in ("guardian", "teacher"))  # the default: the leadership does not read
    detail = client.get(url(world))
    assert detail.status_code == page
    file = client.get(url(world, f"/attachments/{world.pdf.pk}"))
    assert file.status_code == page
    if page == 200:
        assert detail.json()["messages"][0]["body"] == "Noor is ziek geweest."
        assert b"".join(file.streaming_content) == PDF
    assert client.post(url(world, "/read")).status_code == page
    sent = client.post(url(world, "/messages"), {"body": "Hallo"})
    assert sent.status_code == (201 if page == 200 else 404)
    listed = client.get("/api/v1/messages/threads")
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()["items"]] == ([world.thread.pk] if page == 200 else [])


def test_the_list_counts_unread_messages_and_mark_read_clears_them(client, world):
    teacher, guardian = world.users["teacher"], world.users["guardian"]
    for body in ("Beterschap!", "Tot maandag."):
        actions.post_message(world.thread, teacher, body)
    client.force_login(guardian)
    item = client.get("/api/v1/messages/threads").json()
    assert item["unread_threads"] == 1
    assert item["items"][0]["unread"] is True and item["items"][0]["unread_messages"] == 2
    assert item["items"][0]["last_message"] == "Tot maandag."
    assert escape(teacher.full_name) in escape(item["items"][0]["others"][0]["name"])
    read = client.post(url(world, "/read")).json()
    assert read == {"id": world.thread.pk, "unread_threads": 0}
    again = client.get("/api/v1/messages/threads").json()["items"][0]
    assert again["unread"] is False and again["unread_messages"] == 0


def test_a_reply_with_files_goes_through_the_pages_upload_checks(client, world):
    client.force_login(world.users["guardian"])
    sent = client.post(url(world, "/messages"), {
        "body": "Hier is de brief", "attachments": [SimpleUploadedFile("brief2.pdf", PDF)]})
    assert sent.status_code == 201
    body = sent.json()
    assert body["is_mine"] is True and [a["name"] for a in body["attachments"]] == ["brief2.pdf"]
    assert client.get(urlsplit(body["attachments"][0]["url"]).path).status_code == 200
    fake = client.post(url(world, "/messages"), {
        "body": "Een virus", "attachments": [SimpleUploadedFile("brief.pdf", b"MZ\x90\x00 not a pdf")]})
    assert fake.status_code == 422
    assert fake.json()["detail"][0]["loc"] == ["body", "attachments"] and fake.json()["detail"][0]["msg"]
    empty = client.post(url(world, "/messages"), {"body": "  "})
    assert empty.status_code == 422 and empty.json()["detail"][0]["loc"] == ["body", "body"]
    actions.close(world.thread, world.users["teacher"])
    closed = client.post(url(world, "/messages"), {"body": "Nog één ding"})
    assert closed.status_code == 422 and closed.json()["detail"][0]["loc"] == ["body"]
    assert Message.objects.filter(conversation=world.thread).count() == 2


def test_a_parent_starts_a_conversation_only_with_whom_the_page_offers(client, world):
    guardian, teacher = world.users["guardian"], world.users["teacher"]
    client.force_login(guardian)
    offered = {item["value"] for item in client.get("/api/v1/messages/recipients").json()["items"]}
    value = f"teacher:{teacher.pk}:{world.child.pk}"
    assert value in offered
    started = client.post("/api/v1/messages/threads", {"recipient": value, "subject": "Vraag", "body": "Hallo",
                                                       "attachments": [SimpleUploadedFile("a.pdf", PDF)]})
    assert started.status_code == 201
    (new_id,) = started.json()["ids"]
    conversation = Conversation.objects.get(pk=new_id)
    assert conversation.participants.filter(user=teacher).exists()
    assert MessageAttachment.objects.filter(message__conversation=conversation).count() == 1
    crafted = f"teacher:{world.users['teacher_other_group'].pk}:{world.child.pk}"
    refused = client.post("/api/v1/messages/threads", {"recipient": crafted, "subject": "Vraag", "body": "Hallo"})
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "recipient"]
    client.force_login(world.users["guardian_other_school"])
    theirs = client.get("/api/v1/messages/recipients").json()["items"]
    assert value not in {item["value"] for item in theirs}
    assert {item["school_id"] for item in theirs} <= {world.other_school.pk}


def test_a_hidden_ex_partner_stays_hidden_in_a_group_conversation(client, world):
    teacher, guardian, hider = world.users["teacher"], world.users["guardian"], world.users["other_guardian"]
    group = start_one(teacher, f"group:{world.group3.pk}", subject="Schoolreis", mode=TOGETHER)
    assert group.participants.filter(user=hider).exists() and group.participants.filter(user=guardian).exists()
    actions.post_message(group, hider, "Ik kan rijden")
    client.force_login(guardian)
    seen = client.get(f"/api/v1/messages/threads/{group.pk}").json()
    assert hider.pk not in [p["user_id"] for p in seen["others"]] and teacher.pk in [p["user_id"]
                                                                                    for p in seen["others"]]
    from_hider = next(m for m in seen["messages"] if m["body"] == "Ik kan rijden")
    assert from_hider["sender_id"] is None and from_hider["sender_name"] == ""
    listed = next(i for i in client.get("/api/v1/messages/threads").json()["items"] if i["id"] == group.pk)
    assert listed["others"] == []
    assert hider.full_name not in client.get(f"/api/v1/messages/threads/{group.pk}").content.decode()
    client.force_login(hider)  # the rule runs one way
    assert guardian.pk in [p["user_id"] for p in client.get(f"/api/v1/messages/threads/{group.pk}").json()["others"]]


def test_no_token_reads_or_writes_messages(client, world):
    token = token_for(world.users["director"], world.school).secret
    assert client.get("/api/v1/messages/threads", **bearer(token)).status_code == 403
    assert client.get(url(world), **bearer(token)).status_code == 403
    assert client.get(url(world, f"/attachments/{world.pdf.pk}"), **bearer(token)).status_code == 403
    assert client.post(url(world, "/read"), **bearer(token)).status_code == 403
    assert client.post(url(world, "/messages"), {"body": "x"}, **bearer(token)).status_code == 403
    assert client.get("/api/v1/messages/recipients", **bearer(token)).status_code == 403


def test_an_attachment_of_another_conversation_is_404_through_this_one(client, world):
    other = teacher_thread(world, subject="Ander", body="x")
    client.force_login(world.users["guardian"])
    assert client.get(f"/api/v1/messages/threads/{other.pk}/attachments/{world.pdf.pk}").status_code == 404
    assert client.get("/api/v1/messages/threads/999999").status_code == 404


@pytest.mark.parametrize("count", [2, 10])
def test_the_list_and_a_conversation_cost_the_same_queries_for_any_number(
        client, world, count, django_assert_max_num_queries):
    teacher = world.users["teacher"]
    for n in range(count - 1):
        teacher_thread(world, subject=f"Vraag {n}", body="Hallo")
        actions.post_message(world.thread, teacher, f"Antwoord {n}",
                             [prepare_upload(ContentFile(PDF, name=f"b{n}.pdf"))])
    client.force_login(world.users["guardian"])
    with django_assert_max_num_queries(14):
        listed = client.get("/api/v1/messages/threads", {"limit": 50}).json()
    assert len(listed["items"]) == count and listed["next_cursor"] is None
    with django_assert_max_num_queries(14):
        detail = client.get(url(world), {"limit": 50}).json()
    assert len(detail["messages"]) == count
    seen, cursor = [], None
    while True:
        page = client.get("/api/v1/messages/threads", {"limit": 3, **({"cursor": cursor} if cursor else {})}).json()
        seen += [item["id"] for item in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert seen == [item["id"] for item in listed["items"]]
    older, cursor = [], None
    while True:
        page = client.get(url(world), {"limit": 3, **({"cursor": cursor} if cursor else {})}).json()
        older += [m["id"] for m in page["messages"]]
        if not (cursor := page["next_cursor"]):
            break
    assert older == [m["id"] for m in detail["messages"]] == sorted(older, reverse=True)
