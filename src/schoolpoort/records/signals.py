"""What bumps the records version of the cached home block (``access.cached_part``,
records/home.py): every save and delete of an invoice, a correction request, a school's records
settings and a closed period. The import writes around the signals (``bulk_create``,
``bulk_update``) and calls ``versions.content_changed("records")`` itself."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from schoolpoort.core.versions import content_changed

from .models import ClosedPeriod, CorrectionRequest, Invoice, RecordsSettings

TOPIC = "records"


def _everyone(sender, **kwargs) -> None:
    content_changed(TOPIC)


def connect() -> None:
    for model in (Invoice, CorrectionRequest, RecordsSettings, ClosedPeriod):
        post_save.connect(_everyone, sender=model, dispatch_uid=f"records-save-{model.__name__}")
        post_delete.connect(_everyone, sender=model, dispatch_uid=f"records-delete-{model.__name__}")
