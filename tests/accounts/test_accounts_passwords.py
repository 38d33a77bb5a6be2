"""Password rules: the Dutch words people make passwords of, the breached-password list, and a
longer minimum for staff and board accounts. The messages are Dutch."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from schoolpoort.accounts.validators import dutch_word_in, dutch_words
from schoolpoort.core.models import StaffMembership
from tests.factories import PASSWORD, BoardMembershipFactory, StaffMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ACCOUNT = reverse("accounts:account")


def refusals(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [e.code for e in error.error_list]
    return []


@pytest.mark.parametrize(
    "password", ["Welkom12345", "regenboog2026", "Regenboog2026!", "zomer20262026", "Herfst2026!!"]
)
def test_a_common_dutch_word_with_digits_is_refused(password):
    assert "password_dutch_common" in refusals(password)


def test_the_list_holds_school_words_first_names_and_ordinary_dutch():
    words = dutch_words()
    assert len(words) > 20_000
    assert {"welkom", "regenboog", "schoolplein", "sinterklaas", "zonnebloem", "daan", "lotte"} <= words
    assert dutch_word_in("!!Vlinder2019") == "vlinder"


@pytest.mark.parametrize("password", [PASSWORD, "Demo-wachtwoord-2026", "fiets paraplu hagel 7", "Kw8vRt!m2pLx"])
def test_several_words_or_a_random_password_are_fine(password):
    assert refusals(password) == []


@pytest.mark.parametrize("password", ["Welkom12345", "1234567890ab", "iloveyou2010", "Password1234"])
def test_a_breached_password_is_refused(password):
    assert "password_breached" in refusals(password)


def test_every_refusal_reads_in_dutch():
    with translation.override("nl"):
        with pytest.raises(ValidationError) as error:
            validate_password("Welkom12345")
    messages = " ".join(error.value.messages)
    assert "veelvoorkomend woord" in messages and "gelekte wachtwoorden" in messages


def test_a_parent_needs_ten_characters():
    parent = UserFactory()
    assert "password_too_short" in refusals("Kw8vRt!m2", parent)
    assert refusals("Kw8vRt!m2p", parent) == []


@pytest.mark.parametrize("role", [StaffMembership.Role.TEACHER, StaffMembership.Role.ADMINISTRATION, "board"])
def test_staff_and_board_need_twelve_characters(role):
    user = BoardMembershipFactory().user if role == "board" else StaffMembershipFactory(role=role).user
    assert "password_too_short" in refusals("Kw8vRt!m2pL", user)
    assert refusals("Kw8vRt!m2pLx", user) == []


def test_a_teacher_cannot_change_to_an_eleven_character_password(client):
    teacher = StaffMembershipFactory().user
    client.force_login(teacher)
    response = client.post(
        ACCOUNT,
        {
            "action": "password",
            "password-old_password": PASSWORD,
            "password-new_password1": "Kw8vRt!m2pL",
            "password-new_password2": "Kw8vRt!m2pL",
        },
    )
    assert response.status_code == 400
    assert "minstens 12 tekens" in response.content.decode()
    teacher.refresh_from_db()
    assert teacher.check_password(PASSWORD)


def test_the_help_text_names_both_minimums():
    from django.contrib.auth.password_validation import password_validators_help_texts

    with translation.override("en"):
        texts = password_validators_help_texts()
    assert any("at least 10 characters (12 for school staff)" in text for text in texts)
