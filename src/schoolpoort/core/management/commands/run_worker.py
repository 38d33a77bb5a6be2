"""``manage.py run_worker``: django-tasks-db's ``db_worker`` (same options) with the heartbeat of
core/worker.py beside it, so a worker that is killed gives its tasks back within a minute."""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from schoolpoort.core.worker import Heartbeat


class Command(DBWorkerCommand):
    help = "Run a task worker that holds its tasks on a lease (db_worker with a heartbeat)."

    def handle(self, *args, **options):
        # With --reload only the child process that runs tasks holds a lease.
        runs_tasks = not options.get("reload") or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
        heartbeat = Heartbeat(options["worker_id"]) if runs_tasks else None
        if heartbeat:
            heartbeat.start()
        try:
            return super().handle(*args, **options)
        finally:
            if heartbeat:
                heartbeat.stop()
