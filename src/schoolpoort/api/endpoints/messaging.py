"""Messages for parents' apps: the caller's conversations (unread first in mind: each with its unread
count, cursor pagination), one conversation with its messages (newest first, cursor to older ones),
writing (a reply, or a new conversation, with photos and files: multipart, each file checked by the
kernel's upload rules), marking read, and a message's file. Through the same access rule, recipient
list, hiding rule and actions as the message pages (messaging.threads, messaging.actions). Only a
signed-in person reads or writes messages: no token scope covers them."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Count, DateTimeField, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, QueryDict
from django.urls import reverse
from ninja import File, Form, Router, Schema, Status, UploadedFile

from schoolpoort.messaging import actions, threads
from schoolpoort.messaging.counts import unread_conversations
from schoolpoort.messaging.forms import ComposeForm, MessageForm
from schoolpoort.messaging.models import Conversation, Message
from schoolpoort.messaging.recipients import SEPARATE, TOGETHER, recipient_options

from .. import cursors
from ..errors import ERRORS, FormInvalid

router = Router(tags=["messages"])
PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
NEVER = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
FILE_ANSWER = {"responses": {200: {"description": "The file", "content": {
    "*/*": {"schema": {"type": "string", "format": "binary"}}}}}}


class PersonOut(Schema):
    user_id: int
    name: str
    label: str
    is_staff: bool


class ThreadOut(Schema):
    id: int
    subject: str
    kind: str
    school_id: int
    group_id: int | None
    between_parents: bool
    closed: bool
    muted: bool
    last_message_at: datetime.datetime | None
    last_message: str
    unread: bool
    unread_messages: int
    others: list[PersonOut]
    other_count: int
    url: str


class ThreadPage(Schema):
    items: list[ThreadOut]
    next_cursor: str | None
    unread_threads: int


class MessageAttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    is_image: bool
    size: int
    url: str


class MessageOut(Schema):
    id: int
    sender_id: int | None
    sender_name: str
    is_mine: bool
    auto_reply: bool
    body: str
    created_at: datetime.datetime
    attachments: list[MessageAttachmentOut]


class ThreadDetail(Schema):
    id: int
    subject: str
    kind: str
    school_id: int
    group_id: int | None
    between_parents: bool
    closed: bool
    is_participant: bool
    can_write: bool
    refusal: str | None
    others: list[PersonOut]
    messages: list[MessageOut]
    next_cursor: str | None
    url: str


class RecipientOut(Schema):
    value: str
    label: str
    section: str
    school_id: int
    is_group: bool


class RecipientList(Schema):
    items: list[RecipientOut]


def _person(participant) -> dict:
    return {"user_id": participant.user_id, "name": participant.name, "label": participant.label,
            "is_staff": participant.is_staff}


def _form_data(values: dict) -> QueryDict:
    """The fields as a posted form holds them, for the page's form."""
    data = QueryDict(mutable=True)
    data.update(values)
    return data


def _limit(limit: int) -> int:
    return max(1, min(limit, MAX_PAGE_SIZE))


def _unread_messages():
    """The messages of others after the participant last read the conversation."""
    newer = (Message.objects.filter(conversation=OuterRef("conversation"))
             .exclude(sender_id=OuterRef("user_id"))
             .filter(created_at__gt=Coalesce(OuterRef("last_read_at"), Value(NEVER, output_field=DateTimeField())))
             .order_by().values("conversation").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(newer, output_field=IntegerField()), 0)


def _after(values) -> Q:
    """The rows after ``(last_message_at, conversation id)`` in the inbox's order (no message: last)."""
    last, pk = values
    try:
        moment = datetime.datetime.fromisoformat(last) if isinstance(last, str) else None
    except ValueError:
        raise cursors.invalid() from None
    if not isinstance(pk, int) or (last is not None and moment is None):
        raise cursors.invalid()
    if moment is None:
        return Q(conversation__last_message_at__isnull=True, conversation_id__lt=pk)
    return (Q(conversation__last_message_at__lt=moment) | Q(conversation__last_message_at__isnull=True)
            | Q(conversation__last_message_at=moment, conversation_id__lt=pk))


