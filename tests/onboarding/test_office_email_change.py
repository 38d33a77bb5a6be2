"""The administration can only *send* a confirmation link for a registered parent's new login
address: it changes when the parent opens it, and the old address hears of the request at once.
Otherwise whoever reads the new mailbox could take the account over with a password reset."""

import pytest
from django.core import mail
from django.urls import reverse

from schoolpoort.accounts.models import User
from schoolpoort.core.models import AuditEntry, Guardianship
from tests.accounts.accounts_helpers import link_in

pytestmark = pytest.mark.django_db

NEW = "nieuw@example.org"


@pytest.fixture
def slot(world):
    slot = Guardianship.objects.filter(student=world.child, user=world.users["guardian"]).get()
    slot.email = slot.user.email  # the address the school's administration system has
    slot.save(update_fields=["email"])
    return slot


@pytest.fixture
def requested(client, world, slot):
    """The administration asks for the new address; returns the guardian's old address."""
    old = slot.user.email
    client.force_login(world.users["administration"])
    response = client.post(reverse("onboarding:change_email", args=[slot.pk]), {"email": "Nieuw@Example.org"})
    assert response.status_code == 302
    client.logout()
    return old


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def test_the_office_change_leaves_the_login_address_as_it_is(requested, slot):
    user = User.objects.get(pk=slot.user_id)
    assert user.email == requested
    assert Guardianship.objects.get(pk=slot.pk).email != NEW
    (link_mail,) = mails_to(NEW)
    assert "/mijn-account/e-mail/" in link_mail.body and slot.student.school.name in link_mail.body
    (notice,) = mails_to(requested)
    assert NEW in notice.body and "/mijn-account/e-mail/" not in notice.body  # no link for the old mailbox
    entry = AuditEntry.objects.get(action="onboarding.guardian_email_change_requested")
    assert entry.detail["old"] == requested and entry.detail["new"] == NEW
    assert not AuditEntry.objects.filter(action="onboarding.guardian_email_changed").exists()


def test_the_page_says_a_link_was_sent(client, world, slot):
    client.force_login(world.users["administration"])
    response = client.post(reverse("onboarding:change_email", args=[slot.pk]), {"email": NEW}, follow=True)
    assert NEW in response.content.decode()
    assert User.objects.get(pk=slot.user_id).email != NEW


def test_the_confirmation_link_changes_the_login_address(client, requested, slot):
    (link_mail,) = mails_to(NEW)
    response = client.post(link_in(link_mail, "/mijn-account/e-mail/"))
    assert response.status_code == 302
    user = User.objects.get(pk=slot.user_id)
    assert user.email == NEW
    # The school's record follows, and the old address is told it has changed.
    assert Guardianship.objects.get(pk=slot.pk).email == NEW
    assert len(mails_to(requested)) == 2


def test_a_reset_requested_before_the_confirmation_goes_to_the_old_address(client, requested, slot):
    reset = reverse("accounts:password_reset")
    client.post(reset, {"email": NEW})
    assert len(mails_to(NEW)) == 1  # only the confirmation link: no account logs in with it yet
    client.post(reset, {"email": requested})
    assert "/wachtwoord-vergeten/" in mails_to(requested)[-1].body


def test_a_link_sent_before_the_address_changed_otherwise_no_longer_works(client, requested, slot):
    """The parent changed the address themselves meanwhile: the office's link is dead."""
    (link_mail,) = mails_to(NEW)
    user = User.objects.get(pk=slot.user_id)
    user.email = "eigen@example.org"
    user.save(update_fields=["email"])
    assert client.post(link_in(link_mail, "/mijn-account/e-mail/")).status_code == 400
    assert User.objects.get(pk=slot.user_id).email == "eigen@example.org"
