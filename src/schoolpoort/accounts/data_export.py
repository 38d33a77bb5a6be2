"""The family's data, downloadable (AVG art. 15 and 20).

A guardian asks on Mijn account (``request_export``: throttled, audited, the build queued on
commit); the worker runs ``build`` (``tasks.build_data_export``): every module's
``family_export.py`` hook (``lib.family_export``) gives what it holds about the guardian and their
children, read through the module's own ``visible_to`` rules; the ZIP holds ``<module>.json`` per
module, the files under ``<module>/`` and a ``manifest.json`` with the SHA-256 of every member.
The ZIP is stored encrypted with the records key (``lib.encryption``), like staged imports, and a
mail says it is ready. The link works for ``LIFETIME``; ``sweep`` then deletes the file (run at
every request and by the ``sweep_data_exports`` task)."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import logging
import zipfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from schoolpoort.core.models import AuditEntry
from schoolpoort.core.scopes import reached_school_ids, school_scope
from schoolpoort.lib import dates
from schoolpoort.lib.family_export import FUNCTION, HOOK, Section, jsonable
from schoolpoort.lib.providers import module_hooks

from .emails import absolute_url, send_templated_email
from .models import DataExport, User

logger = logging.getLogger(__name__)

LIFETIME = datetime.timedelta(hours=24)  # how long the download link works
PER_DAY = 3  # requests per user in 24 hours
CHUNK = 1024 * 1024
# Already compressed: stored as they are.
STORED_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".mp4", ".webm", ".mov", ".pdf", ".zip", ".heic")

REQUESTED = "accounts.data_export.requested"
DOWNLOADED = "accounts.data_export.downloaded"


class ExportRefused(Exception):
    """Why a new export cannot be asked for now; the message is for the user."""


def request_export(user) -> DataExport:
    """Ask for a new export: one at a time, ``PER_DAY`` a day. The build is queued on commit."""
    from .tasks import build_data_export

    sweep()
    with transaction.atomic():
        # Lock the account's row so two clicks at once make one export.
        User.objects.select_for_update().filter(pk=user.pk).first()
        mine = DataExport.objects.filter(user=user)
        if mine.running().exists():
            raise ExportRefused(_("Your download is already being made. You get an e-mail when it is ready."))
        if mine.filter(requested_at__gte=timezone.now() - datetime.timedelta(days=1)).count() >= PER_DAY:
            raise ExportRefused(
                _("You can ask for your data %(count)s times a day. Please try again tomorrow.") % {"count": PER_DAY}
            )
        export = DataExport.objects.create(user=user)
        AuditEntry.record(user, REQUESTED, obj=export)
        transaction.on_commit(lambda: build_data_export.enqueue(export.pk))
    return export


def sections_for(user) -> list[Section]:
    """What every module holds about this guardian and their children, read in the scope of the
    schools the user reaches (the hooks' ``visible_to`` rules are the real fence)."""
    sections = []
    with school_scope(reached_school_ids(user)):
        for export_for in module_hooks(HOOK, FUNCTION):
            section = export_for(user)
            if section is not None:
                sections.append(section)
    return sections


def _readme(user, sections: list[Section], now) -> str:
    lines = [
        _("Your data in Schoolpoort"),
        "",
        _("Made on %(date)s for %(name)s.") % {"date": dates.style(timezone.localtime(now), "day_time"),
                                              "name": user.full_name or user.email},
        _("Every part of Schoolpoort has its own JSON file; its files are in the folder of the same name."),
        _("manifest.json lists every file with its SHA-256 checksum."),
        "",
    ]
    lines += [f"- {section.name}.json" for section in sections]
    return "\n".join(lines) + "\n"


def build_zip(user) -> bytes:
    """The ZIP of the family's data, in the user's language."""
    now = timezone.now()
    with translation.override(user.language or settings.LANGUAGE_CODE):
        sections = sections_for(user)
        manifest = []
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("README.txt", _readme(user, sections, now))
            for section in sections:
                data = json.dumps(jsonable(section.data), ensure_ascii=False, indent=2).encode()
                name = f"{section.name}.json"
                archive.writestr(name, data)
                manifest.append({"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
                for item in section.files:
                    try:
                        with item.file.storage.open(item.file.name, "rb") as handle:
                            info = zipfile.ZipInfo(item.name, date_time=timezone.localtime(now).timetuple()[:6])
                            stored = item.name.lower().endswith(STORED_SUFFIXES)
                            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
                            digest, size = hashlib.sha256(), 0
                            with archive.open(info, "w") as out:
                                while chunk := handle.read(CHUNK):
                                    digest.update(chunk)
                                    size += len(chunk)
                                    out.write(chunk)
                    except (FileNotFoundError, OSError):
                        logger.warning("Family export: stored file %s is missing", item.file.name)
                        continue
                    manifest.append({"name": item.name, "size": size, "sha256": digest.hexdigest()})
            archive.writestr(
                "manifest.json",
                json.dumps({"made_at": now.isoformat(), "files": manifest}, ensure_ascii=False, indent=2),
            )
    return buffer.getvalue()


def build(export_id: int) -> DataExport | None:
    """Build one export (the worker): the ZIP, encrypted and stored; then the mail."""
    with transaction.atomic():
        export = DataExport.objects.select_for_update().select_related("user").filter(pk=export_id).first()
        if export is None or export.status != DataExport.Status.PENDING:
            return export  # gone, or built already by another run
        export.status = DataExport.Status.BUILDING
        export.save(update_fields=["status"])
    try:
        data = build_zip(export.user)
    except Exception:
        logger.exception("Family export %s failed", export.pk)
        export.status = DataExport.Status.FAILED
        export.save(update_fields=["status"])
        raise
    now = timezone.now()
    export.file.save(export.file.field.upload_to(export, ""), ContentFile(data), save=False)
    export.size = len(data)
    export.digest = hashlib.sha256(data).hexdigest()
    export.ready_at = now
    export.expires_at = now + LIFETIME
    export.status = DataExport.Status.READY
    export.save(update_fields=["file", "size", "digest", "ready_at", "expires_at", "status"])
    send_templated_email(
        "accounts/email/data_export_ready",
        export.user,
        {"export": export, "url": absolute_url(reverse("accounts:data_export"))},
    )
    return export


def read_zip(export: DataExport) -> bytes:
    """The decrypted ZIP of a ready export, checked against its digest."""
    with export.file.open("rb") as handle:
        data = handle.read()  # the field's storage decrypts
    if hashlib.sha256(data).hexdigest() != export.digest:
        raise ValueError(f"Family export {export.pk}: the file does not match its digest")
    return data


def sweep(now: datetime.datetime | None = None) -> int:
    """Delete the files of exports past their 24 hours; the row stays (marked expired). An export
    that a stopped worker left running is marked failed, so its owner may ask again."""
    DataExport.objects.stuck(now).update(status=DataExport.Status.FAILED)
    count = 0
    for export in DataExport.objects.expired(now)[:200]:
        export.file.delete(save=False)
        export.status = DataExport.Status.EXPIRED
        export.save(update_fields=["file", "status"])
        count += 1
    return count
