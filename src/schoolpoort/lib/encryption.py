"""Encryption at rest: the one mechanism for every sensitive value and file.

What uses it (docs/privacy.md keeps the full list): the records' medical details, plans, notes and
correction requests; absence notes; leave-request reasons, decisions and employer's statements;
files attached to messages; and the files parked between an upload and its confirmation
(``core.staging``).

- ``EncryptedTextField``: a text column that holds a Fernet token (prefixed ``fernet:``), never the
  text. It cannot be searched, filtered or sorted in SQL (only ``isnull`` works), by design.
- ``encrypted_storage``: the storage of a ``FileField`` whose bytes are a Fernet token in the
  underlying storage (local disk or S3); reading through the field gives the plain bytes back.
- ``encrypt_bytes`` / ``decrypt_bytes``: the same for bytes a caller keeps itself.

Keys come from ``SCHOOLPOORT_RECORDS_KEYS``: comma-separated Fernet keys, the first encrypts, all
decrypt (MultiFernet), so a new key is put in front and ``manage.py rotate_records_key`` re-encrypts
every field and file with it before the old key is dropped. Without the variable (a fresh checkout,
the demo, the tests) a key is generated once into var/records_key, as settings.py does for
SECRET_KEY. The key never reaches the database or the file storage: they see only Fernet tokens
(AES-128-CBC + HMAC-SHA256)."""

from __future__ import annotations

import os
import tempfile
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import models
from django.utils.deconstruct import deconstructible

__all__ = [
    "ENV",
    "PREFIX",
    "EncryptedStorage",
    "EncryptedTextField",
    "configured_keys",
    "decrypt",
    "decrypt_bytes",
    "encrypt",
    "encrypt_bytes",
    "encrypted_fields",
    "encrypted_file_fields",
    "encrypted_storage",
    "fernet",
    "rotate",
]

ENV = "SCHOOLPOORT_RECORDS_KEYS"
PREFIX = "fernet:"  # marks a stored token, so an empty value stays empty and is not mistaken


def _key_file_key() -> str:
    return _read_key_file(str(settings.VAR_DIR / "records_key"))


@cache
def _read_key_file(name: str) -> str:
    # Once per process: read per value it cost twice the decryption itself (a list of notes).
    path = Path(name)
    if not path.exists():
        path.write_text(Fernet.generate_key().decode())
        path.chmod(0o600)
    return path.read_text().strip()


def configured_keys() -> list[str]:
    keys = [key.strip() for key in os.environ.get(ENV, "").split(",") if key.strip()]
    # The file may hold several keys too (a restored archive keeps every key of a rotation).
    return keys or [key.strip() for key in _key_file_key().split(",") if key.strip()]


@cache
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(f"{ENV} must hold Fernet keys (urlsafe base64, 32 bytes): {error}") from None


def fernet() -> MultiFernet:
    # Read each time (cheap; the MultiFernet is cached per key list) so tests can switch keys.
    return _fernet_for(tuple(configured_keys()))


def _no_key() -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f"An encrypted value cannot be decrypted with the keys in {ENV}: was an old key removed too soon?"
    )


# --- values --------------------------------------------------------------------------------------

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
        raise _no_key() from None


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


# --- files ---------------------------------------------------------------------------------------

