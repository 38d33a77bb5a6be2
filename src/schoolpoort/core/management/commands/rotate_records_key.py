"""Re-encrypt everything encrypted at rest with the first key of SCHOOLPOORT_RECORDS_KEYS: every
``EncryptedTextField`` of every app (records, absences, …) and every file in the encrypted storage
(message attachments, employer's statements, staged imports), found by their field types, not by a
list here.

Rotation: put a new key in front (NEW,OLD), restart, run this command, then drop OLD. The stored
tokens are read and written with plain SQL (the model fields would decrypt them), in batches, each
batch in its own transaction; each file is replaced atomically. Running it twice is harmless. Only
the absences' parked statements (a form being corrected, a day at most) are not rotated."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection

from schoolpoort.lib.encryption import (
    encrypted_fields,
    encrypted_file_fields,
    rewrite_column,
    rotate,
    stored_file_names,
)


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field and file with the first configured key."

    def handle(self, *args, **options):
        rows = files = 0
        for model in apps.get_models():
            for name in encrypted_fields(model):
                count = rewrite_column(connection, model, model._meta.get_field(name).name, rotate)
                rows += count
                self.stdout.write(f"{model._meta.label}.{name}: {count} values re-encrypted")
            for name in encrypted_file_fields(model):
                stored = stored_file_names(connection, model, name)
                storage = model._meta.get_field(name).storage
                for file_name in stored:
                    if storage.exists(file_name):
                        storage.rotate_file(file_name)
                        files += 1
                self.stdout.write(f"{model._meta.label}.{name}: {len(stored)} files re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"{rows} values and {files} files re-encrypted with the first key"))
