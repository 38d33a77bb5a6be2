"""Forgot password: Django's views with our e-mail, which never tell whether an address has an
account."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.accounts.accounts_helpers import link_in, log_in, normalized
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Nieuw-wachtwoord-2026"
RESET = reverse("accounts:password_reset")


def test_the_reset_link_from_the_mail_sets_a_new_password(client, parent, settings):
    response = client.post(RESET, {"email": "Ouder@EXAMPLE.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    (message,) = mail.outbox
    assert message.to == [parent.email]
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert message.alternatives and message.alternatives[0][1] == "text/html"
    link = link_in(message, "/wachtwoord-vergeten/")

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and "new_password1" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("accounts:password_reset_complete")

    fresh = client.__class__()
    assert log_in(fresh, parent.email, PASSWORD).status_code == 200
    assert log_in(fresh, parent.email, NEW_PASSWORD).status_code == 302
    # The link works once.
    assert "Deze link werkt niet" in client.get(link, follow=True).content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, parent):
    known = client.post(RESET, {"email": parent.email}, follow=True)
    mail.outbox.clear()
    unknown = client.post(RESET, {"email": "nobody@example.org"}, follow=True)
    assert not mail.outbox
    assert known.redirect_chain == unknown.redirect_chain
    assert normalized(known) == normalized(unknown)


def test_an_invited_guardian_without_a_password_can_use_it_to_activate(client):
    from tests.factories import UserFactory

    invited = UserFactory(email="invited@example.org", password=None)
    assert not invited.has_usable_password()
    client.post(RESET, {"email": invited.email})
    assert len(mail.outbox) == 1


def test_the_mail_is_in_the_users_language(client, parent):
    parent.language = "en"
    parent.save()
    client.post(RESET, {"email": parent.email})
    assert '<html lang="en">' in mail.outbox[0].alternatives[0][0]


def test_resetting_the_password_lifts_the_lock_on_the_account(client, parent, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, parent.email, "wrong", REMOTE_ADDR="10.0.0.1")
    assert log_in(client, parent.email, PASSWORD, REMOTE_ADDR="10.0.0.1").status_code == 429
    client.post(RESET, {"email": parent.email})
    form_page = client.get(link_in(mail.outbox[0], "/wachtwoord-vergeten/"), follow=True)
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert log_in(client.__class__(), parent.email, NEW_PASSWORD, REMOTE_ADDR="10.0.0.1").status_code == 302
