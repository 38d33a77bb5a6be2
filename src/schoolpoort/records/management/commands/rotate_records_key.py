"""Re-encrypt every encrypted value of the records with the first key of SCHOOLPOORT_RECORDS_KEYS.

Rotation: put a new key in front (NEW,OLD), restart, run this command, then drop OLD. The stored
tokens are read and written with plain SQL (the model fields would decrypt them), in batches, each
batch in its own transaction with its rows locked."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from schoolpoort.records.crypto import encrypted_fields, rotate

BATCH = 500


class Command(BaseCommand):
    help = "Re-encrypt the encrypted fields of the records with the first configured key."

    def handle(self, *args, **options):
        quote = connection.ops.quote_name
        total = 0
        for model in apps.get_app_config("records").get_models():
            fields = encrypted_fields(model)
            if not fields:
                continue
            table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
            columns = [quote(model._meta.get_field(name).column) for name in fields]
            lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
            select = f"SELECT {pk}, {', '.join(columns)} FROM {table} WHERE {pk} > %s ORDER BY {pk} LIMIT {BATCH}{lock}"
            update = f"UPDATE {table} SET {', '.join(f'{c} = %s' for c in columns)} WHERE {pk} = %s"
            count, last = 0, 0
            while True:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(select, [last])
                    rows = cursor.fetchall()
                    if not rows:
                        break
                    cursor.executemany(update, [[rotate(value) for value in stored] + [key] for key, *stored in rows])
                    count += len(rows)
                    last = rows[-1][0]
            total += count
            self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"{total} rows re-encrypted with the first key"))
