"""Activation links for guardians whose e-mail address the school has, and the e-mails."""

import time
import types

import pytest
from django.core import mail, signing
from django.urls import reverse

from schoolpoort.accounts.activation import invite_guardian, make_activation_token
from schoolpoort.accounts.models import User
from tests.accounts.accounts_helpers import link_in, log_in
from tests.factories import PASSWORD, GuardianshipFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Regenboog-ouder-2026"


@pytest.fixture
def slot_with_email(noor):
    return GuardianshipFactory(
        student=noor, user=None, first_name="Piet", last_name="Jansen", email="Piet@Example.org"
    )


def test_inviting_makes_an_account_without_password_and_mails_a_link(slot_with_email, settings):
    user = invite_guardian(slot_with_email)
    assert (user.email, user.first_name, user.last_name) == ("piet@example.org", "Piet", "Jansen")
    assert not user.has_usable_password()
    slot_with_email.refresh_from_db()
    assert slot_with_email.user == user
    (message,) = mail.outbox
    assert message.to == ["piet@example.org"]
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert settings.SITE_URL + "/activeren/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and settings.SITE_URL + "/activeren/" in html
    assert "Noor Jansen" in message.body


def test_the_link_sets_a_password_logs_in_and_works_only_once(client, slot_with_email):
    user = invite_guardian(slot_with_email)
    link = link_in(mail.outbox[0], "/activeren/")
    page = client.get(link)
    assert page.status_code == 200 and 'autocomplete="new-password"' in page.content.decode()
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("web:home")
    assert client.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    again = client.__class__().get(link)
    assert again.status_code == 400
    assert "Deze activatielink is niet geldig, of hij is al gebruikt." in again.content.decode()
    assert log_in(client.__class__(), "PIET@example.org", NEW_PASSWORD).status_code == 302


def test_an_expired_link_says_so(client, slot_with_email, settings, monkeypatch):
    user = invite_guardian(slot_with_email)
    link = link_in(mail.outbox[0], "/activeren/")
    later = time.time() + settings.ACTIVATION_LINK_DAYS * 24 * 60 * 60 + 60
    monkeypatch.setattr(signing, "time", types.SimpleNamespace(time=lambda: later))
    response = client.get(link)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Deze activatielink is verlopen" in html
    assert "Vraag de administratie van school om je een nieuwe link te sturen." in html
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_a_link_with_zero_days_has_expired(client, slot_with_email, settings):
    settings.ACTIVATION_LINK_DAYS = 0
    user = invite_guardian(slot_with_email)
    time.sleep(0.01)
    response = client.get(reverse("accounts:activate", args=[make_activation_token(user)]))
    assert response.status_code == 400 and "Deze activatielink is verlopen" in response.content.decode()


def test_a_tampered_link_does_not_work(client, slot_with_email):
    invite_guardian(slot_with_email)
    link = link_in(mail.outbox[0], "/activeren/")
    assert client.get(link[:-3] + "xyz/").status_code == 400


def test_inviting_again_resends_the_link_until_a_password_is_set(slot_with_email):
    first = invite_guardian(slot_with_email)
    again = invite_guardian(slot_with_email)
    assert first == again
    assert len(mail.outbox) == 2
    assert User.objects.count() == 1


def test_inviting_someone_with_an_account_links_the_child_and_sends_a_notice(slot_with_email):
    existing = UserFactory(email="piet@example.org", language="en")
    user = invite_guardian(slot_with_email)
    assert user == existing
    assert user.check_password(PASSWORD)
    slot_with_email.refresh_from_db()
    assert slot_with_email.user == existing
    (message,) = mail.outbox
    assert "Noor Jansen has been added to your Schoolpoort account" in message.subject
    assert "/activeren/" not in message.body
    assert '<html lang="en">' in message.alternatives[0][0]


def test_the_mail_is_in_the_recipients_language(slot_with_email):
    UserFactory(email="piet@example.org", language="nl", password=None)
    invite_guardian(slot_with_email)
    assert '<html lang="nl">' in mail.outbox[0].alternatives[0][0]


def test_a_slot_without_email_cannot_be_invited(free_slot):
    with pytest.raises(ValueError):
        invite_guardian(free_slot)
    assert not mail.outbox
