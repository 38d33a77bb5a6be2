"""Helpers of the search tests: a little content of every searchable module in the test world."""

from django.urls import reverse
from django.utils import timezone

from schoolpoort.messaging.models import Conversation, Message, Participant


def search_url(text: str, **params) -> str:
    from urllib.parse import urlencode

    return f"{reverse('web:search')}?{urlencode({'q': text, **params})}"


def conversation(school, subject: str, *people, kind=Conversation.Kind.DIRECT) -> Conversation:
    """A conversation with ``people`` as (user, role) participants, made directly."""
    now = timezone.now()
    found = Conversation.objects.create(school=school, subject=subject, kind=kind, created_by=people[0][0],
                                        last_message_at=now)
    for user, role in people:
        Participant.objects.create(conversation=found, user=user, role=role)
    return found


def say(conversation: Conversation, sender, body: str) -> Message:
    return Message.objects.create(conversation=conversation, sender=sender, body=body)
