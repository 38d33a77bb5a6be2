"""Registration codes: the short code on a school letter that links one guardian slot of one
child to an account. Only a hash of the code is stored; the code is shown once, when made."""

from __future__ import annotations

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from schoolpoort.core.models import Guardianship

from .models import RegistrationCode, User

# No look-alikes: 0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G and U/V are all left out.
ALPHABET = "3479ACDEFHJKMNPQRTWXY"
CODE_LENGTH = 8
_HASH_SALT = "schoolpoort.accounts.registration_code"


class CodeNotUsable(Exception):
    """The code is unknown, expired, used, or its guardian slot is taken."""


def generate_code() -> str:
    """A random code such as ``K7QM-4HXT``: two blocks of four, easy to read and type."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{chars[:4]}-{chars[4:]}"


def normalize_code(text: str) -> str:
    """What was typed, in the form that is hashed: capitals, no spaces or dashes."""
    return "".join(ch for ch in (text or "").upper() if not ch.isspace() and ch not in "-‐‑–—_.")


def hash_code(code: str) -> str:
    return salted_hmac(_HASH_SALT, normalize_code(code), algorithm="sha256").hexdigest()


@transaction.atomic
def issue_registration_code(
    guardianship: Guardianship, days: int | None = None
) -> tuple[RegistrationCode, str]:
    """A new code for ``guardianship``; earlier unused codes of that slot stop working."""
    if days is None:
        days = guardianship.student.school.registration_code_days
    now = timezone.now()
    RegistrationCode.objects.filter(
        guardianship=guardianship, used_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)
    for _attempt in range(5):
        plain = generate_code()
        try:
            with transaction.atomic():
                code = RegistrationCode.objects.create(
                    guardianship=guardianship,
                    code_hash=hash_code(plain),
                    expires_at=now + datetime.timedelta(days=days),
                )
            return code, plain
        except IntegrityError:  # the same code twice: one in 21^8, try again
            continue
    raise RuntimeError("Could not make a unique registration code")


def find_usable_code(plain: str) -> RegistrationCode | None:
    """The code that ``plain`` stands for, if it can still be used; otherwise None. Unknown,
    expired, used and taken codes are all the same None."""
    normalized = normalize_code(plain)
    if len(normalized) != CODE_LENGTH:
        return None
    code = (
        RegistrationCode.objects.select_related("guardianship__student__school")
        .filter(
            code_hash=hash_code(normalized),
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            guardianship__user__isnull=True,
            guardianship__student__archived_at__isnull=True,
        )
        .first()
    )
    return code


@transaction.atomic
def redeem_code(code: RegistrationCode, user: User) -> Guardianship:
    """Link the code's guardian slot to ``user`` and use the code up; returns the guardianship.

    If ``user`` already is a guardian of that child (both letters came to one address), the
    slot and the code stay free for the other guardian and the user's own guardianship is
    returned. Raises ``CodeNotUsable`` when the code can no longer be used."""
    code = RegistrationCode.objects.select_for_update().get(pk=code.pk)
    slot = Guardianship.objects.select_for_update(of=("self",)).select_related("student").get(pk=code.guardianship_id)
    if not code.is_usable or slot.user_id is not None or slot.student.archived_at is not None:
        raise CodeNotUsable
    existing = Guardianship.objects.filter(student_id=slot.student_id, user=user).first()
    if existing is not None:
        return existing
    slot.user = user
    slot.save(update_fields=["user"])
    code.used_at = timezone.now()
    code.used_by = user
    code.save(update_fields=["used_at", "used_by"])
    return slot


@transaction.atomic
def register_with_code(
    code: RegistrationCode, *, email: str, password: str, first_name: str, last_name: str, language: str
) -> tuple[User, Guardianship]:
    """A new account for a visitor with a code, and the child linked to it: both or neither.
    Raises ``CodeNotUsable``, or ``IntegrityError`` when the address got an account meanwhile."""
    user = User.objects.create_user(
        email, password, first_name=first_name, last_name=last_name, language=language
    )
    return user, redeem_code(code, user)