@router.get("/messages/threads", response={200: ThreadPage, **ERRORS}, url_name="message_threads",
            summary="My conversations")
def message_threads(request, cursor: str | None = None, limit: int = PAGE_SIZE):
    """The caller's own conversations as in the inbox, newest message first, each with whether it is
    unread and how many messages of others came since the caller last read it."""
    caller = request.auth
    caller.require_session()
    user = caller.user
    rows = threads.my_rows(user).annotate(unread_messages=_unread_messages())
    if (after := cursors.decode(cursor, 2)) is not None:
        rows = rows.filter(_after(after))
    limit = _limit(limit)
    found = list(rows[: limit + 1])
    page, more = found[:limit], len(found) > limit
    items = []
    for row in page:
        conversation = row.conversation
        others = [p for p in conversation.participants.all() if p.user_id != user.pk]
        items.append({
            "id": conversation.pk, "subject": conversation.subject, "kind": conversation.kind,
            "school_id": conversation.school_id, "group_id": conversation.group_id,
            "between_parents": conversation.between_parents, "closed": conversation.is_closed, "muted": row.muted,
            "last_message_at": conversation.last_message_at, "last_message": row.last_body or "",
            "unread": row.is_unread(conversation.last_message_at), "unread_messages": row.unread_messages,
            # As the inbox: the names in a conversation between a few; in a group conversation only how
            # many (a parent may meet the ex-partner hidden from them there).
            "others": [] if conversation.kind == Conversation.Kind.GROUP else [_person(p) for p in others],
            "other_count": len(others),
            "url": settings.SITE_URL + conversation.get_absolute_url(),
        })
    last = page[-1].conversation if page else None
    return {
        "items": items,
        "next_cursor": cursors.encode([last.last_message_at.isoformat() if last.last_message_at else None, last.pk])
        if more else None,
        "unread_threads": unread_conversations(user),
    }


@router.get("/messages/recipients", response={200: RecipientList, **ERRORS}, url_name="message_recipients",
            summary="Whom I can write to")
def message_recipients(request):
    """The choices of the new-message page (a parent: their children's teachers, the office, other
    parents where both allow it; a teacher: families and whole groups). ``value`` goes in ``recipient``."""
    caller = request.auth
    caller.require_session()
    options = recipient_options(caller.user)
    if not options.schools:
        raise Http404
    return {"items": [{"value": r.value, "label": r.label, "section": r.section, "school_id": r.school.pk,
                       "is_group": r.is_group} for r in options.recipients]}


def _attachment(conversation, item) -> dict:
    return {"id": item.pk, "name": item.original_name, "content_type": item.content_type, "is_image": item.is_image,
            "size": item.size,
            "url": settings.SITE_URL + reverse("api:message_attachment", args=[conversation.pk, item.pk])}


def _message(conversation, message, user, hidden: set[int]) -> dict:
    shown = message.sender_id not in hidden
    return {
        "id": message.pk, "sender_id": message.sender_id if shown else None,
        "sender_name": message.sender_name if shown else "", "is_mine": message.sender_id == user.pk,
        "auto_reply": message.auto_reply, "body": message.body, "created_at": message.created_at,
        "attachments": [_attachment(conversation, a) for a in message.attachments.all()],
    }


@router.get("/messages/threads/{thread_id}", response={200: ThreadDetail, **ERRORS}, url_name="message_thread",
            summary="One conversation and its messages")
def message_thread(request, thread_id: int, cursor: str | None = None, limit: int = PAGE_SIZE):
    """The messages newest first; ``next_cursor`` reads older ones. Reading does not mark the
    conversation read (POST …/read does). A director reading a teacher–parent conversation they are
    not in (where the school allows it) is audited, as on the page."""
    caller = request.auth
    caller.require_session()
    user = caller.user
    conversation, me, participants = threads.conversation_or_404(user, thread_id)
    messages = threads.with_attachments(conversation.messages.all(), user)
    if (after := cursors.decode(cursor, 1)) is not None:
        if not isinstance(after[0], int):
            raise cursors.invalid()
        messages = messages.filter(pk__lt=after[0])
    limit = _limit(limit)
    found = list(messages.order_by("-created_at", "-pk")[: limit + 1])
    page, more = found[:limit], len(found) > limit
    if me is None:
        actions.record_leadership_read(user, conversation)
    hidden = threads.hidden_from(user, me)
    refusal = actions.refusal(conversation) if me is not None else None
    return {
        "id": conversation.pk, "subject": conversation.subject, "kind": conversation.kind,
        "school_id": conversation.school_id, "group_id": conversation.group_id,
        "between_parents": conversation.between_parents, "closed": conversation.is_closed,
        "is_participant": me is not None, "can_write": me is not None and refusal is None, "refusal": refusal,
        "others": [_person(p) for p in threads.others_shown(user, me, participants, hidden)],
        "messages": [_message(conversation, m, user, hidden) for m in page],
        "next_cursor": cursors.encode([page[-1].pk]) if more else None,
        "url": settings.SITE_URL + conversation.get_absolute_url(),
    }


