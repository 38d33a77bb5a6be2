"""Upgrades keep every row (issue 17): the demo school is built by the oldest supported version's
own code, then this version's migrations run over it, and the upgraded portal must give the same
access answers, decrypt the records and serve the photos."""

import io
import json
import subprocess
import sys
import tarfile

import pytest
from django.db import connection

from tests.core.test_backup import drop_database, fresh_postgresql_database, instance_env
from tests.servers import ROOT

# The oldest version a school may upgrade from: the last one that landed (stop 19 of this project).
OLDEST = "a67e1da"

# Who sees what, asked through each module's own visibility rule; the same in both versions' code.
ACCESS = r"""
import json, django
django.setup()
from django_scopes import scopes_disabled
from schoolpoort.accounts.models import User
from schoolpoort.albums.models import Album, Photo
from schoolpoort.calendar.models import Event
from schoolpoort.documents.models import Document
from schoolpoort.news.models import Post

answers = {}
with scopes_disabled():
    for user in User.objects.filter(email__endswith=".example").order_by("email"):
        answers[user.email] = {
            "posts": sorted(Post.objects.visible_to(user).values_list("pk", flat=True)),
            "albums": sorted(Album.objects.visible_to(user).values_list("pk", flat=True)),
            "photos": sorted(Photo.objects.visible_to(user).values_list("pk", flat=True)),
            "events": sorted(Event.objects.visible_to(user).values_list("pk", flat=True)),
            "documents": sorted(Document.objects.visible_to(user).values_list("pk", flat=True)),
        }
print(json.dumps(answers))
"""

# After the upgrade: a parent's medical page decrypts, a photo is served with its bytes.
SERVED = r"""
import hashlib, json, django
django.setup()
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled
from schoolpoort.accounts.models import User
from schoolpoort.albums.models import Photo
from schoolpoort.core.models import Student

with scopes_disabled():
    jansen = User.objects.get(email="jansen@ouders.example")
    client = Client()
    client.force_login(jansen)
    noor = Student.objects.get(first_name="Noor", guardianships__user=jansen)
    medical = client.get(reverse("records:medical", args=[noor.pk]))
    photo = Photo.objects.visible_to(jansen).filter(status="ready").order_by("pk").first()
    thumb = client.get(reverse("albums:thumb", args=[photo.album_id, photo.pk]))
    print(json.dumps({
        "medical": medical.status_code, "allergies": "Pinda-allergie" in medical.content.decode(),
        "thumb": thumb.status_code,
        "thumb_matches_file": hashlib.sha256(b"".join(thumb.streaming_content)).hexdigest()
        == hashlib.sha256(photo.thumb.read()).hexdigest(),
    }))
"""


def old_code(tmp_path):
    """The oldest supported version's files, from this repository's history."""
    found = subprocess.run(["git", "cat-file", "-e", f"{OLDEST}^{{commit}}"], cwd=ROOT, capture_output=True)
    if found.returncode:
        pytest.skip(f"the history does not hold {OLDEST} (a shallow clone)")
    archive = subprocess.run(["git", "archive", "--format=tar", OLDEST], cwd=ROOT, capture_output=True, check=True)
    target = tmp_path / "old"
    target.mkdir()
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    return target


def run(env: dict, root, *args: str) -> str:
    result = subprocess.run([sys.executable, *args], env={**env, "PYTHONPATH": str(root / "src")}, cwd=root,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return result.stdout


@pytest.mark.django_db(transaction=True)
def test_the_demo_of_the_oldest_version_upgrades_with_every_answer_kept(tmp_path):
    old = old_code(tmp_path)
    (tmp_path / "var").mkdir()
    if connection.vendor == "postgresql":
        url, name = fresh_postgresql_database()
    else:
        url, name = f"sqlite:///{tmp_path / 'upgrade.sqlite3'}", None
    try:
        env = instance_env(url, tmp_path / "var", tmp_path / "upgrade-media")
        run(env, old, "manage.py", "migrate", "--noinput", "-v0")
        run(env, old, "manage.py", "load_demo")
        before = json.loads(run(env, old, "-c", ACCESS).strip().splitlines()[-1])

        run(env, ROOT, "manage.py", "migrate", "--noinput", "-v0")  # the upgrade

        after = json.loads(run(env, ROOT, "-c", ACCESS).strip().splitlines()[-1])
        assert after == before and len(before) >= 11  # every demo account, the same answers
        assert before["jansen@ouders.example"]["posts"] and before["smit@ouders.example"]["photos"]
        served = json.loads(run(env, ROOT, "-c", SERVED).strip().splitlines()[-1])
        assert served == {"medical": 200, "allergies": True, "thumb": 200, "thumb_matches_file": True}
    finally:
        if name:
            connection.close()
            drop_database(name)
