"""Reading and writing conversations, shared by the message pages (views.py) and the JSON API: one
conversation through ``visible_to``, the user's own conversations for the inbox, the messages with
the attachments the user may see (image consent), the other participants a parent may see (the
hidden ex-partner rule), a message's file (with the leadership audit), and sending from a form."""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, Subquery
from django.http import FileResponse, Http404

from schoolpoort.core import staging
from schoolpoort.core.access import get_visible_or_404
from schoolpoort.core.hiding import hidden_guardians

from . import actions, images
from .access import usable_school_ids
from .models import Conversation, Message, Participant


def conversation_or_404(user, conversation_id: int):
    """(conversation, the user's participation or None, the active participants)."""
    queryset = Conversation.objects.select_related("school", "group", "about_student", "closed_by")
    conversation = get_visible_or_404(queryset, user, pk=conversation_id)
    participants = list(
        conversation.participants.filter(left_at__isnull=True).select_related("user", "student").order_by("pk")
    )
    me = next((p for p in participants if p.user_id == user.pk), None)
    return conversation, me, participants


def my_rows(user):
    """The user's own participations, newest conversation first, with the last message and the others."""
    last = Message.objects.filter(conversation=OuterRef("conversation")).order_by("-created_at", "-pk")
    others = Participant.objects.filter(left_at__isnull=True).select_related("user", "student").order_by("pk")
    return (
        Participant.objects.filter(user=user, left_at__isnull=True, conversation__school_id__in=usable_school_ids(user))
        .select_related("conversation__school", "conversation__group")
        .prefetch_related(Prefetch("conversation__participants", queryset=others))
        .annotate(last_body=Subquery(last.values("body")[:1]), last_sender=Subquery(last.values("sender_id")[:1]))
        .order_by("-conversation__last_message_at", "-conversation_id")
    )


def with_attachments(messages_qs, user):
    """The messages with the attachments the user may see (image consent)."""
    return messages_qs.select_related("sender").prefetch_related(
        Prefetch("attachments", queryset=images.shown_attachments(user))
    )


def hidden_from(user, me) -> set[int]:
    """The users a parent in the conversation must not see by name (``core.hiding``): in a group
    conversation a parent may meet the ex-partner who hides from them."""
    if me is not None and me.role == Participant.Role.GUARDIAN:
        return set(hidden_guardians(user).user_ids)
    return set()


def others_shown(user, me, participants, hidden: set[int] | None = None) -> list:
    """The other participants the user sees (the hidden ex-partner left out)."""
    hidden = hidden_from(user, me) if hidden is None else hidden
    return [p for p in participants if p.user_id != user.pk and p.user_id not in hidden]


def send_attachment(request, conversation, me, attachment_id: int):
    """A message's file, for whoever may see the conversation; photos inline, documents as a
    download. A director reading a conversation they are not in is audited."""
    item = images.shown_attachments(request.user).filter(pk=attachment_id, message__conversation=conversation).first()
    if item is None:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    if me is None:
        actions.record_leadership_read(request.user, conversation, attachment=item.pk)
    response = FileResponse(
        handle, as_attachment=not item.is_image, filename=item.original_name, content_type=item.content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def send_reply(conversation, user, form) -> Message | None:
    """The valid MessageForm's message to the conversation; None with the reason on the form when
    the conversation takes none (closed, or no longer allowed between parents)."""
    try:
        message = actions.post_message(conversation, user, form.cleaned_data["body"], form.uploads_to_send())
    except actions.Refused as refused:
        form.add_error(None, str(refused))
        return None
    staging.discard_on_commit(form.kept)
    return message


def start_from_form(user, form) -> list[Conversation]:
    """The valid ComposeForm's conversations: one, one per family, or one with a whole group."""
    data = form.cleaned_data
    started = actions.start_conversations(
        user, data["recipient"], subject=data["subject"], body=data["body"], mode=data["mode"],
        uploads=form.uploads_to_send(),
    )
    staging.discard_on_commit(form.kept)
    return started
