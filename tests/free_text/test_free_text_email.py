"""Every free-text field survives the e-mails: a title with line breaks or control characters
gives a one-line subject, never an error (BadHeaderError) and never a header of its own."""

import email
import email.policy

from django.core import mail
from hypothesis import given

from schoolpoort.accounts.emails import send_templated_email
from schoolpoort.lib.text import plain_line
from schoolpoort.notify.models import Delivery
from schoolpoort.notify.tasks import deliver_email
from tests.free_text.strategies import bounded, free_text, stored_text
from tests.notify.notify_helpers import fan_out_now, send

NOTIFICATION_HEADERS = {
    "content-type", "mime-version", "subject", "from", "to", "date", "message-id", "auto-submitted",
    "x-auto-response-suppress", "list-unsubscribe", "list-unsubscribe-post",
}


def parsed(message) -> email.message.EmailMessage:
    """The message as it goes over the wire, read back by a mail program."""
    return email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)


@bounded
@given(title=stored_text)
def test_a_notification_with_any_title_is_one_subject_line(world, title):
    mail.outbox.clear()
    Delivery.objects.all().delete()
    guardian = world.users["guardian"]
    fan_out_now(send([guardian], title=title[:200], school=world.school))
    ids = list(Delivery.objects.filter(channel="email", status="pending").values_list("pk", flat=True))

    stats = deliver_email.call(ids)

    assert stats["sent"] == 1
    (message,) = mail.outbox
    wire = parsed(message)
    assert {name.lower() for name in wire.keys()} == NOTIFICATION_HEADERS
    # (compared word by word: a long subject is folded and encoded on the wire)
    assert wire["Subject"].split() == plain_line(title[:200]).split()
    assert wire["To"] == guardian.email


@bounded
@given(name=free_text)
def test_an_account_email_with_any_name_in_its_subject_is_one_line(world, name):
    """The account mails put names in their subject ("Noor has been added to your account")."""
    mail.outbox.clear()
    child = world.child
    child.first_name, child.last_name = name[:60], "Jansen"

    send_templated_email("accounts/email/child_added", world.users["guardian"], {"student": child, "login_url": "/"})

    (message,) = mail.outbox
    wire = parsed(message)
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.subject == plain_line(message.subject)
    assert wire["Subject"].split() == message.subject.split()
    assert {name.lower() for name in wire.keys()} == {
        "content-type", "mime-version", "subject", "from", "to", "date", "message-id", "auto-submitted",
    }
