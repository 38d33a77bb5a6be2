"""What bumps the records version of the cached home block (``access.cached_part``,
records/home.py): every save and delete of an invoice, a correction request, a school's records
settings and a closed period. The import writes around the signals (``bulk_create``,
``bulk_update``) and calls ``versions.content_changed("records")`` itself."""

from __future__ import annotations

from schoolpoort.core.versions import bump_on_writes

from .models import ClosedPeriod, CorrectionRequest, Invoice, RecordsSettings


def connect() -> None:
    bump_on_writes("records", models=(Invoice, CorrectionRequest, RecordsSettings, ClosedPeriod))
