"""Mijn account: details and language, password, e-mail address, and sessions."""

import pytest
from django.utils.html import escape
from django.core import mail
from django.urls import reverse

from schoolpoort.accounts.models import User
from tests.accounts.accounts_helpers import link_in, log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ACCOUNT = reverse("accounts:account")
NEW_PASSWORD = "Nieuw-wachtwoord-2026"


@pytest.fixture
def signed_in(client, parent):
    client.force_login(parent)
    return client


def test_it_shows_name_email_and_language(signed_in, parent):
    html = signed_in.get(ACCOUNT).content.decode()
    assert parent.email in html and escape(parent.full_name) in html and "Nederlands" in html


def test_it_is_for_signed_in_users_only(client):
    assert client.get(ACCOUNT)["Location"].startswith(reverse("accounts:login"))


def test_changing_the_language_takes_effect_at_once(signed_in, parent):
    response = signed_in.post(
        ACCOUNT,
        {
            "action": "profile",
            "profile-first_name": "Sanne",
            "profile-last_name": "de Vries",
            "profile-phone": "06 12345678",
            "profile-language": "en",
        },
        follow=True,
    )
    parent.refresh_from_db()
    assert (parent.language, parent.phone) == ("en", "06 12345678")
    assert '<html lang="en">' in response.content.decode()
    assert "Your details have been saved." in response.content.decode()


def test_changing_the_password_keeps_this_session(signed_in, parent):
    response = signed_in.post(
        ACCOUNT,
        {
            "action": "password",
            "password-old_password": PASSWORD,
            "password-new_password1": NEW_PASSWORD,
            "password-new_password2": NEW_PASSWORD,
        },
    )
    assert response["Location"] == ACCOUNT
    assert signed_in.get(ACCOUNT).status_code == 200
    parent.refresh_from_db()
    assert parent.check_password(NEW_PASSWORD)


def test_a_wrong_current_password_changes_nothing(signed_in, parent):
    response = signed_in.post(
        ACCOUNT,
        {
            "action": "password",
            "password-old_password": "wrong",
            "password-new_password1": NEW_PASSWORD,
            "password-new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 400
    parent.refresh_from_db()
    assert parent.check_password(PASSWORD)


def change_email(client, new_email, password=PASSWORD):
    return client.post(
        ACCOUNT, {"action": "email", "email-new_email": new_email, "email-current_password": password}
    )


def test_changing_the_email_address_needs_a_click_in_the_new_mailbox(signed_in, parent):
    response = change_email(signed_in, "Sanne.New@Example.org")
    assert response["Location"] == ACCOUNT
    parent.refresh_from_db()
    assert parent.email == "ouder@example.org"
    (message,) = mail.outbox
    assert message.to == ["sanne.new@example.org"]
    link = link_in(message, "/mijn-account/e-mail/")

    # Opening the link (or a mail scanner doing so) changes nothing; the button does.
    assert signed_in.get(link).status_code == 200
    parent.refresh_from_db()
    assert parent.email == "ouder@example.org"
    assert signed_in.post(link)["Location"] == ACCOUNT
    parent.refresh_from_db()
    assert parent.email == "sanne.new@example.org"
    notice = mail.outbox[1]
    assert notice.to == ["ouder@example.org"] and "sanne.new@example.org" in notice.body

    assert signed_in.post(link).status_code == 400  # used
    assert log_in(signed_in.__class__(), "SANNE.NEW@example.org").status_code == 302


def test_changing_the_email_needs_the_current_password(signed_in, parent):
    response = change_email(signed_in, "new@example.org", password="wrong")
    assert response.status_code == 400
    assert "Je huidige wachtwoord klopt niet." in response.content.decode()
    assert not mail.outbox


def test_an_address_in_use_is_refused_in_any_capitals(signed_in, parent):
    UserFactory(email="taken@example.org")
    response = change_email(signed_in, "TAKEN@example.org")
    assert "Dit e-mailadres hoort al bij een ander account." in response.content.decode()
    assert not mail.outbox


def test_an_address_taken_after_the_link_was_sent_is_refused(signed_in, parent):
    change_email(signed_in, "new@example.org")
    link = link_in(mail.outbox[0], "/mijn-account/e-mail/")
    UserFactory(email="NEW@example.org".lower())
    assert signed_in.post(link).status_code == 400
    parent.refresh_from_db()
    assert parent.email == "ouder@example.org"
    assert User.objects.filter(email__iexact="new@example.org").count() == 1


def test_log_out_on_all_devices_ends_other_sessions_but_keeps_this_one(client, parent):
    phone, laptop = client, client.__class__()
    assert log_in(phone, parent.email).status_code == 302
    assert log_in(laptop, parent.email).status_code == 302
    assert laptop.get(ACCOUNT).status_code == 200

    response = phone.post(ACCOUNT, {"action": "sessions"}, follow=True)
    assert "Je bent uitgelogd op al je andere apparaten." in response.content.decode()
    assert phone.get(ACCOUNT).status_code == 200
    assert laptop.get(ACCOUNT)["Location"].startswith(reverse("accounts:login"))