def encrypt_bytes(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return fernet().decrypt(token)
    except InvalidToken:
        raise _no_key() from None


@deconstructible(path="schoolpoort.lib.encryption.EncryptedStorage")
class EncryptedStorage(Storage):
    """The default storage (local disk or S3), with every file's bytes kept as one Fernet token.

    Saving encrypts, opening decrypts into memory (message attachments are at most 10 MB,
    statements 5 MB, import uploads 50 MB); names, folders and deletion are the underlying storage's.
    No ``path`` and no ``url``: the web server cannot send these files itself (``MEDIA_SENDFILE`` is
    bypassed), they always go through Django after the access check."""

    encrypted = True

    def __init__(self, inner: Storage | None = None):
        self._inner = inner

    @property
    def inner(self) -> Storage:
        return self._inner if self._inner is not None else default_storage

    # writing and reading
    def save(self, name, content, max_length=None):
        if name is None:
            name = content.name
        if hasattr(content, "seek"):
            content.seek(0)
        data = b"".join(content.chunks()) if hasattr(content, "chunks") else content.read()
        return self.inner.save(name, ContentFile(encrypt_bytes(data)), max_length=max_length)

    def _save(self, name, content):  # pragma: no cover - save() above never calls it
        raise NotImplementedError

    def _open(self, name, mode="rb"):
        if any(flag in mode for flag in "wa+"):
            raise ValueError("encrypted files are written through save(), never opened for writing")
        with self.inner.open(name, "rb") as handle:
            token = handle.read()
        return ContentFile(decrypt_bytes(token), name=name)

    def size(self, name):
        """The plain size (the stored token is about a third larger); decrypts the file."""
        return len(self._open(name).read())

    # the rest is the underlying storage's
    def delete(self, name):
        return self.inner.delete(name)

    def exists(self, name):
        return self.inner.exists(name)

    def listdir(self, path):
        return self.inner.listdir(path)

    def generate_filename(self, filename):
        return self.inner.generate_filename(filename)

    def get_available_name(self, name, max_length=None):
        return self.inner.get_available_name(name, max_length=max_length)

    def get_accessed_time(self, name):
        return self.inner.get_accessed_time(name)

    def get_created_time(self, name):
        return self.inner.get_created_time(name)

    def get_modified_time(self, name):
        return self.inner.get_modified_time(name)

    def url(self, name):
        raise NotImplementedError("encrypted files have no URL: they are served by an access-checked view")

    # key rotation and migrations
    def stored_bytes(self, name) -> bytes:
        """The token as it lies in the underlying storage (what a backup of the media holds)."""
        with self.inner.open(name, "rb") as handle:
            return handle.read()

    def replace_stored(self, name, token: bytes) -> None:
        """Overwrite a stored file under the same name: atomically on the local disk (a temporary
        file renamed over it), by one PUT on S3."""
        try:
            path = self.inner.path(name)
        except NotImplementedError:
            path = None
        if path is None:  # an object store: one PUT over the old object (_save skips the free-name search)
            saved = self.inner._save(name, ContentFile(token))
            if saved != name:  # pragma: no cover - an object store writes under the name it is given
                raise RuntimeError(f"{name} was stored as {saved}")
            return
        directory = os.path.dirname(path)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".rotate-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(token)
            os.chmod(temporary, settings.FILE_UPLOAD_PERMISSIONS or 0o644)
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise

    def rotate_file(self, name) -> None:
        """Re-encrypt one file with the first key."""
        try:
            token = fernet().rotate(self.stored_bytes(name))
        except InvalidToken:
            raise _no_key() from None
        self.replace_stored(name, token)

    def encrypt_in_place(self, name) -> bool:
        """Encrypt a file stored in the clear before this storage was used (a data migration);
        False when it is encrypted already or gone. Safe to run twice."""
        try:
            data = self.stored_bytes(name)
        except (FileNotFoundError, OSError):
            return False
        try:
            fernet().decrypt(data)
            return False  # a token of ours already
        except InvalidToken:
            pass
        self.replace_stored(name, encrypt_bytes(data))
        return True

    def decrypt_in_place(self, name) -> bool:
        """The reverse of ``encrypt_in_place`` (reversing a data migration)."""
        try:
            data = self.stored_bytes(name)
        except (FileNotFoundError, OSError):
            return False
        try:
            plain = fernet().decrypt(data)
        except InvalidToken:
            return False
        self.replace_stored(name, plain)
        return True


_storage = EncryptedStorage()


def encrypted_storage() -> EncryptedStorage:
    """For ``FileField(storage=encrypted_storage)`` (a callable, so migrations name it, not a copy)."""
    return _storage


def encrypted_file_fields(model) -> list[str]:
    return [
        field.name for field in model._meta.concrete_fields
        if isinstance(field, models.FileField) and getattr(field.storage, "encrypted", False)
    ]


# --- existing data -------------------------------------------------------------------------------

BATCH = 500


def _batches(connection, table: str, pk: str, column: str, where: str, params: list):
    """(pk, value) rows of one column, in batches by primary key, each batch in a transaction with
    its rows locked (an edit in between waits, and is not overwritten with the old value)."""
    from django.db import transaction

    last = None
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    while True:
        after = "" if last is None else f" AND {pk} > %s"
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {pk}, {column} FROM {table} WHERE {where}{after} ORDER BY {pk} LIMIT {BATCH}{lock}",
                [*params, *([] if last is None else [last])],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            yield cursor, rows
            last = rows[-1][0]


def rewrite_column(connection, model, field_name: str, change, *, only_plain: bool | None = None) -> int:
    """Apply ``change`` to every non-empty stored value of one column with plain SQL (the model field
    would decrypt it): ``only_plain`` True picks values not yet encrypted, False encrypted ones,
    None every one. Returns the number of rows changed."""
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    column = quote(model._meta.get_field(field_name).column)
    where, params = f"{column} IS NOT NULL AND {column} <> %s", [""]
    if only_plain is not None:
        where += f" AND {column} {'NOT ' if only_plain else ''}LIKE %s"
        params.append(PREFIX + "%")
    count = 0
    update = f"UPDATE {table} SET {column} = %s WHERE {pk} = %s"
    for cursor, rows in _batches(connection, table, pk, column, where, params):
        cursor.executemany(update, [[change(value), key] for key, value in rows])
        count += len(rows)
    return count


def stored_file_names(connection, model, field_name: str) -> list[str]:
    quote = connection.ops.quote_name
    column = quote(model._meta.get_field(field_name).column)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL AND {column} <> %s", [""])
        return [name for (name,) in cursor.fetchall()]


def encrypt_existing(label: str, *, fields: tuple[str, ...] = (), files: tuple[str, ...] = ()):
    """A data migration (``RunPython``) that encrypts what a model stored in the clear before its
    fields became encrypted, and decrypts it again when reversed. Safe to run twice, and on an
    empty database."""
    from django.db import migrations

    def forward(apps, schema_editor):
        model, connection = apps.get_model(label), schema_editor.connection
        for name in fields:
            rewrite_column(connection, model, name, encrypt, only_plain=True)
        for name in files:
            for stored in stored_file_names(connection, model, name):
                _storage.encrypt_in_place(stored)

    def backward(apps, schema_editor):
        model, connection = apps.get_model(label), schema_editor.connection
        for name in fields:
            rewrite_column(connection, model, name, decrypt, only_plain=False)
        for name in files:
            for stored in stored_file_names(connection, model, name):
                _storage.decrypt_in_place(stored)

    return migrations.RunPython(forward, backward, elidable=False)
