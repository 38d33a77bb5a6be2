"""Task claims are leases (core/worker.py): a worker killed with ``kill -9`` in the middle of a task
gives it back, and another worker runs it, within the lease and one heartbeat."""

import datetime
import os
import signal
import subprocess
import sys
import time

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from schoolpoort.core import worker
from schoolpoort.core.models import AuditEntry, WorkerLease
from schoolpoort.core.tasks import worker_heartbeat
from tests.core.worker_tasks import slow_the_first_time
from tests.servers import ROOT, test_database_url

pytestmark = pytest.mark.django_db


def running_on(*worker_ids: str) -> DBTaskResult:
    result = worker_heartbeat.enqueue("lease test")
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=list(worker_ids), started_at=timezone.now()
    )
    return DBTaskResult.objects.get(pk=result.id)


def lease_of(worker_id: str, age: datetime.timedelta) -> None:
    moment = timezone.now() - age
    WorkerLease.objects.create(worker_id=worker_id, started_at=moment, renewed_at=moment)


def status(task: DBTaskResult) -> str:
    task.refresh_from_db()
    return task.status


def test_the_task_of_a_worker_whose_lease_ran_out_is_ready_again():
    lease_of("dead", worker.lease() + datetime.timedelta(seconds=1))
    lease_of("alive", worker.lease() / 4)
    of_dead, of_alive, of_plain = running_on("dead"), running_on("alive"), running_on("plain-db-worker")

    assert worker.take_back() == {"requeued": 1, "failed": 0}
    assert status(of_dead) == TaskResultStatus.READY
    assert status(of_alive) == TaskResultStatus.RUNNING
    assert status(of_plain) == TaskResultStatus.RUNNING  # a worker without a lease is never judged
    assert worker.take_back() == {"requeued": 0, "failed": 0}  # once


def test_a_task_that_took_three_workers_down_fails_instead_of_looping():
    lease_of("third", worker.lease() * 2)
    task = running_on("first", "second", "third")
    assert worker.take_back() == {"requeued": 0, "failed": 1}
    assert status(task) == TaskResultStatus.FAILED and "stopped without finishing" in task.traceback


def test_a_heartbeat_renews_the_lease_and_runs_the_registered_recoveries(monkeypatch):
    ran = []
    monkeypatch.setattr(worker, "_recoveries", [lambda: ran.append(True)])
    worker.beat("w1")
    first = WorkerLease.objects.get(worker_id="w1").renewed_at
    worker.beat("w1")
    assert WorkerLease.objects.get(worker_id="w1").renewed_at >= first and ran == [True, True]


def test_notify_takes_back_delivery_claims_in_the_heartbeat():
    from schoolpoort.notify.outbox import recover_stale

    assert recover_stale in worker._recoveries


# --- The real thing: two worker processes, one killed --------------------------------------------


def start_worker(settings, lease_seconds: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "SCHOOLPOORT_VAR_DIR": str(settings.VAR_DIR),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "DJANGO_SETTINGS_MODULE": "schoolpoort.settings",
        "DEBUG": "false",
        "WORKER_LEASE_SECONDS": str(lease_seconds),
    }
    for name in ("EMAIL_HOST", "REDIS_URL"):
        env.pop(name, None)
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "run_worker", "--queue-name", "*", "--no-startup-delay",
         "--no-reload", "--interval", "0.2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        assert time.monotonic() < deadline, f"waited {seconds:.0f} s for {what}"
        time.sleep(0.3)
    return value


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_task_gives_it_back_and_another_worker_finishes_it(settings):
    lease_seconds = 4  # the product's is 45; the mechanism is the same, the test is shorter
    result = slow_the_first_time.enqueue("kill -9")
    first = start_worker(settings, lease_seconds)
    second = None
    try:
        wait_for(lambda: AuditEntry.objects.filter(action="test.slow.started").exists(), 120, "the first run")
        (first_id,) = DBTaskResult.objects.get(pk=result.id).worker_ids
        assert WorkerLease.objects.filter(worker_id=first_id).exists()
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)

        second = start_worker(settings, lease_seconds)
        wait_for(lambda: AuditEntry.objects.filter(action="test.slow.done").exists(), 120, "the second run")
        # The worker marks the task done a moment after its last write (the audit line).
        wait_for(lambda: DBTaskResult.objects.get(pk=result.id).status != TaskResultStatus.RUNNING, 30, "its result")
        task = DBTaskResult.objects.get(pk=result.id)
        assert task.status == TaskResultStatus.SUCCESSFUL and task.worker_ids[0] == first_id
        assert len(task.worker_ids) == 2

        # A worker that is stopped cleanly gives its lease up.
        second_id = task.worker_ids[1]
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
        assert not WorkerLease.objects.filter(worker_id=second_id).exists()
    finally:
        for process in (first, second):
            if process and process.poll() is None:
                process.kill()
                process.wait()
