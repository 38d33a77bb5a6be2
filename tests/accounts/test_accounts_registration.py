"""Registering with the code from a school letter: a new account, or a child added to the
account one already has."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from schoolpoort.accounts.models import RegistrationCode, User
from schoolpoort.accounts.registration import (
    ALPHABET,
    find_usable_code,
    generate_code,
    hash_code,
    issue_registration_code,
    normalize_code,
    redeem_code,
)
from schoolpoort.core.models import Guardianship
from tests.factories import GuardianshipFactory, enrolled_student

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Regenboog-ouder-2026"
INVALID = "Deze code werkt niet."
REGISTER = reverse("accounts:register")


def signup(code: str, **overrides) -> dict:
    return {
        "code": code,
        "first_name": "Anna",
        "last_name": "Jansen",
        "email": "Anna.Jansen@Example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **overrides,
    }


# --- The codes themselves ----------------------------------------------------------------------


def test_codes_are_short_readable_and_have_no_look_alikes():
    for _ in range(200):
        code = generate_code()
        assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
        assert not set(code.replace("-", "")) & set("0O1IL2Z5S8B6GUV")
    assert not set(ALPHABET) & set("0O1IL2Z5S8B6GUV")


def test_typed_codes_are_normalized_before_hashing():
    assert normalize_code(" k7qm - 4hxt ") == "K7QM4HXT"
    assert hash_code("k7qm 4hxt") == hash_code("K7QM-4HXT")
    assert hash_code("K7QM-4HXT") != hash_code("K7QM-4HXW")


def test_a_code_is_stored_only_as_a_hash_and_expires_after_the_schools_days(free_slot):
    free_slot.student.school.registration_code_days = 10
    code, plain = issue_registration_code(free_slot)
    assert plain not in code.code_hash and normalize_code(plain) not in code.code_hash
    assert abs(code.expires_at - (timezone.now() + datetime.timedelta(days=10))) < datetime.timedelta(
        minutes=1
    )
    assert find_usable_code(plain.lower().replace("-", " ")) == code


def test_a_new_code_replaces_the_older_ones_of_the_slot(free_slot):
    _old, old_plain = issue_registration_code(free_slot)
    _new, new_plain = issue_registration_code(free_slot)
    assert find_usable_code(old_plain) is None
    assert find_usable_code(new_plain) is not None


def test_redeeming_a_code_of_a_child_one_already_has_leaves_the_slot_for_the_other_guardian(
    free_slot, parent
):
    mine = GuardianshipFactory(student=free_slot.student, user=parent)
    code, plain = issue_registration_code(free_slot)
    assert redeem_code(code, parent) == mine
    free_slot.refresh_from_db()
    assert free_slot.user is None
    assert find_usable_code(plain) == code


# --- The page: a visitor without an account ------------------------------------------------------


def test_a_visitor_registers_links_the_child_and_is_logged_in(client, free_slot):
    code, plain = issue_registration_code(free_slot)
    response = client.post(REGISTER, signup(plain.lower()), follow=True)
    assert response.redirect_chain == [(reverse("web:home"), 302)]
    assert "Noor Jansen is nu gekoppeld aan je account." in response.content.decode()
    user = User.objects.get()
    assert (user.email, user.first_name, user.last_name) == ("anna.jansen@example.org", "Anna", "Jansen")
    assert user.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)
    free_slot.refresh_from_db()
    code.refresh_from_db()
    assert free_slot.user == user
    assert code.used_at is not None and code.used_by == user


def test_the_code_from_the_qr_link_is_filled_in(client, free_slot):
    response = client.get(REGISTER + "?code=K7QM-4HXT")
    html = response.content.decode()
    assert 'value="K7QM-4HXT"' in html
    assert 'class="code-input"' in html and 'autocapitalize="characters"' in html
    assert 'autocomplete="new-password"' in html


def test_a_code_works_once(client, free_slot):
    _code, plain = issue_registration_code(free_slot)
    client.post(REGISTER, signup(plain))
    other = client.__class__()
    response = other.post(REGISTER, signup(plain, email="someone.else@example.org"))
    assert response.status_code == 200
    assert INVALID in response.content.decode()
    assert not User.objects.filter(email="someone.else@example.org").exists()


def test_an_expired_code_does_not_work(client, free_slot):
    code, plain = issue_registration_code(free_slot)
    RegistrationCode.objects.filter(pk=code.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.post(REGISTER, signup(plain))
    assert INVALID in response.content.decode()
    assert not User.objects.exists()


def test_a_code_of_a_slot_already_taken_does_not_work(client, free_slot, parent):
    _code, plain = issue_registration_code(free_slot)
    Guardianship.objects.filter(pk=free_slot.pk).update(user=parent)
    response = client.post(REGISTER, signup(plain))
    assert INVALID in response.content.decode()
    assert User.objects.count() == 1


def test_unknown_expired_and_used_codes_look_the_same(client, free_slot):
    response = client.post(REGISTER, signup("AAAA-AAAA"))
    assert INVALID in response.content.decode()


def test_a_failed_registration_keeps_what_was_typed_except_the_passwords(client, free_slot):
    _code, plain = issue_registration_code(free_slot)
    response = client.post(REGISTER, signup(plain, password2="something-else-entirely"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "De twee wachtwoorden zijn niet hetzelfde." in html
    assert f'value="{plain}"' in html and 'value="Anna"' in html and 'value="Anna.Jansen@Example.org"' in html
    assert NEW_PASSWORD not in html
    assert not User.objects.exists()


def test_django_password_rules_apply(client, free_slot):
    _code, plain = issue_registration_code(free_slot)
    response = client.post(REGISTER, signup(plain, password1="12345", password2="12345"))
    assert "Dit wachtwoord is te kort. Het moet minstens 10 tekens bevatten." in response.content.decode()
    assert not User.objects.exists()


def test_an_address_with_an_account_is_told_to_log_in_first(client, free_slot, parent):
    _code, plain = issue_registration_code(free_slot)
    response = client.post(REGISTER, signup(plain, email=parent.email.upper()))
    html = response.content.decode()
    assert "Er is al een account met dit e-mailadres. Log eerst in." in html
    assert User.objects.count() == 1
    free_slot.refresh_from_db()
    assert free_slot.user is None


def test_log_in_first_comes_back_with_the_code(client, free_slot, parent):
    _code, plain = issue_registration_code(free_slot)
    html = client.post(REGISTER, signup(plain, email=parent.email)).content.decode()
    assert f"/inloggen/?next=%2Fregistreren%2F%3Fcode%3D{plain}" in html


def test_only_a_valid_code_reveals_that_an_address_has_an_account(client, free_slot, parent):
    response = client.post(REGISTER, signup("AAAA-AAAA", email=parent.email))
    assert "Er is al een account" not in response.content.decode()


# --- The page: a parent who is logged in -------------------------------------------------------


def test_a_logged_in_parent_adds_a_second_child_to_the_same_account(client, parent, group, noor):
    GuardianshipFactory(student=noor, user=parent)
    sister = enrolled_student(group, first_name="Sara", last_name="Jansen")
    slot = GuardianshipFactory(student=sister, user=None)
    _code, plain = issue_registration_code(slot)
    client.force_login(parent)
    page = client.get(REGISTER).content.decode()
    assert 'name="email"' not in page and 'name="code"' in page
    response = client.post(REGISTER, {"code": plain}, follow=True)
    assert "Sara Jansen is nu gekoppeld aan je account." in response.content.decode()
    assert set(parent.guardianships.values_list("student__first_name", flat=True)) == {"Noor", "Sara"}
    assert User.objects.count() == 1


def test_a_logged_in_parent_with_a_bad_code_sees_the_same_message(client, parent):
    client.force_login(parent)
    response = client.post(REGISTER, {"code": "AAAA-AAAA"})
    assert INVALID in response.content.decode()


# --- Rate limits ------------------------------------------------------------------------------


def test_registration_is_rate_limited_per_ip_address(client, free_slot, settings):
    settings.REGISTRATION_RATE_PER_IP = "2/h"
    for n in range(2):
        assert client.post(REGISTER, signup("AAAA-AAAA", email=f"a{n}@example.org")).status_code == 200
    response = client.post(REGISTER, signup("AAAA-AAAA", email="a3@example.org", first_name="Fatima"))
    html = response.content.decode()
    assert response.status_code == 429
    assert "Te vaak geprobeerd in korte tijd." in html
    assert 'value="Fatima"' in html and 'value="a3@example.org"' in html and 'value="AAAA-AAAA"' in html
    assert NEW_PASSWORD not in html
    # A GET is not counted, and another address is not limited.
    assert client.get(REGISTER).status_code == 200
    assert client.post(REGISTER, signup("AAAA-AAAA"), REMOTE_ADDR="10.1.1.1").status_code == 200


def test_registration_is_rate_limited_per_email_address(client, free_slot, settings):
    settings.REGISTRATION_RATE_PER_EMAIL = "2/h"
    for n in range(2):
        response = client.post(
            REGISTER, signup("AAAA-AAAA", email="anna@example.org"), REMOTE_ADDR=f"10.0.0.{n}"
        )
        assert response.status_code == 200
    response = client.post(REGISTER, signup("AAAA-AAAA", email=" ANNA@example.org"), REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert client.post(REGISTER, signup("AAAA-AAAA", email="other@example.org")).status_code == 200


def test_a_rate_limited_valid_code_is_not_used(client, free_slot, settings):
    settings.REGISTRATION_RATE_PER_IP = "1/h"
    code, plain = issue_registration_code(free_slot)
    client.post(REGISTER, signup("AAAA-AAAA"))
    assert client.post(REGISTER, signup(plain)).status_code == 429
    code.refresh_from_db()
    assert code.used_at is None and not User.objects.exists()
