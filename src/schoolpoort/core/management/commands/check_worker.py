import time
import uuid

from django.core.management.base import BaseCommand, CommandError

from schoolpoort.core.models import AuditEntry
from schoolpoort.core.tasks import worker_heartbeat


class Command(BaseCommand):
    help = "Enqueue a heartbeat task and wait until a worker has run it (for monitoring)."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=30.0)

    def handle(self, *args, timeout: float, **options):
        note = uuid.uuid4().hex
        worker_heartbeat.enqueue(note)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if AuditEntry.objects.filter(action="worker.heartbeat", detail__note=note).exists():
                self.stdout.write(self.style.SUCCESS("A worker ran the heartbeat task."))
                return
            time.sleep(0.5)
        raise CommandError(f"No worker ran the heartbeat task within {timeout:.0f} s.")
