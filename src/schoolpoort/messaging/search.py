"""Messages in the search (``lib.search``): messages of the user's own conversations
(``Conversation.objects.of_participant``, as the messaging search: a director's reading of
other conversations is audited and stays on the messaging pages), matched on the message and
the conversation's subject. A hidden ex-partner's messages are never found (``core.hiding``).

No GIN index here: the user's own conversations are few, and PostgreSQL starts from them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from schoolpoort.core.hiding import hidden_user_ids_q
from schoolpoort.lib.search import SearchHit, SearchProvider, highlight, text_match

from .access import MODULE
from .models import Conversation, Message

FIELDS = ("body", "conversation__subject")


def hits(user, query, offset: int, limit: int) -> list[SearchHit]:
    messages = (
        Message.objects.filter(conversation__in=Conversation.objects.of_participant(user).values("pk"))
        .exclude(sender_id__in=hidden_user_ids_q(user))
        .select_related("conversation__school", "sender")
    )
    found = text_match(messages, FIELDS, query, newest=("-created_at", "-pk"))[offset : offset + limit]
    return [
        SearchHit(
            title=message.conversation.subject,
            url=f"{message.conversation.get_absolute_url()}#message-{message.pk}",
            snippet=highlight(message.body, query),
            when=message.created_at,
            meta=f"{message.sender_name} · {message.conversation.school.name}",
        )
        for message in found
    ]


SEARCH = SearchProvider(MODULE, _("Messages"), hits, order=20)
