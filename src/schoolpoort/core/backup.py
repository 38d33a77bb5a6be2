"""One consistent archive of everything a school cannot get back from anywhere else, and the way
back from it (``manage.py backup`` / ``manage.py restore``).

An archive is one tar file:

- ``database.pgdump`` (PostgreSQL: ``pg_dump`` custom format, taken on an exported snapshot) or
  ``database.sqlite3`` (SQLite's online backup API): a consistent copy while the portal serves;
- ``media/…``: every uploaded file when media is on the local disk, or ``media-listing.json`` (name,
  size, ETag) when it lives in S3-compatible storage, which keeps its own versions;
- ``keys.enc``: SECRET_KEY, the records keys and the web push key, encrypted with a passphrase the
  school keeps apart (scrypt → Fernet). Never in the clear beside the data: without the records
  key every medical record, plan and note is unreadable, with it anybody holding the archive reads
  them;
- ``manifest.json``: version, migrations, the row count of every table (counted in the same
  snapshot as the dump) and the SHA-256 of every other member. ``keys.enc`` carries the manifest's
  own checksum, so a wrong passphrase and a damaged manifest are both refused.

The sessions are left out (their rows, not their table): a session key is a signed-in browser,
and an archive must never let its holder into the portal. Everyone signs in again after a restore.
So are the rows of the database caches (rate limits).
The rest of the database is personal data in the clear, including the staff's authenticator
secrets: keep archives as carefully as the database itself (docs/operations.md).

A restore checks every checksum and the passphrase before it touches anything, takes only the
regular files the manifest lists (no links, no second copy of a name), checks each one's bytes
again as it writes them, refuses a target that already holds data, and restores the database in
one transaction, so it ends restored or unchanged.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from django.core.cache.backends.db import DatabaseCache
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.module_loading import import_string

FORMAT = 1
PREFIX = "schoolpoort-backup-"
MIN_PASSPHRASE = 12
CHUNK = 1024 * 1024
# Tables whose rows never go into an archive (see the module's docstring): the sessions, and the
# database caches (rate limits and lockouts: counts of the last minutes; the versions of cached
# values: a restored instance starts with new ones; nothing to restore).
LEFT_OUT = ("django_session",) + tuple(
    cache["LOCATION"] for cache in settings.CACHES.values()
    if issubclass(import_string(cache["BACKEND"]), DatabaseCache)
)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in plain words."""


# --- The keys, under a passphrase ---------------------------------------------------------------


def _fernet(passphrase: str, salt: bytes) -> Fernet:
    key = Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def check_passphrase(passphrase: str | None) -> str:
    if not passphrase or len(passphrase) < MIN_PASSPHRASE:
        raise BackupError(
            f"A passphrase of at least {MIN_PASSPHRASE} characters is needed (--passphrase-file or "
            "BACKUP_PASSPHRASE); the archive's keys are encrypted with it. Keep it apart from the archives."
        )
    return passphrase


# The secrets an archive keeps, as the files of var/ they are restored into: name → how to read the
# value in force now (from the environment or var/). Apps add theirs (notify: the web push key).
SECRETS: dict[str, object] = {
    "secret_key": lambda: settings.SECRET_KEY,
    "records_key": lambda: ",".join(_records_keys()),  # every key of a rotation, the first encrypts
}


def keeps_secret(file_name: str, read) -> None:
    """Register a secret that a restore must bring back into ``var/<file_name>``."""
    SECRETS[file_name] = read


def _records_keys() -> list[str]:
    from schoolpoort.lib.encryption import configured_keys

    return configured_keys()


def current_keys() -> dict:
    return {"files": {name: read() for name, read in SECRETS.items()}}


def seal_keys(keys: dict, manifest_sha256: str, passphrase: str) -> bytes:
    salt = os.urandom(16)
    token = _fernet(passphrase, salt).encrypt(json.dumps({**keys, "manifest_sha256": manifest_sha256}).encode())
    return salt + token