class ReplyIn(Schema):
    body: str


@router.post("/messages/threads/{thread_id}/messages", response={201: MessageOut, **ERRORS},
             url_name="send_message", summary="Write in a conversation")
def send_message(request, thread_id: int, payload: Form[ReplyIn], attachments: File[list[UploadedFile]] = None):
    """multipart/form-data: ``body`` and up to 5 files in ``attachments`` (photos, PDF and office
    documents; each checked as on the page: size, pixels, real type). A refused file, or a
    conversation that takes no messages (closed), answers 422 with why."""
    caller = request.auth
    caller.require_session()
    conversation, me, _participants = threads.conversation_or_404(caller.user, thread_id)
    if me is None:
        raise Http404
    form = MessageForm(_form_data({"body": payload.body}), request.FILES)
    if not form.is_valid() or (message := threads.send_reply(conversation, caller.user, form)) is None:
        raise FormInvalid(form)
    message = threads.with_attachments(Message.objects.filter(pk=message.pk), caller.user).get()
    return Status(201, _message(conversation, message, caller.user, set()))


class StartIn(Schema):
    recipient: str
    subject: str
    body: str
    mode: str = SEPARATE


class Started(Schema):
    ids: list[int]


@router.post("/messages/threads", response={201: Started, **ERRORS}, url_name="start_thread",
             summary="Start a conversation")
def start_thread(request, payload: Form[StartIn], attachments: File[list[UploadedFile]] = None):
    """multipart/form-data, as the new-message page: ``recipient`` (a ``value`` of
    /messages/recipients), ``subject``, ``body``, files in ``attachments``; to a whole group ``mode``
    is ``separate`` (a conversation with each family) or ``together`` (one group conversation).
    Answers the new conversations' ids."""
    caller = request.auth
    caller.require_session()
    options = recipient_options(caller.user)
    if not options.schools:
        raise Http404
    data = payload.dict()
    if data["mode"] not in (SEPARATE, TOGETHER):
        data["mode"] = ""
    form = ComposeForm(_form_data(data), request.FILES, options=options)
    if not form.is_valid():
        raise FormInvalid(form)
    return Status(201, {"ids": [c.pk for c in threads.start_from_form(caller.user, form)]})


class MessageReadOut(Schema):
    id: int
    unread_threads: int


@router.post("/messages/threads/{thread_id}/read", response={200: MessageReadOut, **ERRORS},
             url_name="message_thread_read", summary="Mark a conversation read")
def message_thread_read(request, thread_id: int):
    """As opening the conversation page: read up to now, and its notifications read."""
    caller = request.auth
    caller.require_session()
    conversation, me, _participants = threads.conversation_or_404(caller.user, thread_id)
    if me is None:
        raise Http404
    actions.mark_read(conversation, caller.user)
    return {"id": conversation.pk, "unread_threads": unread_conversations(caller.user)}


@router.get("/messages/threads/{thread_id}/attachments/{attachment_id}", response={200: None, **ERRORS},
            url_name="message_attachment", summary="A file of a message", openapi_extra=FILE_ANSWER)
def message_attachment(request, thread_id: int, attachment_id: int):
    """As on the page: photos of children without image consent are not there for other families."""
    caller = request.auth
    caller.require_session()
    conversation, me, _participants = threads.conversation_or_404(caller.user, thread_id)
    return threads.send_attachment(request, conversation, me, attachment_id)

