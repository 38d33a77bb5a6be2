"""The key that encrypts sensitive data at rest: records' fields and the files parked between an
upload and its confirmation (``core.staging``).

Keys come from ``SCHOOLPOORT_RECORDS_KEYS``: comma-separated Fernet keys, the first encrypts, all
decrypt (MultiFernet), so a new key is put in front and ``manage.py rotate_records_key`` re-encrypts
with it before the old key is dropped. Without the variable (a fresh checkout, the demo, the tests)
a key is generated once into var/records_key, as settings.py does for SECRET_KEY. The key never
reaches the database or the file storage: they see only Fernet tokens (AES-128-CBC + HMAC-SHA256)."""

from __future__ import annotations

import os
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["ENV", "configured_keys", "fernet"]

ENV = "SCHOOLPOORT_RECORDS_KEYS"


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
