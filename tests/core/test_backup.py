"""The backup drill (issue 17): the demo school is backed up, restored into a fresh database, media
folder and var/ folder, and every table's rows and every file's checksum compared; the restored
portal serves the same pages (a parent's news, a photo, a medical page that decrypts). On
PostgreSQL and on SQLite; and an archive with the wrong passphrase or a damaged byte is refused
with nothing restored."""

import hashlib
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from schoolpoort.core import backup
from tests.servers import ROOT, test_database_url

PASSPHRASE = "correct horse battery staple"

# Run in an instance's own process: the facts a parent's pages show there, and every table's and
# file's fingerprint. JSON on the last line.
INSPECT = r"""
import hashlib, json, sys, django
django.setup()
from pathlib import Path
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled
from schoolpoort.accounts.models import User
from schoolpoort.albums.models import Photo
from schoolpoort.core import backup
from schoolpoort.news.models import Post
from schoolpoort.records.models import MedicalInfo

root = Path(settings.MEDIA_ROOT)
if sys.argv[1] == "tables":  # read only: before any page is opened (a sign-in writes rows)
    files = {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(root.rglob("*")) if p.is_file()}
    print(json.dumps({"tables": backup.table_fingerprints(), "files": files}))
    sys.exit(0)
with scopes_disabled():
    jansen = User.objects.get(email="jansen@ouders.example")
    client = Client()
    client.force_login(jansen)
    feed = client.get(reverse("news:feed"))
    titles = sorted(Post.objects.visible_to(jansen).values_list("title", flat=True)[:5])
    photo = Photo.objects.visible_to(jansen).filter(status="ready").order_by("pk").first()
    thumb = client.get(reverse("albums:thumb", args=[photo.album_id, photo.pk]))
    medical = MedicalInfo.objects.get(student__first_name="Noor", student__guardianships__user=jansen)
    medical_page = client.get(reverse("records:medical", args=[medical.student_id]))
    print(json.dumps({
        "feed": feed.status_code, "titles_shown": all(t in feed.content.decode() for t in titles), "titles": titles,
        "thumb": thumb.status_code, "thumb_sha256": hashlib.sha256(b"".join(thumb.streaming_content)).hexdigest(),
        "medical": medical_page.status_code, "allergies": medical.allergies,
        "allergies_shown": medical.allergies in medical_page.content.decode(),
    }))
"""


def instance_env(database_url: str, var_dir: Path, media_root: Path) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SCHOOLPOORT_VAR_DIR": str(var_dir),
        "MEDIA_ROOT": str(media_root),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
        "DJANGO_SETTINGS_MODULE": "schoolpoort.settings",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "testserver",
        "BACKUP_PASSPHRASE": PASSPHRASE,
    }
    for name in ("EMAIL_HOST", "REDIS_URL", "SECRET_KEY", "SCHOOLPOORT_RECORDS_KEYS", "VAPID_PRIVATE_KEY"):
        env.pop(name, None)
    return env


