"""Passkeys as the second factor (django-otp-webauthn, verified by py_webauthn with a real signed
credential from tests/accounts/soft_passkey.py): a verified user adds one on Mijn account, uses it
after the password instead of a code, removes it; nobody adds one with the password alone, uses
someone else's, or removes someone else's; a school admin's reset removes passkeys too."""

import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from schoolpoort.accounts import second_factor
from tests.accounts.accounts_helpers import app_for, log_in
from tests.accounts.soft_passkey import SoftPasskey
from tests.records.helpers import fill_records
from tests.world import build_world

ORIGIN = "http://testserver"


@pytest.fixture
def world(db, settings):
    settings.OTP_WEBAUTHN_RP_ID = "testserver"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [ORIGIN]
    world = build_world()
    fill_records(world)
    return world


def medical_url(world):
    return reverse("records:medical", args=[world.child.pk])


def post_json(client, name, data=None, query=""):
    return client.post(reverse(name) + query, json.dumps(data or {}), content_type="application/json")


def register(client, passkey):
    begin = post_json(client, "accounts:passkey_register_begin")
    assert begin.status_code == 200, begin.content
    return post_json(client, "accounts:passkey_register", passkey.create(begin.json()))


def sign_in_with(client, passkey, next_url="", **get_kwargs):
    begin = post_json(client, "accounts:passkey_sign_in_begin")
    assert begin.status_code == 200, begin.content
    query = f"?next={next_url}" if next_url else ""
    return post_json(client, "accounts:passkey_sign_in", passkey.get(begin.json(), **get_kwargs), query)


def teacher_with_passkey(world):
    """The teacher signs in with password and app, and adds a passkey on Mijn account."""
    from django.test import Client

    teacher = world.users["teacher"]
    app_for(teacher)
    client = Client()
    log_in(client, teacher.email)
    passkey = SoftPasskey("testserver", ORIGIN)
    assert register(client, passkey).status_code == 200
    return teacher, passkey


def test_a_verified_teacher_adds_a_passkey_and_sees_it_on_my_account(client, world):
    teacher = world.users["teacher"]
    app_for(teacher)
    log_in(client, teacher.email)
    page = client.get(reverse("accounts:account")).content.decode()
    assert 'data-passkey="register"' in page
    assert "accounts/passkeys.js" in page

    response = register(client, SoftPasskey("testserver", ORIGIN))
    assert response.status_code == 200
    device = WebAuthnCredential.objects.get(user=teacher)
    assert device.confirmed
    page = client.get(reverse("accounts:account")).content.decode()
    assert reverse("accounts:remove_passkey", args=[device.pk]) in page


def test_the_password_alone_cannot_add_a_passkey(client, world):
    teacher = world.users["teacher"]
    app_for(teacher)
    log_in(client, teacher.email, second_factor=False)
    # Staff: the safety net sends every unverified request to the code step.
    assert post_json(client, "accounts:passkey_register_begin").status_code == 302
    # A parent without a second factor is never verified, so cannot start with a passkey either.
    parent = client.__class__()
    log_in(parent, world.users["guardian"].email, second_factor=False)
    assert post_json(parent, "accounts:passkey_register_begin").status_code == 403
    assert "data-passkey" not in parent.get(reverse("accounts:account")).content.decode()
    assert not WebAuthnCredential.objects.exists()


def test_the_passkey_replaces_the_code_after_the_password(client, world):
    teacher, passkey = teacher_with_passkey(world)
    response = log_in(client, teacher.email, second_factor=False)
    assert response.url.startswith(reverse("accounts:second_factor"))
    code_page = client.get(response.url).content.decode()
    assert 'data-passkey="sign-in"' in code_page
    assert client.get(medical_url(world)).status_code == 302

    answer = sign_in_with(client, passkey, next_url=medical_url(world))
    assert answer.status_code == 200, answer.content
    assert answer.json()["redirect_url"] == medical_url(world)
    assert client.get(medical_url(world)).status_code == 200
    assert WebAuthnCredential.objects.get(user=teacher).last_used_at is not None