def open_keys(sealed: bytes, passphrase: str) -> dict:
    try:
        return json.loads(_fernet(passphrase, sealed[:16]).decrypt(sealed[16:]))
    except (InvalidToken, ValueError) as error:
        raise BackupError("The passphrase is wrong (or keys.enc is damaged): nothing was restored.") from error


# --- Making an archive --------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _vendor() -> str:
    return connection.vendor


def _pg_env() -> dict:
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGHOST": str(db.get("HOST") or ""), "PGPORT": str(db.get("PORT") or ""),
           "PGUSER": str(db.get("USER") or ""), "PGDATABASE": str(db["NAME"])}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _table_names() -> list[str]:
    return sorted(connection.introspection.table_names())


def _archived_tables() -> list[str]:
    return [table for table in _table_names() if table not in LEFT_OUT]


def dump_postgresql(target: Path) -> dict[str, int]:
    """pg_dump on a snapshot exported by this connection, and the row counts in that snapshot."""
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
            counts = {}
            for table in _archived_tables():
                cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
                counts[table] = cursor.fetchone()[0]
            left_out = [f"--exclude-table-data={table}" for table in LEFT_OUT]
            result = subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                 *left_out, f"--file={target}"],
                env=_pg_env(), capture_output=True, text=True,
            )
        finally:
            cursor.execute("COMMIT")
    if result.returncode:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return counts


