"""The family export (``lib.family_export``): the conversations the user takes part in as a parent,
with their messages and attachments.

Only the user's own messages and those of school staff are exported: a group conversation's other
parents, and conversations between parents, are other families' data (and a hidden ex-partner
stays hidden). Attachments are the ones the conversation page shows the user (image consent)."""

from __future__ import annotations

from django.db.models import Prefetch

from schoolpoort.core.access import guardian_student_ids
from schoolpoort.lib.family_export import Section, person, row

from . import images
from .models import Conversation, Message, Participant


def export_for(user) -> Section | None:
    conversations = list(
        Conversation.objects.of_participant(user)
        .filter(between_parents=False, participants__user=user, participants__role=Participant.Role.GUARDIAN)
        .select_related("school", "about_student")
        .prefetch_related(Prefetch("participants", Participant.objects.select_related("user")))
        .order_by("created_at", "pk")
        .distinct()
    )
    if not conversations:
        return None
    children = {link["student_id"] for link in guardian_student_ids(user)}
    section = Section("messages", None)
    out = []
    for conversation in conversations:
        staff = {p.user_id: p for p in conversation.participants.all() if p.is_staff}
        messages = (
            Message.objects.filter(conversation=conversation)
            .filter(sender_id__in=[user.pk, *staff])
            .select_related("sender")
            .prefetch_related(Prefetch("attachments", queryset=images.shown_attachments(user)))
        )
        rows = []
        for message in messages:
            sender = "you" if message.sender_id == user.pk else "school"
            attachments = []
            for attachment in message.attachments.all():
                attachments.append({
                    "name": attachment.original_name,
                    "content_type": attachment.content_type,
                    "size": attachment.size,
                    "file": section.add_file("attachments", attachment.pk, attachment.file, attachment.original_name),
                })
            rows.append({
                "from": sender,
                "sender": person(message.sender) if sender == "school" else person(user),
                "role": str(staff[message.sender_id].get_role_display()) if sender == "school" else "",
                "sent_at": message.created_at,
                "text": message.body,
                "attachments": attachments,
            })
        about = conversation.about_student
        out.append({
            **row(conversation, ["subject", "kind", "created_at", "closed_at"]),
            "school": conversation.school.name,
            "about": about.full_name if about is not None and about.pk in children else "",
            "school_staff": [{"name": p.name, "role": str(p.get_role_display())} for p in staff.values()],
            "messages": rows,
        })
    section.data = {"conversations": out}
    return section
