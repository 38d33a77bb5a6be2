"""Helpers of the messaging tests."""

from django.core.management import call_command
from django_scopes import scope

from schoolpoort.messaging import actions
from schoolpoort.messaging.models import Conversation, SchoolMessagingSettings
from schoolpoort.messaging.recipients import SEPARATE, recipient_options


def english(*users):
    """Pages in English: the assertions read the English strings (the Dutch catalogue comes later)."""
    for user in users:
        user.language = "en"
        user.save(update_fields=["language"])


def run_worker():
    with scope():  # as in the worker process: no scope until a task declares its own
        call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)


def options_of(user):
    return recipient_options(user)


def values_of(user) -> set[str]:
    return {recipient.value for recipient in recipient_options(user).recipients}


def start(sender, value: str, *, subject="Vraag", body="Hallo", mode=SEPARATE, uploads=()) -> list[Conversation]:
    """Start conversations as the new-message form does: only with a recipient offered to the sender."""
    recipient = recipient_options(sender).get(value)
    assert recipient is not None, f"{value} is not offered to {sender}"
    return actions.start_conversations(sender, recipient, subject=subject, body=body, mode=mode, uploads=uploads)


def start_one(sender, value: str, **kwargs) -> Conversation:
    (conversation,) = start(sender, value, **kwargs)
    return conversation


def teacher_thread(world, **kwargs) -> Conversation:
    """The guardian of Noor (group 3) writes to her teacher."""
    users = world.users
    return start_one(users["guardian"], f"teacher:{users['teacher'].pk}:{world.child.pk}", **kwargs)


def school_settings(school, **fields) -> SchoolMessagingSettings:
    settings, _created = SchoolMessagingSettings.objects.update_or_create(school=school, defaults=fields)
    return settings
