"""Encryption at rest for medical data, support plans and notes: the kernel's mechanism
(``schoolpoort.lib.encryption``, ``SCHOOLPOORT_RECORDS_KEYS``), named here because the records'
migrations refer to ``schoolpoort.records.crypto.EncryptedTextField``."""

from __future__ import annotations

from schoolpoort.lib.encryption import (
    ENV,
    PREFIX,
    EncryptedTextField,
    configured_keys,
    decrypt,
    encrypt,
    encrypted_fields,
    fernet,
    rotate,
)

__all__ = ["ENV", "PREFIX", "EncryptedTextField", "configured_keys", "decrypt", "encrypt", "encrypted_fields",
           "fernet", "rotate"]
