"""Encryption at rest for medical data, support plans and notes.

Keys come from ``SCHOOLPOORT_RECORDS_KEYS``: comma-separated Fernet keys, the first encrypts, all
decrypt (MultiFernet), so a new key is put in front and ``manage.py rotate_records_key`` re-encrypts
every row with it before the old key is dropped. Without the variable (a fresh checkout, the demo,
the tests) a key is generated once into var/records_key, as settings.py does for SECRET_KEY.
The key never reaches the database: it sees only Fernet tokens (AES-128-CBC + HMAC-SHA256)."""

from __future__ import annotations

import os
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

ENV = "SCHOOLPOORT_RECORDS_KEYS"
PREFIX = "fernet:"  # marks a stored token, so an empty value stays empty and is not mistaken


def _key_file_key() -> str:
    path = settings.VAR_DIR / "records_key"
    if not path.exists():
        path.write_text(Fernet.generate_key().decode())
        path.chmod(0o600)
    return path.read_text().strip()


def configured_keys() -> list[str]:
    keys = [key.strip() for key in os.environ.get(ENV, "").split(",") if key.strip()]
    return keys or [_key_file_key()]


@cache
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(f"{ENV} must hold Fernet keys (urlsafe base64, 32 bytes): {error}") from None


def fernet() -> MultiFernet:
    # Read each time (cheap; the MultiFernet is cached per key list) so tests can switch keys.
    return _fernet_for(tuple(configured_keys()))


def encrypt(text: str) -> str:
    if text == "":
        return ""
    return PREFIX + fernet().encrypt(text.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored:
        return ""
    if not stored.startswith(PREFIX):
        raise ValueError("an encrypted field holds a value that is not a Fernet token")
    try:
        return fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            f"A records value cannot be decrypted with the keys in {ENV}: was an old key removed too soon?"
        ) from None


def rotate(stored: str) -> str:
    """The same value encrypted with the first key (MultiFernet.rotate keeps the timestamp)."""
    if not stored:
        return stored
    return PREFIX + fernet().rotate(stored[len(PREFIX) :].encode()).decode()


class EncryptedTextField(models.TextField):
    """A text field stored as a Fernet token. It cannot be searched or sorted in SQL (by design)."""

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return value
        return encrypt(str(value))

    def get_lookup(self, lookup_name):
        # Only "is null" makes sense on ciphertext; anything else would silently match nothing.
        if lookup_name not in ("isnull",):
            return None
        return super().get_lookup(lookup_name)


def encrypted_fields(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields if isinstance(field, EncryptedTextField)]
