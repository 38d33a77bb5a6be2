"""Background work goes through the Tasks API with the database queue: a task is a row written in
the same transaction as the change that caused it."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django_scopes import scope
from django_tasks_db.models import DBTaskResult

from schoolpoort.core.models import AuditEntry
from schoolpoort.core.tasks import worker_heartbeat


def run_worker():
    with scope():  # as in the worker process: no scope until a task declares its own
        call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_task_enqueued_in_a_rolled_back_transaction_never_runs():
    with pytest.raises(RuntimeError), transaction.atomic():
        worker_heartbeat.enqueue("rolled back")
        raise RuntimeError("the post failed")

    run_worker()

    assert DBTaskResult.objects.count() == 0
    assert not AuditEntry.objects.filter(action="worker.heartbeat").exists()


@pytest.mark.django_db(transaction=True)
def test_task_enqueued_in_a_committed_transaction_runs_once():
    with transaction.atomic():
        result = worker_heartbeat.enqueue("committed")

    run_worker()
    run_worker()  # a second worker pass finds nothing left to do

    entries = AuditEntry.objects.filter(action="worker.heartbeat")
    assert [e.detail["note"] for e in entries] == ["committed"]
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == entries.get().pk
