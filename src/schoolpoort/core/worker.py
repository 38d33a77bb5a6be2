"""Task claims are leases: a worker that stops, however it stops, gives its tasks back in a minute.

django-tasks-db marks a task RUNNING with the worker's id when a worker claims it and never looks at
it again; a worker killed with ``kill -9`` (or a machine that lost power) leaves the task RUNNING
for ever. ``manage.py run_worker`` is django-tasks-db's ``db_worker`` with a heartbeat thread beside
it that, every quarter of the lease:

- renews this worker's ``WorkerLease`` row;
- takes back the tasks of workers whose lease ran out: RUNNING → READY, so any worker runs them
  again (every task of Schoolpoort is safe to run twice: it re-reads its rows and its claims decide);
  a task that has taken its workers down ``MAX_RUNS`` times is marked failed instead of looping;
- runs the recoveries other apps registered with ``on_heartbeat`` (notify's delivery claims).

A worker without a lease row (a plain ``db_worker``) is never judged dead: its tasks are left alone,
so the two kinds can run side by side during an upgrade.
"""

from __future__ import annotations

import datetime
import logging
import socket
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models.functions import Now
from django.utils import timezone
from django_scopes import scopes_disabled
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .worker_models import WorkerLease

logger = logging.getLogger(__name__)

MAX_RUNS = 3  # a task that was running on this many workers when they died is failed
FORGET_AFTER = datetime.timedelta(days=1)  # lease rows of stopped workers are removed after this

_recoveries: list[Callable[[], object]] = []


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.WORKER_LEASE_SECONDS)


def on_heartbeat(recovery: Callable[[], object]) -> Callable[[], object]:
    """Register ``recovery`` to run in every worker's heartbeat (it must be safe to run anywhere,
    any time, by several workers at once)."""
    if recovery not in _recoveries:
        _recoveries.append(recovery)
    return recovery


def renew(worker_id: str, now: datetime.datetime | None = None) -> None:
    """Renew by the database's clock (``Now()``), which every host shares: a host whose own clock
    runs behind would otherwise look dead to the others."""
    updated = WorkerLease.objects.filter(worker_id=worker_id).update(renewed_at=now or Now())
    if not updated:
        now = now or timezone.now()
        WorkerLease.objects.get_or_create(
            worker_id=worker_id, defaults={"host": socket.gethostname()[:255], "started_at": now, "renewed_at": now}
        )


def end(worker_id: str) -> None:
    """A worker that stops cleanly gives up its lease (its tasks have finished)."""
    WorkerLease.objects.filter(worker_id=worker_id).delete()


def take_back(now: datetime.datetime | None = None) -> dict:
    """Tasks RUNNING on a worker whose lease ran out go back to READY (or fail after MAX_RUNS).
    Each UPDATE is conditional on the row being unchanged, so of two workers doing this at once
    each task is taken back once."""
    expired = set(
        WorkerLease.objects.filter(renewed_at__lt=(now or Now()) - lease()).values_list("worker_id", flat=True)
    )
    now = now or timezone.now()
    result = {"requeued": 0, "failed": 0}
    if not expired:
        return result
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list("pk", "worker_ids")
    for pk, worker_ids in running:
        if not worker_ids or worker_ids[-1] not in expired:
            continue
        unchanged = DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING, worker_ids=worker_ids)
        if len(worker_ids) >= MAX_RUNS:
            result["failed"] += unchanged.update(
                status=TaskResultStatus.FAILED, finished_at=now,
                exception_class_path="schoolpoort.core.worker.WorkerLost",
                traceback=f"The task was running on {len(worker_ids)} workers that each stopped without finishing it.",
            )
        else:
            result["requeued"] += unchanged.update(status=TaskResultStatus.READY, started_at=None)
    if result["requeued"] or result["failed"]:
        logger.warning("worker: took back %(requeued)s tasks of stopped workers; %(failed)s failed", result)
    # Rows of workers gone for a day are no longer needed to judge anything.
    WorkerLease.objects.filter(renewed_at__lt=now - FORGET_AFTER).delete()  # a day: any clock will do
    return result


def beat(worker_id: str) -> None:
    """One heartbeat: renew, take back, run the registered recoveries. Outside any school scope:
    these are sweeps over every school's queue (the rows they touch are not school data)."""
    with scopes_disabled():
        renew(worker_id)
        take_back()
        for recovery in _recoveries:
            try:
                recovery()
            except Exception:
                logger.exception("worker: recovery %s failed", getattr(recovery, "__name__", recovery))


class Heartbeat(threading.Thread):
    """The heartbeat of one worker process, in a daemon thread with its own database connection."""

    def __init__(self, worker_id: str):
        super().__init__(name=f"heartbeat-{worker_id[:8]}", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        interval = lease().total_seconds() / 4
        try:
            while not self.stopped.is_set():
                try:
                    close_old_connections()
                    beat(self.worker_id)
                except Exception:  # the database away for a moment: try again next beat
                    logger.exception("worker: heartbeat failed")
                self.stopped.wait(interval)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=10)
        with scopes_disabled():
            end(self.worker_id)
