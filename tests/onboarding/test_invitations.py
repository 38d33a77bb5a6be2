"""E-mail invitations in one go: an activation link to every guardian slot with a known address
and no account, in batches over one SMTP connection; refused addresses are remembered."""

import smtplib
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.urls import reverse

from schoolpoort.accounts.guardians import INVITED, slot_status
from schoolpoort.core.models import AuditEntry, Guardianship
from schoolpoort.onboarding import invitations
from schoolpoort.onboarding.invitations import request_mail_batch
from schoolpoort.onboarding.models import BatchStatus, BouncedAddress, MailBatch
from tests.factories import GuardianshipFactory, UserFactory, enrolled_student

from .helpers import english, run_worker

pytestmark = pytest.mark.django_db(transaction=True)


class CountingHandler:
    """A loopback SMTP server that refuses every address with "bounce" in it and counts sessions."""

    def __init__(self):
        self.sessions = 0
        self.messages = []

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if "bounce" in address:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted"


@pytest.fixture
def smtp_server(settings):
    handler = CountingHandler()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield handler
    controller.stop()


def free_slots(group, count, prefix="parent"):
    slots = []
    for n in range(count):
        pupil = enrolled_student(group, first_name=f"Kind{n}", last_name="Test")
        slots.append(
            GuardianshipFactory(student=pupil, user=None, first_name=f"P{n}", email=f"{prefix}{n}@example.org")
        )
    return slots


def send(world, group=None, kind=MailBatch.Kind.INVITE) -> MailBatch:
    batch = request_mail_batch(world.school, group, world.users["administration"], kind)
    run_worker()
    batch.refresh_from_db()
    return batch


def test_everyone_with_an_address_and_no_account_gets_the_activation_link(world):
    slots = free_slots(world.group3, 3)
    GuardianshipFactory(student=world.child, user=None, email="")  # no address: a letter
    batch = send(world, world.group3)
    assert (batch.status, batch.sent, batch.bounced, batch.skipped, batch.failed) == (BatchStatus.DONE, 3, 0, 0, 0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.email for s in slots)
    assert all("/activeren/" in m.body for m in mail.outbox)
    assert all(slot_status(Guardianship.objects.get(pk=s.pk)) == INVITED for s in slots)
    assert AuditEntry.objects.filter(action="onboarding.invite_requested").count() == 1


def test_a_group_batch_leaves_other_groups_alone(world):
    free_slots(world.group3, 2, "drie")
    free_slots(world.group6, 2, "zes")
    assert send(world, world.group6).sent == 2
    assert all(m.to[0].startswith("zes") for m in mail.outbox)


def test_batches_share_one_connection_and_a_refused_address_is_marked(world, smtp_server, monkeypatch):
    monkeypatch.setattr(invitations, "BATCH_SIZE", 4)
    free_slots(world.group3, 5)
    refused = free_slots(world.group6, 1, "bounce")[0]
    batch = send(world)  # 6 mails, 4 per connection: 2 sessions
    assert (batch.sent, batch.bounced, batch.failed) == (5, 1, 0)
    assert smtp_server.sessions == 2
    assert len(smtp_server.messages) == 5
    assert BouncedAddress.objects.filter(email=refused.email).exists()
    assert "550" in BouncedAddress.objects.get().reason


def test_a_refused_address_is_skipped_next_time_until_it_is_corrected(world):
    slot = free_slots(world.group3, 1, "old")[0]
    BouncedAddress.objects.create(email=slot.email)
    assert send(world).sent == 0
    assert mail.outbox == []


def test_reminders_go_to_invited_guardians_who_have_not_activated(world):
    waiting = GuardianshipFactory(student=world.child, user=UserFactory(password=None), email="w@example.org")
    GuardianshipFactory(student=world.child, user=None, email="new@example.org")  # not invited: not reminded
    batch = send(world, world.group3, MailBatch.Kind.REMIND)
    assert (batch.sent, batch.skipped) == (1, 0)
    assert [m.to[0] for m in mail.outbox] == [waiting.user.email]


def test_an_account_activated_meanwhile_is_skipped(world, monkeypatch):
    waiting = GuardianshipFactory(student=world.child, user=UserFactory(password=None))
    batch = request_mail_batch(world.school, None, world.users["director"], MailBatch.Kind.REMIND)
    user = waiting.user
    user.set_password("Een-goed-wachtwoord-1")
    user.save()
    run_worker()
    batch.refresh_from_db()
    assert batch.sent == 0 and batch.status == BatchStatus.DONE
    assert mail.outbox == []


def test_a_lost_connection_counts_as_failed_and_the_rest_goes_on(world, monkeypatch):
    free_slots(world.group3, 3)
    calls = {"n": 0}
    real = invitations.invite_guardian

    def flaky(slot, connection=None):
        calls["n"] += 1
        if calls["n"] == 2:
            raise smtplib.SMTPServerDisconnected("gone")
        return real(slot, connection)

    monkeypatch.setattr(invitations, "invite_guardian", flaky)
    batch = send(world)
    assert (batch.sent, batch.failed, batch.status) == (2, 1, BatchStatus.DONE)


# --- The page ----------------------------------------------------------------------------------


def test_the_page_sends_and_shows_the_counts(client, world):
    free_slots(world.group3, 2)
    english(world.users["administration"])
    client.force_login(world.users["administration"])
    url = reverse("onboarding:mail", args=[world.school.pk])
    assert client.post(url, {"kind": "invite", "mail-group": ""}).status_code == 302
    run_worker()
    html = client.get(reverse("onboarding:school", args=[world.school.pk])).content.decode()
    assert "2 sent, 0 refused, 0 skipped, 0 failed" in html


def test_an_unknown_kind_is_404(client, world):
    client.force_login(world.users["administration"])
    assert client.post(reverse("onboarding:mail", args=[world.school.pk]), {"kind": "spam"}).status_code == 404


@pytest.mark.parametrize("role", ["teacher", "guardian", "board_admin_other_board"])
def test_nobody_else_can_send(client, world, role):
    client.force_login(world.users[role])
    response = client.post(reverse("onboarding:mail", args=[world.school.pk]), {"kind": "invite"})
    assert response.status_code == 404
    assert MailBatch.objects.count() == 0
