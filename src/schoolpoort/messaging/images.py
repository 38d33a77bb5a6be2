"""Which images of a conversation a user gets (image consent, the one rule of ``core.consent``).

The rule applies to every image the school sends (to a group together, or to each family of a
group separately: each family's copy is a row of its own) and to every image in a group
conversation; not to what a parent sends in their own conversation with the school (no other
family sees it), nor between parents (the school is not part of that). Staff of the school and
the sender always see an image; another family sees it once staff tagged the children in it or
marked that no child is recognisable, and only if no tagged child lacks consent (unless their own)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from schoolpoort.core.consent import image_q, set_image_tags
from schoolpoort.core.models import Group

from .models import Conversation, MessageAttachment, Participant


def _parents_own_image() -> Exists:
    """Sent by a parent in a conversation with only their own family and the school."""
    return Exists(
        Participant.objects.filter(
            conversation_id=OuterRef("message__conversation_id"),
            user_id=OuterRef("message__sender_id"),
            role=Participant.Role.GUARDIAN,
        )
    )


def shown_attachment_q(user) -> Q:
    exempt = Q(message__conversation__between_parents=True) | (
        Q(message__conversation__kind=Conversation.Kind.DIRECT) & _parents_own_image()
    )
    return (
        Q(kind=MessageAttachment.Kind.FILE)
        | exempt
        | image_q(user, MessageAttachment, school_field="message__conversation__school_id",
                  uploader_field="message__sender")
    )


def shown_attachments(user):
    """A queryset of the attachments the user may see, to filter or prefetch with."""
    return MessageAttachment.objects.filter(shown_attachment_q(user)).order_by("pk")


def audience_groups(conversation: Conversation):
    """The groups whose pupils an image of the conversation can show (for tagging): its group,
    and the current groups of the children it is about."""
    children = Participant.objects.filter(conversation=conversation, student__isnull=False).values("student_id")
    q = Q(enrollments__student_id__in=children)
    if conversation.group_id:
        q |= Q(pk=conversation.group_id)
    if conversation.about_student_id:
        q |= Q(enrollments__student_id=conversation.about_student_id)
    return Group.objects.filter(pk__in=Group.objects.filter(q).values("pk"))


def tag_copies(attachment: MessageAttachment, student_ids, none_recognisable: bool, by) -> None:
    """Tag the image and its copies: a message sent to each family of a group separately stores
    one row per family with the same file, and staff say once who is in it."""
    for copy in MessageAttachment.objects.filter(file=attachment.file.name, kind=MessageAttachment.Kind.IMAGE):
        set_image_tags(copy, student_ids, none_recognisable, by)
