"""E-mail through a real SMTP server on loopback (aiosmtpd): one connection per batch, the
headers, both parts, the recipient's language, SMTP errors, and the one-click unsubscribe."""

import email
import email.policy
import logging
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings

from schoolpoort.notify.email import message_id
from schoolpoort.notify.models import Delivery, Preference
from schoolpoort.notify.tasks import deliver_email
from tests.factories import UserFactory
from tests.notify.notify_helpers import fan_out_now, send


class Sink:
    """An SMTP server's handler that keeps every accepted message; RCPT answers can be scripted."""

    def __init__(self):
        self.messages = []
        self.peers = set()
        self.refuse = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.peers.add(session.peer)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    yield sink
    controller.stop()


def queued_ids():
    return list(Delivery.objects.filter(channel="email", status="pending").order_by("pk").values_list("pk", flat=True))


def test_a_real_email_arrives_with_its_headers_and_both_parts(world, smtp):
    guardian = world.users["guardian"]
    guardian.language = "en"
    guardian.save()
    others = UserFactory.create_batch(2)
    fan_out_now(send([guardian, *others], title="Sports day & picnic", school=world.school))
    ids = queued_ids()

    stats = deliver_email.call(ids)

    assert stats["sent"] == 3
    assert len(smtp.peers) == 1  # one SMTP connection for the whole batch
    message = next(m for m in smtp.messages if m["To"] == guardian.email)
    delivery = Delivery.objects.get(recipient=guardian)
    assert delivery.status == "sent" and delivery.sent_at is not None
    assert message["Subject"] == "Sports day & picnic"
    assert message["Message-ID"] == message_id("delivery", delivery.pk)
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.fullmatch(r"<(.+)>", message["List-Unsubscribe"].strip()).group(1)
    assert unsubscribe.startswith(django_settings.SITE_URL + "/meldingen/afmelden/")
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for body in (text, html):
        assert django_settings.SITE_URL + "/nieuws/1/" in body
        assert django_settings.SITE_URL + "/meldingen/voorkeuren/" in body
        assert "News" in body and "School A1" in body
    assert "Sports day & picnic" in text and "Sports day &amp; picnic" in html


def test_the_email_speaks_the_recipients_language(world, smtp):
    dutch, english = UserFactory(language="nl"), UserFactory(language="en")
    fan_out_now(send([dutch, english]))
    deliver_email.call(queued_ids())
    bodies = {m["To"]: m.get_body(("plain",)).get_content() for m in smtp.messages}
    assert "(Nieuws)" in bodies[dutch.email]
    assert "(News)" in bodies[english.email]


def test_an_urgent_email_says_so_in_the_subject(world, smtp):
    guardian = world.users["guardian"]
    guardian.language = "en"
    guardian.save()
    fan_out_now(send([guardian], title="School closed today", urgent=True))
    deliver_email.call(queued_ids())
    assert smtp.messages[0]["Subject"] == "Urgent message: School closed today"


def test_smtp_refusals_temporary_and_permanent(world, smtp):
    busy, unknown, fine = UserFactory.create_batch(3)
    smtp.refuse = {busy.email: "450 mailbox busy", unknown.email: "550 no such user"}
    fan_out_now(send([busy, unknown, fine]))

    stats = deliver_email.call(queued_ids())

    assert (stats["sent"], stats["retry"], stats["failed"]) == (1, 1, 1)
    status = dict(Delivery.objects.values_list("recipient_id", "status"))
    assert status == {busy.pk: "pending", unknown.pk: "failed", fine.pk: "sent"}
    assert [m["To"] for m in smtp.messages] == [fine.email]


def test_an_unreachable_mail_server_is_a_temporary_error(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", free_port(), False
    fan_out_now(send([world.users["guardian"]]))
    stats = deliver_email.call(queued_ids())
    assert stats["retry"] == 1
    assert Delivery.objects.get().status == "pending"


def test_the_one_click_unsubscribe_link_switches_that_modules_email_off(world, smtp, client):
    guardian = world.users["guardian"]
    fan_out_now(send([guardian]))
    deliver_email.call(queued_ids())
    link = re.fullmatch(r"<(.+)>", smtp.messages[0]["List-Unsubscribe"].strip()).group(1)
    path = link[len(django_settings.SITE_URL) :]

    confirm = client.get(path)
    assert confirm.status_code == 200
    assert not Preference.objects.exists()  # GET only asks

    client.handler.enforce_csrf_checks = True  # mail providers post without a session or token
    done = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert Preference.objects.get(user=guardian, module="news").email == "off"
    assert client.get(path[:-5] + "xxxxx/").status_code == 404
