"""Background tasks of core. Tasks take ids, never model instances, and re-read what they need."""

from django_tasks import task

from .models import AuditEntry


@task(queue_name="default")
def worker_heartbeat(note: str) -> int:
    """Proves that a worker runs: `manage.py check_worker` enqueues it and waits for the row."""
    return AuditEntry.record(None, "worker.heartbeat", note=note).pk


@task(queue_name="bulk")
def sweep_staged_uploads() -> int:
    """The sweep of ``core.staging`` as a task, for an installation that schedules tasks."""
    from .staging import sweep

    count = 0
    while removed := sweep():
        count += removed
    return count