def manage(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=900)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def inspect(env: dict, what: str) -> dict:
    result = subprocess.run([sys.executable, "-c", INSPECT, what], env=env, cwd=ROOT, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def assert_same_data(source: dict, restored: dict) -> None:
    assert restored["tables"] == source["tables"]  # every table: the same rows
    assert restored["files"] == source["files"] and len(restored["files"]) > 10  # every file: the same bytes


def assert_same_portal(source: dict, restored: dict) -> None:
    assert source["feed"] == restored["feed"] == 200 and restored["titles_shown"] and restored["titles"]
    assert restored["titles"] == source["titles"]
    assert source["thumb"] == restored["thumb"] == 200 and restored["thumb_sha256"] == source["thumb_sha256"]
    # The medical page decrypts with the restored records key: the same allergies, in the page.
    assert restored["medical"] == 200 and restored["allergies_shown"] and restored["allergies"] == source["allergies"]


def fresh_postgresql_database() -> tuple[str, str]:
    name = f"restore_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = test_database_url()
    return url.rsplit("/", 1)[0] + "/" + name, name


def drop_database(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_the_drill_on_postgresql(settings, tmp_path, request):
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL drill needs the suite on PostgreSQL (DATABASE_URL)")
    request.getfixturevalue("demo")  # the demo school (tests/demo_snapshot.py)
    source_env = instance_env(test_database_url(), settings.VAR_DIR, Path(settings.MEDIA_ROOT))
    # The backup of the running instance, in its own process as cron would run it.
    made = manage(source_env, "backup", "--output", str(tmp_path / "archives"))
    assert "Wrote" in made.stdout
    (archive,) = (tmp_path / "archives").glob("schoolpoort-backup-*.tar")
    source = inspect(source_env, "tables")

    url, name = fresh_postgresql_database()
    try:
        target_env = instance_env(url, tmp_path / "restored-var", tmp_path / "restored-media")
        (tmp_path / "restored-var").mkdir()
        restored_run = manage(target_env, "restore", str(archive))
        assert "Restored" in restored_run.stdout
        assert_same_data(source, inspect(target_env, "tables"))
        manage(target_env, "migrate", "--noinput", "-v0")  # nothing to do: the same version
        assert_same_portal(inspect(source_env, "pages"), inspect(target_env, "pages"))
        # A second restore into the now full instance is refused, and changes nothing.
        again = manage(target_env, "restore", str(archive), check=False)
        assert again.returncode != 0 and "empty instance" in again.stderr
    finally:
        connection.close()
        drop_database(name)


@pytest.mark.django_db(transaction=True)
def test_the_drill_on_sqlite(tmp_path):
    source_env = instance_env(f"sqlite:///{tmp_path / 'source.sqlite3'}", tmp_path / "source-var",
                              tmp_path / "source-media")
    (tmp_path / "source-var").mkdir()
    manage(source_env, "migrate", "--noinput", "-v0")
    manage(source_env, "load_demo")
    manage(source_env, "backup", "--output", str(tmp_path / "archives"))
    (archive,) = (tmp_path / "archives").glob("schoolpoort-backup-*.tar")
    source = inspect(source_env, "tables")

    target_env = instance_env(f"sqlite:///{tmp_path / 'restored.sqlite3'}", tmp_path / "restored-var",
                              tmp_path / "restored-media")
    (tmp_path / "restored-var").mkdir()
    manage(target_env, "restore", str(archive))
    assert_same_data(source, inspect(target_env, "tables"))
    assert_same_portal(inspect(source_env, "pages"), inspect(target_env, "pages"))


# --- Refusals: checked before anything is touched -------------------------------------------------


def damaged_copy(archive: Path, member: str) -> Path:
    """The archive with one byte of ``member`` changed (as a bad disk would)."""
    with tarfile.open(archive) as tar:
        offset = tar.getmember(member).offset_data
    data = bytearray(archive.read_bytes())
    data[offset] ^= 0xFF
    damaged = archive.with_name("damaged.tar")
    damaged.write_bytes(bytes(data))
    return damaged


@pytest.mark.django_db(transaction=True)
def test_a_wrong_passphrase_or_a_damaged_archive_is_refused_with_nothing_restored(settings, tmp_path):
    media = Path(settings.MEDIA_ROOT)
    (media / "albums").mkdir(parents=True, exist_ok=True)
    (media / "albums" / "a.jpg").write_bytes(b"\xff\xd8 photo bytes")
    archive = backup.make_archive(tmp_path / "archives", PASSPHRASE).path
    assert backup.verify(archive, PASSPHRASE).manifest["files"]["media/albums/a.jpg"] == hashlib.sha256(
        b"\xff\xd8 photo bytes").hexdigest()

    target_env = instance_env(f"sqlite:///{tmp_path / 'target.sqlite3'}", tmp_path / "restored-var",
                              tmp_path / "restored-media")
    (tmp_path / "restored-var").mkdir()
    wrong = manage({**target_env, "BACKUP_PASSPHRASE": "not the passphrase at all"}, "restore", str(archive),
                   check=False)
    assert wrong.returncode != 0 and "passphrase is wrong" in wrong.stderr
    damaged = manage(target_env, "restore", str(damaged_copy(archive, "media/albums/a.jpg")), check=False)
    assert damaged.returncode != 0 and "damaged" in damaged.stderr and "a.jpg" in damaged.stderr
    manifest = manage(target_env, "restore", str(damaged_copy(archive, "manifest.json")), check=False)
    assert manifest.returncode != 0 and "damaged" in manifest.stderr
    # Nothing half-restored: no media, no keys written, no tables in the target database.
    assert not (tmp_path / "restored-media").exists()
    for name in ("records_key", "secret_key"):  # the target's own, if it made one at start-up; never the archive's
        key = tmp_path / "restored-var" / name
        archived = (settings.SECRET_KEY, backup.current_keys()["files"]["records_key"])
        assert not key.exists() or key.read_text() not in archived
    target = tmp_path / "target.sqlite3"
    if target.exists():
        import sqlite3

        with sqlite3.connect(target) as db:
            assert db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] == 0


def test_a_short_passphrase_is_refused(db, tmp_path):
    with pytest.raises(backup.BackupError, match="passphrase of at least"):
        backup.make_archive(tmp_path, "short")
    assert not list(tmp_path.glob("*.tar"))


def test_only_the_newest_archives_are_kept(tmp_path):
    for day in range(1, 6):
        (tmp_path / f"schoolpoort-backup-202612{day:02d}-020000.tar").write_bytes(b"x")
    removed = backup.prune(tmp_path, 3)
    assert [p.name[-19:-4] for p in removed] == ["20261201-020000", "20261202-020000"]
    assert len(list(tmp_path.glob("*.tar"))) == 3


def test_the_command_needs_a_passphrase(db, tmp_path, monkeypatch):
    monkeypatch.delenv("BACKUP_PASSPHRASE", raising=False)
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="passphrase"):
        call_command("backup", "--output", str(tmp_path))


