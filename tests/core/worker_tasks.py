"""A task for tests/core/test_worker_lease.py: slow the first time (its worker is killed then), quick after."""

import time

from django_tasks import task

from schoolpoort.core.models import AuditEntry


@task(queue_name="default")
def slow_the_first_time(note: str) -> str:
    if not AuditEntry.objects.filter(action="test.slow.started", detail__note=note).exists():
        AuditEntry.record(None, "test.slow.started", note=note)
        time.sleep(600)  # the test kills this worker meanwhile
    AuditEntry.record(None, "test.slow.done", note=note)
    return note
