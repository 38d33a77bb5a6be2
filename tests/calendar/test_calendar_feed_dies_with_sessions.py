"""The agenda feed link is a standing link (no session): it dies with "log out on all devices"
and with every password change, through accounts' standing-links hook."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.accounts.accounts_helpers import link_in
from tests.calendar.test_calendar_feed import fetch, make_link
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ACCOUNT = reverse("accounts:account")
NEW_PASSWORD = "Nieuw-wachtwoord-2026"


@pytest.fixture
def guardian(world):
    return world.users["guardian"]


@pytest.fixture
def feed_link(client, guardian, events):
    token = make_link(client, guardian)
    assert fetch(client, token).status_code == 200
    return token


def test_log_out_on_all_devices_kills_the_feed_link(client, guardian, feed_link):
    client.force_login(guardian)
    client.post(ACCOUNT, {"action": "sessions"})
    client.logout()
    assert fetch(client, feed_link).status_code == 404
    # A new link can be made and works.
    guardian.refresh_from_db()
    assert fetch(client, make_link(client, guardian)).status_code == 200


def test_changing_the_password_kills_the_feed_link(client, guardian, feed_link):
    client.force_login(guardian)
    response = client.post(
        ACCOUNT,
        {
            "action": "password",
            "password-old_password": PASSWORD,
            "password-new_password1": NEW_PASSWORD,
            "password-new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    client.logout()
    assert fetch(client, feed_link).status_code == 404


def test_a_password_reset_kills_the_feed_link(client, guardian, feed_link):
    client.post(reverse("accounts:password_reset"), {"email": guardian.email})
    form_page = client.get(link_in(mail.outbox[-1], "/wachtwoord-vergeten/"), follow=True)
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert fetch(client, feed_link).status_code == 404


def test_a_password_set_elsewhere_kills_the_feed_link(client, guardian, feed_link):
    """The admin site and `manage.py changepassword` call set_password and save."""
    guardian.set_password(NEW_PASSWORD)
    guardian.save()
    assert fetch(client, feed_link).status_code == 404


def test_saving_other_details_keeps_the_feed_link(client, guardian, feed_link):
    client.force_login(guardian)
    client.post(
        ACCOUNT,
        {
            "action": "profile",
            "profile-first_name": "Anna",
            "profile-last_name": guardian.last_name,
            "profile-phone": "",
            "profile-language": "nl",
        },
    )
    guardian.refresh_from_db()
    guardian.save()
    client.logout()
    assert fetch(client, feed_link).status_code == 200
