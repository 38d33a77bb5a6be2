"""The second factor for staff: a password alone opens no pupil data; an app's code, a recovery
code (once) or a remembered device (at most 30 days) does; wrong codes are limited; a school
admin resets a colleague's factor (audited); parents are not asked unless they chose it; the
Django admin needs it too."""

import time

import pytest
from django.core import signing
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from schoolpoort.accounts import second_factor
from schoolpoort.core.models import AuditEntry
from tests.accounts.accounts_helpers import app_for, log_in, totp_code
from tests.factories import UserFactory
from tests.records.helpers import fill_records
from tests.world import build_world

MEDICAL_TEXT = "Pinda-allergie"


@pytest.fixture
def world(db):
    world = build_world()
    fill_records(world)
    return world


def medical_url(world):
    return reverse("records:medical", args=[world.child.pk])


def password_only(client, user, **extra):
    """Sign in with the right password and stop where the site asks for the second factor."""
    response = log_in(client, user.email, second_factor=False, **extra)
    assert response.status_code == 302
    return response


def type_code(client, code, remember=False, next_url="", **extra):
    data = {"code": code, "next": next_url}
    if remember:
        data["remember"] = "on"
    return client.post(reverse("accounts:second_factor"), data, **extra)


# --- A password alone is not enough -----------------------------------------------------------


def test_the_code_page_shows_no_school_tabs_or_counts_before_the_second_factor(client, world):
    teacher = world.users["teacher"]
    app_for(teacher)
    password_only(client, teacher)
    page = client.get(reverse("accounts:second_factor")).content.decode()
    assert 'class="tabbar' not in page and 'class="topnav"' not in page
    assert world.school.name not in page


def test_a_staff_password_alone_does_not_open_a_medical_page(client, world):
    teacher = world.users["teacher"]
    app_for(teacher)
    response = password_only(client, teacher)
    assert response.url.startswith(reverse("accounts:second_factor"))

    page = client.get(medical_url(world))
    assert page.status_code == 302
    assert page.url == f"{reverse('accounts:second_factor')}?next={medical_url(world).replace('/', '%2F')}"
    assert MEDICAL_TEXT.encode() not in page.content
    # Fragments and files answer the redirect too, not the data.
    htmx = client.get(medical_url(world), headers={"HX-Request": "true"})
    assert htmx.status_code == 302 and MEDICAL_TEXT.encode() not in htmx.content


def test_the_apps_code_opens_the_medical_page(client, world):
    teacher = world.users["teacher"]
    app_for(teacher)
    password_only(client, teacher)
    response = type_code(client, totp_code(teacher), next_url=medical_url(world))
    assert response.status_code == 302 and response.url == medical_url(world)
    page = client.get(medical_url(world))
    assert page.status_code == 200
    assert MEDICAL_TEXT in page.content.decode()


def test_a_wrong_code_is_refused(client, world):
    teacher = world.users["teacher"]
    device = app_for(teacher)
    password_only(client, teacher)
    right = totp_code(teacher)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = type_code(client, wrong)
    assert response.status_code == 400
    assert response.context["form"].errors["code"]
    assert client.get(medical_url(world)).status_code == 302
    # The right code still works straight after (no growing delay).
    assert type_code(client, totp_code(teacher, device)).status_code == 302
    assert client.get(medical_url(world)).status_code == 200


def test_five_wrong_codes_make_the_account_wait(client, world, settings):
    teacher = world.users["teacher"]
    app_for(teacher)
    password_only(client, teacher)
    for attempt in range(settings.OTP_CODE_FAILURE_LIMIT - 1):
        assert type_code(client, "000000", REMOTE_ADDR=f"10.0.0.{attempt}").status_code == 400
    assert type_code(client, "000000", REMOTE_ADDR="10.0.1.1").status_code == 429
    # Even the right code waits now, from any address.
    locked = type_code(client, totp_code(teacher), REMOTE_ADDR="10.0.2.2")
    assert locked.status_code == 429
    assert client.get(medical_url(world)).status_code == 302


def test_a_recovery_code_works_once(client, world):
    teacher = world.users["teacher"]
    app_for(teacher)
    codes = second_factor.new_recovery_codes(teacher)
    assert len(codes) == 10 and len(set(codes)) == 10
    password_only(client, teacher)
    assert type_code(client, codes[0].upper()).status_code == 302
    assert client.get(medical_url(world)).status_code == 200
    assert StaticToken.objects.filter(device__user=teacher).count() == 9

    other = client.__class__()
    password_only(other, teacher)
    assert type_code(other, codes[0]).status_code == 400
    assert other.get(medical_url(world)).status_code == 302


