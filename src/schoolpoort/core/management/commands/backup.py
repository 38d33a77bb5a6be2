"""``manage.py backup``: one consistent archive of the database, the media and the keys (the keys
encrypted with a passphrase kept apart). See core/backup.py and docs/operations.md."""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from schoolpoort.core import backup


def read_passphrase(passphrase_file: str | None) -> str:
    if passphrase_file:
        try:
            return Path(passphrase_file).read_text().strip()
        except OSError as error:
            raise CommandError(f"Cannot read the passphrase file: {error}") from error
    return os.environ.get("BACKUP_PASSPHRASE", "")


class Command(BaseCommand):
    help = "Write one archive of the database, the media and the (encrypted) keys; keep the newest N."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.VAR_DIR) / "backups"),
                            help="Folder of the archives (default: var/backups).")
        parser.add_argument("--keep", type=int, default=14, help="How many archives to keep (default 14; 0 keeps all).")
        parser.add_argument("--passphrase-file", help="File holding the passphrase (else BACKUP_PASSPHRASE).")

    def handle(self, *args, output, keep, passphrase_file, **options):
        try:
            archive = backup.make_archive(Path(output), read_passphrase(passphrase_file))
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        removed = backup.prune(Path(output), keep)
        manifest = archive.manifest
        rows = sum(manifest["tables"].values())
        self.stdout.write(self.style.SUCCESS(
            f"Wrote {archive.path} ({archive.path.stat().st_size / 1e6:.1f} MB) in {archive.seconds:.1f} s: "
            f"{len(manifest['tables'])} tables, {rows} rows, {len(manifest['files']) - 1} other files."
        ))
        if removed:
            self.stdout.write(f"Removed {len(removed)} older archives (keeping {keep}).")
