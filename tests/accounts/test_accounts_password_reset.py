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


def test_reset_mails_to_one_address_are_limited_without_telling(client, parent, settings):
    settings.PASSWORD_RESET_RATE_PER_EMAIL = "3/h"
    answers = [client.post(RESET, {"email": parent.email}, REMOTE_ADDR=f"10.1.0.{n}") for n in range(5)]
    assert len(mail.outbox) == 3
    # The fourth and fifth look exactly like the first: no hint that a limit (or an account) exists.
    assert {a.status_code for a in answers} == {302}
    assert {a["Location"] for a in answers} == {reverse("accounts:password_reset_done")}


def test_the_limit_per_address_asked_counts_capitals_as_one(client, parent, settings):
    settings.PASSWORD_RESET_RATE_PER_EMAIL = "1/h"
    client.post(RESET, {"email": parent.email})
    client.post(RESET, {"email": parent.email.upper()}, REMOTE_ADDR="10.1.1.1")
    assert len(mail.outbox) == 1


def test_reset_requests_from_one_client_address_are_limited(client, parent, settings):
    settings.PASSWORD_RESET_RATE_PER_IP = "2/h"
    for n in range(2):
        assert client.post(RESET, {"email": f"someone{n}@example.org"}, REMOTE_ADDR="10.2.2.2").status_code == 302
    response = client.post(RESET, {"email": parent.email}, REMOTE_ADDR="10.2.2.2")
    assert response.status_code == 429
    assert mail.outbox == []
    # Another address is not affected.
    assert client.post(RESET, {"email": parent.email}, REMOTE_ADDR="10.3.3.3").status_code == 302
    assert len(mail.outbox) == 1