def test_a_forged_signature_or_another_origin_is_refused(client, world):
    teacher, passkey = teacher_with_passkey(world)
    log_in(client, teacher.email, second_factor=False)
    forged = sign_in_with(client, passkey, key=ec.generate_private_key(ec.SECP256R1()))
    assert forged.status_code == 422, forged.content
    phished = sign_in_with(client, passkey, origin="https://schoolpoort.example.evil")
    assert phished.status_code == 422, phished.content
    assert client.get(medical_url(world)).status_code == 302
    assert not second_factor.is_verified(client.get(reverse("accounts:second_factor")).wsgi_request)


def test_someone_elses_passkey_does_not_verify(client, world):
    _teacher, passkey = teacher_with_passkey(world)
    colleague = world.users["teacher_other_group"]
    app_for(colleague)
    log_in(client, colleague.email, second_factor=False)
    answer = sign_in_with(client, passkey)
    assert answer.status_code == 403
    assert client.get(medical_url(world)).status_code == 302


def test_without_a_password_a_passkey_opens_nothing(client, world):
    _teacher, passkey = teacher_with_passkey(world)
    assert post_json(client, "accounts:passkey_sign_in_begin").status_code == 403
    assert not client.session.get(second_factor.VERIFIED_KEY)


def test_removing_a_passkey_is_only_for_its_owner(client, world):
    teacher, _passkey = teacher_with_passkey(world)
    device = WebAuthnCredential.objects.get(user=teacher)
    colleague = world.users["teacher_other_group"]
    app_for(colleague)
    log_in(client, colleague.email)
    assert client.post(reverse("accounts:remove_passkey", args=[device.pk])).status_code == 404
    assert WebAuthnCredential.objects.filter(pk=device.pk).exists()

    owner = client.__class__()
    log_in(owner, teacher.email)
    assert owner.post(reverse("accounts:remove_passkey", args=[device.pk])).status_code == 302
    assert not WebAuthnCredential.objects.filter(pk=device.pk).exists()


def test_a_school_admins_reset_removes_passkeys(client, world):
    teacher, _passkey = teacher_with_passkey(world)
    client.force_login(world.users["director"])
    page = client.get(reverse("accounts:second_factor_reset", args=[world.school.pk]))
    assert page.status_code == 200
    response = client.post(reverse("accounts:second_factor_reset", args=[world.school.pk]), {"user": teacher.pk})
    assert response.status_code == 302
    assert not WebAuthnCredential.objects.filter(user=teacher).exists()
    assert not second_factor.has_any_factor(teacher)


def test_passkeys_are_not_offered_on_another_address(client, world, settings):
    teacher, _passkey = teacher_with_passkey(world)
    settings.OTP_WEBAUTHN_RP_ID = "schoolpoort.example"
    response = log_in(client, teacher.email, second_factor=False)
    assert "data-passkey" not in client.get(response.url).content.decode()


def test_the_relying_party_follows_the_site_address():
    from urllib.parse import urlsplit

    from django.conf import settings as django_settings

    site = urlsplit(django_settings.SITE_URL)
    if site.hostname in {"127.0.0.1", "::1"}:
        assert django_settings.WEBAUTHN_RP_ID == "localhost"
        assert django_settings.WEBAUTHN_ORIGINS == [f"http://localhost:{site.port}" if site.port else "http://localhost"]
    else:
        assert django_settings.WEBAUTHN_RP_ID == site.hostname


def test_remember_this_device_counts_for_a_passkey_too(client, world):
    teacher, passkey = teacher_with_passkey(world)
    log_in(client, teacher.email, second_factor=False)
    answer = sign_in_with(client, passkey, next_url=f"{medical_url(world)}&remember=1")
    assert answer.status_code == 200, answer.content
    assert second_factor.REMEMBER_COOKIE in answer.cookies
    client.post(reverse("accounts:logout"))
    again = log_in(client, teacher.email, second_factor=False)
    assert not again.url.startswith(reverse("accounts:second_factor"))
    assert client.get(medical_url(world)).status_code == 200


def test_without_remember_the_next_sign_in_asks_again(client, world):
    teacher, passkey = teacher_with_passkey(world)
    log_in(client, teacher.email, second_factor=False)
    answer = sign_in_with(client, passkey)
    assert answer.status_code == 200
    assert second_factor.REMEMBER_COOKIE not in answer.cookies
    client.post(reverse("accounts:logout"))
    assert log_in(client, teacher.email, second_factor=False).url.startswith(reverse("accounts:second_factor"))