def test_every_sign_in_asks_again(client, world):
    teacher = world.users["teacher"]
    log_in(client, teacher.email)
    assert client.get(medical_url(world)).status_code == 200
    client.post(reverse("accounts:logout"))
    password_only(client, teacher)
    assert client.get(medical_url(world)).status_code == 302


# --- Remembered device --------------------------------------------------------------------------


def test_a_remembered_device_skips_the_code_and_expires_after_30_days(client, world, monkeypatch):
    teacher = world.users["teacher"]
    app_for(teacher)
    password_only(client, teacher)
    response = type_code(client, totp_code(teacher), remember=True)
    cookie = response.cookies[second_factor.REMEMBER_COOKIE]
    assert cookie["httponly"] and cookie["max-age"] == 30 * 24 * 60 * 60
    client.post(reverse("accounts:logout"))

    again = password_only(client, teacher)
    assert again.url == reverse("web:home")
    assert client.get(medical_url(world)).status_code == 200
    client.post(reverse("accounts:logout"))

    # 30 days and a minute later the browser would have dropped the cookie; a kept copy is
    # refused by its signature's age as well.
    later = time.time() + 30 * 24 * 60 * 60 + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    expired = password_only(client, teacher)
    assert expired.url.startswith(reverse("accounts:second_factor"))


def test_the_remembered_device_is_forgotten_after_a_reset_or_a_new_password(client, world):
    teacher = world.users["teacher"]
    app_for(teacher)
    password_only(client, teacher)
    type_code(client, totp_code(teacher), remember=True)
    client.post(reverse("accounts:logout"))

    teacher.set_password("Een-heel-nieuw-wachtwoord-9")
    teacher.save()
    response = log_in(client, teacher.email, "Een-heel-nieuw-wachtwoord-9", second_factor=False)
    assert response.url.startswith(reverse("accounts:second_factor"))


def test_the_remember_setting_is_capped_at_30_days(settings):
    settings.OTP_REMEMBER_DAYS = 90
    assert second_factor.remember_seconds() == 30 * 24 * 60 * 60


def test_a_remember_cookie_of_another_user_does_not_count(client, world):
    teacher, other = world.users["teacher"], world.users["teacher_other_group"]
    app_for(teacher), app_for(other)
    password_only(client, teacher)
    type_code(client, totp_code(teacher), remember=True)
    client.post(reverse("accounts:logout"))
    assert password_only(client, other).url.startswith(reverse("accounts:second_factor"))


# --- Enrolment ---------------------------------------------------------------------------------


