# The reason a correction request was refused is encrypted at rest, like the proposal it answers;
# the data migration encrypts reasons stored in the clear (reversible).

import schoolpoort.lib.encryption
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('records', '0003_invoice_external_key'),
    ]

    operations = [
        migrations.AlterField(
            model_name='correctionrequest',
            name='reason',
            field=schoolpoort.lib.encryption.EncryptedTextField(blank=True, verbose_name='reason'),
        ),
        schoolpoort.lib.encryption.encrypt_existing("records.CorrectionRequest", fields=("reason",)),
    ]
