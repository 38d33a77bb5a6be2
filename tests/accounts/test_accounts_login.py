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


def test_it_locks_an_account_out_for_the_address_that_failed(client, parent, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, parent.email, "wrong", REMOTE_ADDR="10.0.0.1").status_code == 200
    response = log_in(client, parent.email.upper(), "wrong", REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert LOCKED_TEXT in response.content.decode()
    # Even the right password, from that address, is refused for now.
    response = log_in(client, parent.email, PASSWORD, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_from_one_address_do_not_lock_the_account_for_another(client, parent, settings):
    """Nobody can lock Jansen out of her own account from elsewhere."""
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, parent.email, "wrong", REMOTE_ADDR="203.0.113.66")
    assert log_in(client, parent.email, PASSWORD, REMOTE_ADDR="203.0.113.66").status_code == 429
    own_phone = client.__class__()
    assert log_in(own_phone, parent.email, PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 302
    assert own_phone.session["_auth_user_id"] == str(parent.pk)


def test_the_lockout_page_does_not_tell_whether_the_account_exists(client, parent, settings):
    pages = []
    for email in (parent.email, "nobody@example.org"):
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            response = log_in(client, email, "wrong", REMOTE_ADDR=f"10.{len(pages)}.0.1")
        assert response.status_code == 429
        pages.append(normalized(response))
    assert pages[0] == pages[1]
    assert parent.email.encode() not in pages[0]


def test_an_address_that_tries_many_accounts_hits_the_address_ceiling(client, parent, settings):
    ceiling = settings.LOGIN_FAILURE_LIMITS["ip_address"]
    assert ceiling > settings.AXES_FAILURE_LIMIT
    for attempt in range(ceiling - 1):
        # a few guesses per account, each account well below its own limit
        response = log_in(client, f"guess{attempt // 3}@example.org", "wrong", REMOTE_ADDR="10.9.9.9")
        assert response.status_code == 200
    assert log_in(client, "guess-last@example.org", "wrong", REMOTE_ADDR="10.9.9.9").status_code == 429
    assert log_in(client, parent.email, PASSWORD, REMOTE_ADDR="10.9.9.9").status_code == 429
    # The account itself is not locked: from elsewhere it works.
    assert log_in(client, parent.email, PASSWORD, REMOTE_ADDR="10.8.8.8").status_code == 302


def test_signing_in_to_ones_own_account_does_not_wipe_the_address_count(client, parent, settings):
    ceiling = settings.LOGIN_FAILURE_LIMITS["ip_address"]
    for attempt in range(ceiling - 2):
        log_in(client, f"guess{attempt // 3}@example.org", "wrong", REMOTE_ADDR="10.7.7.7")
    assert log_in(client.__class__(), parent.email, PASSWORD, REMOTE_ADDR="10.7.7.7").status_code == 302
    log_in(client, "guess-a@example.org", "wrong", REMOTE_ADDR="10.7.7.7")
    assert log_in(client, "guess-b@example.org", "wrong", REMOTE_ADDR="10.7.7.7").status_code == 429


def test_a_forged_forwarded_for_header_does_not_change_the_address_without_trusted_proxies(
    client, parent, settings
):
    """Without TRUSTED_PROXY_COUNT the socket address counts: an attacker cannot spread guesses
    over made-up addresses, nor frame someone else's address."""
    settings.TRUSTED_PROXY_COUNT = 0
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, parent.email, "wrong", REMOTE_ADDR="10.5.5.5", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}")
    assert log_in(client, parent.email, PASSWORD, REMOTE_ADDR="10.5.5.5").status_code == 429
    # The framed address is untouched.
    assert log_in(client, parent.email, PASSWORD, REMOTE_ADDR="192.0.2.1").status_code == 302


def test_behind_a_trusted_proxy_each_visitor_has_their_own_count(client, parent, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, parent.email, "wrong", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    proxied = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.20"}
    assert log_in(client.__class__(), parent.email, PASSWORD, **proxied).status_code == 302


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