@pytest.mark.django_db(transaction=True)
def test_linked_media_files_are_archived_as_the_files_they_point_to(settings, tmp_path):
    media = Path(settings.MEDIA_ROOT)
    (media / "albums").mkdir(parents=True, exist_ok=True)
    (media / "albums" / "photo.jpg").write_bytes(b"\xff\xd8 the photo")
    (media / "albums" / "symlinked.jpg").symlink_to(media / "albums" / "photo.jpg")
    os.link(media / "albums" / "photo.jpg", media / "albums" / "hardlinked.jpg")
    archive = backup.make_archive(tmp_path / "archives", PASSPHRASE).path
    files = backup.verify(archive, PASSPHRASE).manifest["files"]
    assert {name for name in files if name.startswith("media/")} == {
        "media/albums/photo.jpg", "media/albums/symlinked.jpg", "media/albums/hardlinked.jpg"}
    with tarfile.open(archive) as tar:
        assert tar.extractfile("media/albums/symlinked.jpg").read() == b"\xff\xd8 the photo"
        assert tar.getmember("media/albums/hardlinked.jpg").isfile()


def appended(archive: Path, info: tarfile.TarInfo, data: bytes = b"") -> Path:
    """A copy of the archive with one more member, as someone holding it (without the passphrase)
    could write it."""
    crafted = archive.with_name("crafted.tar")
    crafted.write_bytes(archive.read_bytes())
    with tarfile.open(crafted, "a") as tar:
        tar.addfile(info, __import__("io").BytesIO(data) if data else None)
    return crafted


@pytest.mark.django_db(transaction=True)
def test_an_archive_with_a_link_or_a_name_twice_is_refused(settings, tmp_path):
    media = Path(settings.MEDIA_ROOT)
    (media / "albums").mkdir(parents=True, exist_ok=True)
    (media / "albums" / "a.jpg").write_bytes(b"\xff\xd8 photo bytes")
    archive = backup.make_archive(tmp_path / "archives", PASSPHRASE).path

    link = tarfile.TarInfo("media/albums/b.jpg")
    link.type, link.linkname = tarfile.SYMTYPE, "../../keys.enc"
    with pytest.raises(backup.BackupError, match="not a plain file"):
        backup.verify(appended(archive, link), PASSPHRASE)

    database = "database.pgdump" if connection.vendor == "postgresql" else "database.sqlite3"
    again = tarfile.TarInfo(database)
    again.size = 5
    with pytest.raises(backup.BackupError, match="twice"):
        backup.verify(appended(archive, again, b"other"), PASSPHRASE)


@pytest.mark.django_db(transaction=True)
def test_a_link_in_the_media_folder_never_carries_a_key_into_the_archive(settings, tmp_path):
    media = Path(settings.MEDIA_ROOT)
    (media / "albums").mkdir(parents=True, exist_ok=True)
    (media / "albums" / "a.jpg").write_bytes(b"\xff\xd8 photo bytes")
    secret = tmp_path / "records_key"
    secret.write_text("not for the archive")
    (media / "albums" / "key.jpg").symlink_to(secret)
    manifest = backup.make_archive(tmp_path / "archives", PASSPHRASE).manifest
    assert "media/albums/a.jpg" in manifest["files"]
    assert "media/albums/key.jpg" not in manifest["files"]


@pytest.mark.django_db(transaction=True)
def test_the_sessions_stay_out_of_the_archive(client, tmp_path):
    from django.contrib.sessions.models import Session

    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert Session.objects.count() == 1
    archive = backup.make_archive(tmp_path / "archives", PASSPHRASE)
    assert "django_session" not in archive.manifest["tables"]
    with tarfile.open(archive.path) as tar:
        database = next(member for member in tar if member.name.startswith("database."))
        data = tar.extractfile(database).read()
    assert client.cookies["sessionid"].value.encode() not in data