def test_staff_without_an_app_enrol_and_get_ten_recovery_codes_once(client, world):
    import pyotp

    director = world.users["director"]
    response = password_only(client, director)
    assert response.url.startswith(reverse("accounts:second_factor_enrol"))
    assert client.get(medical_url(world)).url.startswith(reverse("accounts:second_factor_enrol"))

    page = client.get(reverse("accounts:second_factor_enrol"))
    secret = page.context["secret"].replace(" ", "")
    qr = client.get(reverse("accounts:second_factor_qr"))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content

    assert client.post(reverse("accounts:second_factor_enrol"), {"code": "123456"}).status_code == 400
    done = client.post(reverse("accounts:second_factor_enrol"), {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=director).confirmed
    assert client.get(medical_url(world)).status_code == 200
    # The QR code of a confirmed app is not served again.
    assert client.get(reverse("accounts:second_factor_qr")).status_code == 404


def test_an_enrolled_user_cannot_add_an_app_with_the_password_alone(client, world):
    teacher = world.users["teacher"]
    app_for(teacher)
    password_only(client, teacher)
    response = client.get(reverse("accounts:second_factor_enrol"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:second_factor"))


def test_the_user_regenerates_recovery_codes_and_removes_an_app_on_my_account(client, world):
    teacher = world.users["teacher"]
    device = app_for(teacher)
    old = second_factor.new_recovery_codes(teacher)
    log_in(client, teacher.email)
    page = client.get(reverse("accounts:account"))
    assert page.context["second_factor"]["codes_left"] == 10

    fresh = client.post(reverse("accounts:recovery_codes")).context["codes"]
    assert len(fresh) == 10 and not set(fresh) & set(old)
    assert second_factor.verify_code(teacher, old[1]) is None

    other = app_for(world.users["teacher_other_group"])
    assert client.post(reverse("accounts:remove_app", args=[other.pk])).status_code == 404
    assert client.post(reverse("accounts:remove_app", args=[device.pk])).status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


# --- Parents -----------------------------------------------------------------------------------


def test_a_parent_is_not_asked(client, world):
    guardian = world.users["guardian"]
    response = log_in(client, guardian.email, second_factor=False)
    assert response.url == reverse("web:home")
    assert client.get(medical_url(world)).status_code == 200


def test_a_parent_who_chose_an_app_is_asked_for_it(client, world):
    guardian = world.users["guardian"]
    app_for(guardian)
    response = log_in(client, guardian.email, second_factor=False)
    assert response.url.startswith(reverse("accounts:second_factor"))
    assert client.get(medical_url(world)).status_code == 302
    assert type_code(client, totp_code(guardian)).status_code == 302
    assert client.get(medical_url(world)).status_code == 200


# --- Reset by a school admin ---------------------------------------------------------------------


def reset_url(world, school=None):
    return reverse("accounts:second_factor_reset", args=[(school or world.school).pk])


@pytest.mark.parametrize("admin", ["director", "board_admin"])
def test_a_school_admin_resets_a_teachers_second_factor_audited(client, world, admin):
    teacher = world.users["teacher"]
    app_for(teacher)
    second_factor.new_recovery_codes(teacher)
    teachers_phone = client.__class__()
    log_in(teachers_phone, teacher.email)
    assert teachers_phone.get(medical_url(world)).status_code == 200

    client.force_login(world.users[admin])
    assert teacher.email in client.get(reset_url(world)).content.decode()
    response = client.post(reset_url(world), {"user": teacher.pk})
    assert response.status_code == 302

    assert not TOTPDevice.objects.filter(user=teacher).exists()
    assert not StaticToken.objects.filter(device__user=teacher).exists()
    entry = AuditEntry.objects.get(action=second_factor.RESET_ACTION)
    assert (entry.actor, entry.school, entry.object_id) == (world.users[admin], world.school, str(teacher.pk))
    # Signed out everywhere; the next sign-in enrols again.
    assert teachers_phone.get(medical_url(world)).status_code == 302
    again = log_in(teachers_phone, teacher.email, second_factor=False)
    assert again.url.startswith(reverse("accounts:second_factor_enrol"))


@pytest.mark.parametrize("role", ["teacher", "administration", "guardian", "board_admin_other_board"])
def test_others_cannot_reset(client, world, role):
    target = world.users["teacher_other_group"]
    app_for(target)
    client.force_login(world.users[role])
    assert client.get(reset_url(world)).status_code == 404
    assert client.post(reset_url(world), {"user": target.pk}).status_code == 404
    assert TOTPDevice.objects.filter(user=target).exists()
    assert not AuditEntry.objects.filter(action=second_factor.RESET_ACTION).exists()


def test_a_director_cannot_reset_someone_of_another_school(client, world):
    outsider = UserFactory()
    from tests.factories import StaffMembershipFactory

    StaffMembershipFactory(user=outsider, school=world.other_school)
    app_for(outsider)
    client.force_login(world.users["director"])
    assert client.post(reset_url(world), {"user": outsider.pk}).status_code == 404
    assert client.get(reset_url(world, world.other_school)).status_code == 404
    assert TOTPDevice.objects.filter(user=outsider).exists()


# --- Django admin -----------------------------------------------------------------------------


def test_the_admin_site_needs_the_second_factor(client, db):
    admin = UserFactory(email="beheer@example.org", is_staff=True, is_superuser=True)
    response = log_in(client, admin.email, second_factor=False)
    assert response.url.startswith(reverse("accounts:second_factor_enrol"))
    assert client.get(reverse("admin:index")).url.startswith(reverse("accounts:second_factor_enrol"))

    # The admin site itself also refuses a session that passed only the password.
    fresh = client.__class__()
    fresh.force_login(admin, second_factor=False)
    request_factory_response = fresh.get(reverse("admin:index"))
    assert request_factory_response.status_code == 302

    app_for(admin)
    verified = client.__class__()
    log_in(verified, admin.email)
    assert verified.get(reverse("admin:index")).status_code == 200


def test_the_admin_login_page_is_ours(client, db):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
