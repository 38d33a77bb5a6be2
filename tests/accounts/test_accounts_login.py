"""Logging in by e-mail address, sessions, logging out, and throttled failures (django-axes)."""

import pytest
from django.urls import reverse

from tests.accounts.accounts_helpers import log_in, normalized
from tests.factories import PASSWORD, StaffMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LOCKED_TEXT = "Het is te vaak mislukt. Probeer het over 15 minuten opnieuw, of stel een nieuw wachtwoord in."


def test_it_logs_in_by_email_in_other_capitals(client, parent):
    response = log_in(client, "  OUDER@Example.ORG ")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert client.session["_auth_user_id"] == str(parent.pk)


def test_the_login_page_asks_for_email_and_password(client):
    response = client.get(reverse("accounts:login"))
    html = response.content.decode()
    assert 'name="username"' in html and 'type="email"' in html and 'autocomplete="email"' in html
    assert 'autocomplete="current-password"' in html
    assert 'name="remember"' in html


def test_wrong_password_and_unknown_email_give_the_same_answer(client, parent):
    wrong_password = log_in(client, parent.email, "not-the-password")
    unknown_email = log_in(client, "nobody@example.org", "not-the-password")
    assert wrong_password.status_code == unknown_email.status_code == 200
    assert "Het e-mailadres of wachtwoord klopt niet." in wrong_password.content.decode()
    assert normalized(wrong_password, parent.email) == normalized(unknown_email, "nobody@example.org")


def test_an_inactive_account_gets_the_same_answer(client, parent):
    parent.is_active = False
    parent.save()
    inactive = log_in(client, parent.email)
    unknown = log_in(client, "nobody@example.org")
    assert normalized(inactive, parent.email) == normalized(unknown, "nobody@example.org")


def test_it_locks_an_account_out_after_the_failure_limit_from_any_address(client, parent, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = log_in(client, parent.email, "wrong", REMOTE_ADDR=f"10.0.0.{attempt + 1}")
        assert response.status_code == 200
    response = log_in(client, parent.email.upper(), "wrong", REMOTE_ADDR="10.0.1.1")
    assert response.status_code == 429
    assert LOCKED_TEXT in response.content.decode()
    # Even the right password, from yet another address, is refused for now.
    response = log_in(client, parent.email, PASSWORD, REMOTE_ADDR="10.0.2.1")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_does_not_tell_whether_the_account_exists(client, parent, settings):
    pages = []
    for email in (parent.email, "nobody@example.org"):
        for attempt in range(settings.AXES_FAILURE_LIMIT):
            response = log_in(client, email, "wrong", REMOTE_ADDR=f"10.{len(pages)}.0.{attempt + 1}")
        assert response.status_code == 429
        pages.append(normalized(response))
    assert pages[0] == pages[1]
    assert parent.email.encode() not in pages[0]


def test_it_locks_out_an_address_that_tries_many_accounts(client, parent, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        response = log_in(client, f"guess{attempt}@example.org", "wrong", REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429
    assert log_in(client, parent.email, PASSWORD, REMOTE_ADDR="10.9.9.9").status_code == 429
    # The account itself is not locked: from elsewhere it works.
    assert log_in(client, parent.email, PASSWORD, REMOTE_ADDR="10.8.8.8").status_code == 302


def test_stay_signed_in_keeps_the_session_for_the_parent_session_days(client, parent, settings):
    log_in(client, parent.email, remember=True)
    assert not client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == settings.PARENT_SESSION_DAYS * 24 * 60 * 60


def test_without_stay_signed_in_the_session_ends_with_the_browser(client, parent):
    log_in(client, parent.email)
    assert client.session.get_expire_at_browser_close()


def test_a_parent_stays_signed_in_after_browsing(client, parent, settings):
    log_in(client, parent.email, remember=True)
    assert client.get(reverse("accounts:account")).status_code == 200
    assert client.session.get_expiry_age() == settings.PARENT_SESSION_DAYS * 24 * 60 * 60


def test_staff_are_signed_out_after_30_idle_minutes_even_when_they_ask_to_stay(client, settings):
    teacher = StaffMembershipFactory().user
    log_in(client, teacher.email, remember=True)
    assert client.session.get_expiry_age() == 30 * 60
    assert client.get(reverse("accounts:account")).status_code == 200
    assert settings.STAFF_IDLE_MINUTES == 30
    assert client.session.get_expiry_age() == 30 * 60


def test_after_login_the_site_speaks_the_account_language(client):
    user = UserFactory(language="en")
    response = log_in(client, user.email)
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en">' in client.get(reverse("accounts:account")).content.decode()


def test_a_signed_in_user_visiting_the_login_page_goes_home(client, parent):
    client.force_login(parent)
    assert client.get(reverse("accounts:login"))["Location"] == reverse("web:home")


def test_logout_is_a_post(client, parent):
    client.force_login(parent)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
