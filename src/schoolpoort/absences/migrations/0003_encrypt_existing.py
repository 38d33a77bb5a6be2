# Encrypt what was stored in the clear before 0002 (reversible: migrating back decrypts). A
# migration of its own, so that on PostgreSQL the row updates and the column changes of 0002 are in
# separate transactions (ALTER TABLE refuses a table with pending trigger events).

import schoolpoort.lib.encryption
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('absences', '0002_encrypted_at_rest'),
    ]

    operations = [
        schoolpoort.lib.encryption.encrypt_existing("absences.Absence", fields=("note",)),
        schoolpoort.lib.encryption.encrypt_existing(
            "absences.LeaveRequest", fields=("reason", "decision_reason", "statement_name"), files=("statement",)
        ),
    ]
