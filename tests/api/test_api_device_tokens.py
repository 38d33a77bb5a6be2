"""Device tokens from the phone's QR sign-in (api/device_tokens.py): the app's "Log in as" with
``want_token=1`` gets a token that acts as the person (every endpoint their session may use, the
person-only ones too, nothing of another family), listed on Mijn account and revocable there;
revoked, expired, a new password or "log out on all devices" → 401; staff only with a second factor."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from schoolpoort.accounts.models import PhoneLink
from schoolpoort.api.models import DeviceToken
from tests.accounts.accounts_helpers import app_for
from tests.api.api_helpers import bearer, token_for
from tests.factories import PASSWORD
from tests.world import build_world

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "een-heel-nieuw-wachtwoord-42"
WAIT = reverse("accounts:phone_link_wait")
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Mobile Safari/537.36"
)


@pytest.fixture
def world(db):
    return build_world()




def scan_and_confirm(user):
    computer, phone = Client(), Client(HTTP_USER_AGENT=ANDROID)
    computer.force_login(user)
    response = computer.post(reverse("accounts:phone_link_start"), {"password": PASSWORD})
    assert response.status_code == 200
    url = response.content.decode().split('data-url="', 1)[1].split('"', 1)[0]
    assert phone.get(urlsplit(url).path).status_code == 302
    link = PhoneLink.objects.latest("pk")
    computer.post(reverse("accounts:phone_link_answer", args=[link.pk]), {"action": "confirm"})
    return computer, phone


def device_token(user) -> tuple[Client, str]:
    user.set_password(PASSWORD)
    user.save()
    computer, phone = scan_and_confirm(user)
    response = phone.post(WAIT, {"want_token": "1"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["token"].startswith("spd_") and body["device"]
    return computer, body["token"]


def test_the_qr_flow_yields_a_token_that_acts_as_the_parent(world, client):
    parent = world.users["guardian"]
    _computer, secret = device_token(parent)
    stored = DeviceToken.objects.get(user=parent)
    assert secret not in (stored.digest, stored.prefix)
    assert stored.expires_at > timezone.now() + datetime.timedelta(days=89)
    me = client.get("/api/v1/me", **bearer(secret))
    assert me.status_code == 200 and me.json()["id"] == parent.pk
    # A person-only endpoint (require_session): the device token may, a system token may not.
    children = client.get("/api/v1/records/children", **bearer(secret))
    assert children.status_code == 200
    assert [c["id"] for c in children.json()["items"]] == [world.child.pk]
    system = token_for(world.users["director"], world.school).secret
    assert client.get("/api/v1/records/children", **bearer(system)).status_code == 403
    # Nothing of another family.
    other_child = world.classmate_of_other_group
    assert client.get(f"/api/v1/records/children/{other_child.pk}/report-cards", **bearer(secret)).status_code == 404
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_the_browser_flow_is_unchanged(world):
    parent = world.users["guardian"]
    parent.set_password(PASSWORD)
    parent.save()
    _computer, phone = scan_and_confirm(parent)
    response = phone.post(WAIT)
    assert response.status_code == 302
    assert not DeviceToken.objects.exists()


def test_listed_and_revoked_on_the_account_page_then_401(world, client):
    parent = world.users["guardian"]
    computer, secret = device_token(parent)
    token = DeviceToken.objects.get(user=parent)
    page = computer.get(reverse("accounts:account")).content.decode()
    assert f'data-device-token="{token.pk}"' in page
    assert computer.post(reverse("accounts:device_end", args=[token.pk])).status_code == 302
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 401
    assert f'data-device-token="{token.pk}"' not in computer.get(reverse("accounts:account")).content.decode()


def test_another_users_token_cannot_be_revoked(world, client):
    _computer, secret = device_token(world.users["guardian"])
    token = DeviceToken.objects.get()
    stranger = Client()
    stranger.force_login(world.users["guardian_other_group"])
    assert stranger.post(reverse("accounts:device_end", args=[token.pk])).status_code == 404
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 200


def test_expired_token_is_401(world, client):
    _computer, secret = device_token(world.users["guardian"])
    DeviceToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 401
    assert client.get("/api/v1/me", **bearer(secret + "x")).status_code == 401


def test_new_password_sign_out_everywhere_and_deactivation_stop_it(world, client):
    parent = world.users["guardian"]
    computer, secret = device_token(parent)
    response = computer.post(reverse("accounts:account"), {
        "action": "password", "password-old_password": PASSWORD,
        "password-new_password1": NEW_PASSWORD, "password-new_password2": NEW_PASSWORD,
    })
    assert response.status_code == 302
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 401

    parent.refresh_from_db()
    _computer, secret = device_token(parent)
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 200
    parent.end_all_sessions()
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 401

    parent.refresh_from_db()
    _computer, secret = device_token(parent)
    parent.is_active = False
    parent.save()
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 401


def test_staff_without_second_factor_gets_no_token(world):
    teacher = world.users["teacher"]
    teacher.set_password(PASSWORD)
    teacher.save()
    _computer, phone = scan_and_confirm(teacher)
    response = phone.post(WAIT, {"want_token": "1"})
    assert response.status_code == 403
    assert not DeviceToken.objects.exists()


def test_staff_with_second_factor_gets_one(world, client):
    teacher = world.users["teacher"]
    app_for(teacher)
    _computer, secret = device_token(teacher)
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 200
