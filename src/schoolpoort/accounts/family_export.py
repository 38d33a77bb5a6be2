"""The family export (``lib.family_export``): the account itself and its earlier export requests."""

from __future__ import annotations

from schoolpoort.lib.family_export import Section, row

from .models import DataExport


def export_for(user) -> Section:
    return Section("account", {
        "profile": row(user, ["email", "first_name", "last_name", "phone", "language", "date_joined", "last_login"]),
        "data_exports": [
            row(export, ["requested_at", "status", "ready_at", "downloaded_at"])
            for export in DataExport.objects.visible_to(user)
        ],
    })
