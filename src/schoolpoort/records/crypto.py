"""Encryption at rest for medical data, support plans and notes, with the key of
``schoolpoort.lib.encryption`` (``SCHOOLPOORT_RECORDS_KEYS``; ``manage.py rotate_records_key``
re-encrypts every row with a new first key). The database sees only Fernet tokens."""

from __future__ import annotations

from cryptography.fernet import InvalidToken
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from schoolpoort.lib.encryption import ENV, configured_keys, fernet

__all__ = ["ENV", "EncryptedTextField", "configured_keys", "decrypt", "encrypt", "encrypted_fields", "fernet", "rotate"]

PREFIX = "fernet:"  # marks a stored token, so an empty value stays empty and is not mistaken


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
