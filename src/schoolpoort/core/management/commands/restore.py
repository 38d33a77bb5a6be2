"""``manage.py restore ARCHIVE``: into an empty instance only; checks every checksum and the
passphrase before it touches anything. Then run ``manage.py migrate`` (the archive may be older)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from schoolpoort.core import backup
from schoolpoort.core.access import reach_changed
from schoolpoort.core.management.commands.backup import read_passphrase


class Command(BaseCommand):
    help = "Restore an archive of `manage.py backup` into this empty instance (database, media, keys)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--passphrase-file", help="File holding the passphrase (else BACKUP_PASSPHRASE).")
        parser.add_argument("--check", action="store_true", help="Only check the archive and the passphrase.")

    def handle(self, *args, archive, passphrase_file, check, **options):
        passphrase = read_passphrase(passphrase_file)
        try:
            if check:
                manifest = backup.verify(Path(archive), passphrase).manifest
                self.stdout.write(self.style.SUCCESS(
                    f"The archive of {manifest['created_at']} is whole and the passphrase opens its keys."))
                return
            manifest = backup.restore(Path(archive), passphrase)
            reach_changed()  # every row may differ from what the caches hold
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(
            f"Restored the archive of {manifest['created_at']}: {len(manifest['tables'])} tables, "
            f"{sum(manifest['tables'].values())} rows, and the keys into var/. "
            "Next: `manage.py migrate` and start the web server and workers."
        ))
