"""The personal data of messaging, for the register (schoolpoort.lib.personal_data)."""

from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from schoolpoort.lib.personal_data import Anchor, Basis, Entry, Term, delete_items, label

from .models import Conversation, Message, MessageAttachment


def _quiet_conversations(school, cutoff):
    """Conversations whose last message is older than ``cutoff``."""
    return (
        Conversation.objects.filter(school=school)
        .annotate(last=Coalesce("last_message_at", "created_at"))
        .filter(last__lt=cutoff)
        .only("pk")
        .order_by("pk")
    )


def _erase_conversations(items) -> int:
    files = [a.file for a in MessageAttachment.objects.filter(message__conversation__in=[c.pk for c in items])]
    return delete_items(items, related_files=files)


def _erase_family(school, student_ids, user_ids) -> int:
    """The family's own messages, and the conversations about its children."""
    about = list(Conversation.objects.filter(school=school, about_student_id__in=student_ids))
    count = _erase_conversations(about) if about else 0
    messages = list(Message.objects.filter(conversation__school=school, sender_id__in=user_ids))
    files = [a.file for a in MessageAttachment.objects.filter(message__in=messages)]
    return count + delete_items(messages, related_files=files)


def register() -> list[Entry]:
    return [
        Entry(
            key="messaging.messages",
            label=_("Messages between parents and school, with their attachments"),
            purpose=_("Contact between parents and teachers about the children."),
            basis=Basis.LEGITIMATE_INTEREST,
            who=_("The participants of the conversation; the director when a message is reported."),
            anchor=Anchor.CREATED,
            term=Term(12),
            source=_("1 year after the last message (model privacy regulations PO, correspondence)."),
            expired=_quiet_conversations,
            erase=_erase_conversations,
            erase_family=_erase_family,
            describe=label,
        ),
    ]
