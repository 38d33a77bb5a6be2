"""The lease of a running task worker (core/worker.py)."""

from django.db import models


class WorkerLease(models.Model):
    """One row per worker process: alive while ``renewed_at`` is recent. Not school data."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255, blank=True)
    started_at = models.DateTimeField()
    renewed_at = models.DateTimeField(db_index=True)

    class Meta:
        app_label = "core"

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.host} (renewed {self.renewed_at:%H:%M:%S})"
