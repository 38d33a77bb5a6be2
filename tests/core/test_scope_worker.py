"""The real worker (``manage.py run_worker``: django-tasks-db's worker with the lease heartbeat), in
its own process, where no test fixture disables the safety net, runs the real tasks of the
modules: each declares its scope (core/scopes.py), or it would fail with ``ScopeError``."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from schoolpoort.absences.tasks import check_unexplained_absence
from schoolpoort.conferences.tasks import open_round
from schoolpoort.core import staging
from schoolpoort.imports.models import ImportRun
from schoolpoort.imports.run import preview
from schoolpoort.news.tasks import publish_scheduled_post
from tests.albums.helpers import add_photo, make_album
from tests.conferences.conferences_helpers import make_round
from tests.imports.samples import edexml
from tests.news.news_helpers import make_post
from tests.servers import test_database_url
from tests.world import build_world

ROOT = Path(__file__).resolve().parents[2]


def run_worker_process(settings) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SCHOOLPOORT_VAR_DIR": str(settings.VAR_DIR),  # the same keys (staged uploads are encrypted)
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
        "DJANGO_SETTINGS_MODULE": "schoolpoort.settings",
        "DEBUG": "false",
    }
    for name in ("EMAIL_HOST", "REDIS_URL"):
        env.pop(name, None)
    connection.close()  # SQLite: let the other process write
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "run_worker", "--batch", "--queue-name", "*", "--no-startup-delay"],
        env=env, capture_output=True, text=True, timeout=300,
    )


@pytest.mark.django_db(transaction=True)
def test_the_worker_process_runs_the_modules_tasks_each_in_its_declared_scope(settings, monkeypatch):
    world = build_world()
    director, teacher = world.users["director"], world.users["teacher"]
    # news: a post whose time has come; publishing it fans the notification out (notify's tasks)
    post = make_post(director, school=world.school, publish=False, when=timezone.now() - datetime.timedelta(minutes=5))
    publish_scheduled_post.enqueue(post.pk, post.publish_at.isoformat())
    # albums: an upload, processed by the worker
    photo = add_photo(make_album(teacher, school=world.school), teacher, ready=False)
    # conferences: a round whose booking opens now
    round = make_round(world, announced=False)
    open_round.enqueue(round.pk, round.booking_opens_at.isoformat())
    # absences: the check of a pupil marked absent (nobody is: it finds nothing to send)
    check_unexplained_absence.enqueue(world.child.pk, timezone.localdate().isoformat())
    # imports: a large file is read by the worker
    monkeypatch.setattr(staging, "INLINE_MAX", 1000)
    run, _result = preview(school=world.school, user=world.users["administration"], filename="EDEX.XML", data=edexml())
    assert run.status == ImportRun.Status.READING

    worker = run_worker_process(settings)
    assert worker.returncode == 0, worker.stderr

    results = {row.task_path.rsplit(".", 1)[-1]: row for row in DBTaskResult.objects.all()}
    failed = {name: row.exception_class_path for name, row in results.items() if row.status != "SUCCESSFUL"}
    assert failed == {}
    assert {"publish_scheduled_post", "fan_out", "process_photo", "open_round", "check_unexplained_absence",
            "read_import"} <= set(results)
    post.refresh_from_db()
    photo.refresh_from_db()
    run.refresh_from_db()
    round.refresh_from_db()
    assert post.notified_at is not None
    assert photo.status == photo.Status.READY
    assert round.notified_at is not None
    assert run.status == ImportRun.Status.PREVIEWED and run.summary["added"] == 3