def dump_sqlite(target: Path) -> dict[str, int]:
    """SQLite's online backup API: a consistent copy while others write; counts from the copy."""
    source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        tables = [row[0] for row in copy.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        for table in LEFT_OUT:
            if table in tables:
                copy.execute(f'DELETE FROM "{table}"')
        tables = [table for table in tables if table not in LEFT_OUT]
        copy.commit()
        copy.execute("VACUUM")  # the deleted rows' bytes out of the file
        return {table: copy.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}
    finally:
        copy.close()
        source.close()


def media_is_local() -> bool:
    return hasattr(default_storage, "path") and settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")


def media_files() -> list[tuple[str, Path]]:
    """Every file in the media folder; a link to anything outside it is skipped, so a link planted
    in the folder can never carry a key file into the archive."""
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    real_root = root.resolve()
    return sorted(
        (path.relative_to(root).as_posix(), path)
        for path in root.rglob("*")
        if path.is_file() and path.resolve().is_relative_to(real_root)
    )


def media_listing() -> list[dict]:
    """Media in S3-compatible storage: what is there, to check a restore against (the bucket keeps
    its own versions; copying it is the storage's job)."""
    bucket = default_storage.bucket
    return [{"name": item.key, "size": item.size, "etag": item.e_tag.strip('"')} for item in bucket.objects.all()]


def applied_migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


@dataclass
class Archive:
    path: Path
    manifest: dict
    seconds: float


def make_archive(directory: Path, passphrase: str, *, now: datetime.datetime | None = None) -> Archive:
    """Write one archive into ``directory``; returns it with its manifest."""
    check_passphrase(passphrase)
    started = timezone.now()
    moment = now or started
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{PREFIX}{moment:%Y%m%d-%H%M%S}.tar"
    final = directory / name
    with tempfile.TemporaryDirectory(dir=directory, prefix=".backup-") as work:
        work = Path(work)
        if _vendor() == "postgresql":
            database = work / "database.pgdump"
            counts = dump_postgresql(database)
        elif _vendor() == "sqlite":
            database = work / "database.sqlite3"
            counts = dump_sqlite(database)
        else:
            raise BackupError(f"Backups support PostgreSQL and SQLite, not {_vendor()}.")
        members: dict[str, str] = {database.name: sha256_file(database)}
        local = media_is_local()
        files = media_files() if local else []
        for member, path in files:
            members[f"media/{member}"] = sha256_file(path)
        listing_path = None
        if not local:
            listing_path = work / "media-listing.json"
            listing_path.write_text(json.dumps(media_listing(), indent=1))
            members[listing_path.name] = sha256_file(listing_path)
        manifest = {
            "format": FORMAT,
            "created_at": moment.isoformat(),
            "database": _vendor(),
            "media": "files" if local else "listing",
            "migrations": applied_migrations(),
            "tables": counts,
            "files": members,
        }
        manifest_bytes = json.dumps(manifest, indent=1, sort_keys=True).encode()
        sealed = seal_keys(current_keys(), hashlib.sha256(manifest_bytes).hexdigest(), passphrase)
        partial = work / (name + ".part")
        with tarfile.open(partial, "w") as tar:
            _add_bytes(tar, "manifest.json", manifest_bytes)
            _add_bytes(tar, "keys.enc", sealed)
            tar.add(database, arcname=database.name)
            if listing_path:
                tar.add(listing_path, arcname=listing_path.name)
            for member, path in files:
                _add_file(tar, f"media/{member}", path)
        os.chmod(partial, 0o600)
        partial.replace(final)  # whole or not at all: a half-written archive never has the name
    return Archive(final, manifest, (timezone.now() - started).total_seconds())


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> None:
    """A file's bytes as a plain member: a symbolic or hard link in the media folder is stored as
    the file it points to, so the archive restores without it."""
    status = path.stat()
    info = tarfile.TarInfo(name)
    info.size = status.st_size
    info.mtime = int(status.st_mtime)
    info.mode = 0o600
    with open(path, "rb") as handle:
        tar.addfile(info, handle)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def prune(directory: Path, keep: int) -> list[Path]:
    """Keep the newest ``keep`` archives in ``directory``; returns the ones removed."""
    archives = sorted(directory.glob(f"{PREFIX}*.tar"))
    removed = archives[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink()
    return removed


# --- Checking and restoring ---------------------------------------------------------------------


@dataclass
class Checked:
    manifest: dict
    keys: dict


def verify(path: Path, passphrase: str) -> Checked:
    """Every member's checksum, the manifest's, and the passphrase; raises ``BackupError``."""
    try:
        with tarfile.open(path, "r") as tar:
            names = tar.getnames()
            if twice := sorted(name for name, count in Counter(names).items() if count > 1):
                raise BackupError(f"The archive holds {twice[0]} twice: nothing was restored.")
            if "manifest.json" not in names or "keys.enc" not in names:
                raise BackupError("This is not a Schoolpoort archive (no manifest.json or keys.enc).")
            manifest_bytes = tar.extractfile("manifest.json").read()
            keys = open_keys(tar.extractfile("keys.enc").read(), passphrase)
            if hashlib.sha256(manifest_bytes).hexdigest() != keys.get("manifest_sha256"):
                raise BackupError("The archive's manifest is damaged: nothing was restored.")
            manifest = json.loads(manifest_bytes)
            expected = manifest["files"]
            seen = set()
            for member in tar:
                if not member.isfile():
                    raise BackupError(f"The archive holds something that is not a plain file: {member.name}")
                if member.name in ("manifest.json", "keys.enc"):
                    continue
                if member.name not in expected:
                    raise BackupError(f"The archive holds a file its manifest does not list: {member.name}")
                digest = hashlib.sha256()
                handle = tar.extractfile(member)
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                if digest.hexdigest() != expected[member.name]:
                    raise BackupError(f"The archive is damaged: {member.name} does not match its checksum.")
                seen.add(member.name)
            if missing := sorted(set(expected) - seen):
                raise BackupError(f"The archive is incomplete: {len(missing)} files are missing, e.g. {missing[0]}")
    except (tarfile.TarError, EOFError, OSError, KeyError, json.JSONDecodeError) as error:
        raise BackupError(f"The archive cannot be read ({error}): nothing was restored.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"This archive has format {manifest.get('format')}; this version reads {FORMAT}.")
    return Checked(manifest, keys)


def target_is_empty() -> list[str]:
    """What the target already holds (empty list: it may be restored into)."""
    problems = []
    if _table_names():
        problems.append("the database has tables")
    media_root = Path(settings.MEDIA_ROOT)
    if media_is_local() and media_root.is_dir() and any(media_root.iterdir()):
        problems.append(f"the media folder {settings.MEDIA_ROOT} is not empty")
    return problems


def restore(path: Path, passphrase: str) -> dict:
    """Restore ``path`` into this (empty) instance: database, media, keys. Checks everything first."""
    checked = verify(path, passphrase)
    manifest = checked.manifest
    if manifest["database"] != _vendor():
        raise BackupError(f"The archive holds a {manifest['database']} database; this instance uses {_vendor()}.")
    if problems := target_is_empty():
        raise BackupError("Restore only into an empty instance: " + "; ".join(problems) + ". Nothing was restored.")
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".restore-") as work:
        work = Path(work)
        _extract_checked(path, work, manifest["files"])
        database = work / ("database.pgdump" if manifest["database"] == "postgresql" else "database.sqlite3")
        # The keys first: a failed database restore leaves an empty database, and a second try
        # (which refuses a database with tables) still works.
        _write_keys(checked.keys)
        _restore_database(database)
        if manifest["media"] == "files" and (work / "media").exists():
            if media_root.exists():
                media_root.rmdir()  # empty (checked above), so this cannot fail
            (work / "media").replace(media_root)
    return manifest


def _extract_checked(path: Path, work: Path, expected: dict[str, str]) -> None:
    """Write the listed members into ``work``, each checked against its checksum as it is written
    (the archive may have changed since ``verify`` read it)."""
    with tarfile.open(path, "r") as tar:
        for member in tar:
            if member.name in ("manifest.json", "keys.enc"):
                continue
            if not member.isfile() or member.name not in expected:
                raise BackupError(f"The archive changed while it was restored ({member.name}): nothing was restored.")
            target = (work / member.name).resolve()
            if not target.is_relative_to(work.resolve()):
                raise BackupError(f"The archive holds a name outside its folder: {member.name}")
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            source = tar.extractfile(member)
            with open(target, "xb") as handle:  # "x": a second copy of a name is refused
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    handle.write(chunk)
            os.chmod(target, 0o600)
            if digest.hexdigest() != expected[member.name]:
                raise BackupError(f"The archive changed while it was restored ({member.name}): nothing was restored.")


def _restore_database(dump: Path) -> None:
    connection.close()
    if _vendor() == "postgresql":
        result = subprocess.run(
            ["pg_restore", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
             f"--dbname={settings.DATABASES['default']['NAME']}", str(dump)],
            env=_pg_env(), capture_output=True, text=True,
        )
        if result.returncode:
            raise BackupError(f"pg_restore failed, the database is unchanged: {result.stderr.strip()}")
    else:
        target = Path(settings.DATABASES["default"]["NAME"])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)  # empty (checked above)
        shutil.copyfile(dump, target.with_name(target.name + ".restoring"))
        target.with_name(target.name + ".restoring").replace(target)


def _write_keys(keys: dict) -> None:
    """The keys into var/, where the settings read them when no environment variable names them."""
    var = Path(settings.VAR_DIR)
    for name, value in keys["files"].items():
        partial = var / f".{name}.restoring"
        partial.write_text(value)
        partial.chmod(0o600)
        partial.replace(var / name)


def table_fingerprints() -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of its rows (for the drill: source and restore must
    agree). Rows are compared as text, in a fixed order."""
    result = {}
    with connection.cursor() as cursor:
        for table in _archived_tables():
            quoted = connection.ops.quote_name(table)
            if _vendor() == "postgresql":
                cursor.execute(f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                               f"FROM {quoted} t")
                result[table] = tuple(cursor.fetchone())
            else:
                cursor.execute(f"SELECT * FROM {quoted}")
                rows = sorted(repr(row) for row in cursor.fetchall())
                result[table] = (len(rows), hashlib.md5("|".join(rows).encode()).hexdigest())  # noqa: S324
    return result
