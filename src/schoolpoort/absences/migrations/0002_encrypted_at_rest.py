# Absence notes, leave-request reasons and decisions and the employer's statements (file and name)
# encrypted at rest (lib.encryption); 0003 encrypts what was stored in the clear.

import schoolpoort.absences.models
import schoolpoort.lib.encryption
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('absences', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='absence',
            name='note',
            field=schoolpoort.lib.encryption.EncryptedTextField(blank=True, max_length=500, verbose_name='note'),
        ),
        migrations.AlterField(
            model_name='leaverequest',
            name='decision_reason',
            field=schoolpoort.lib.encryption.EncryptedTextField(blank=True, max_length=2000, verbose_name='reason for the decision'),
        ),
        migrations.AlterField(
            model_name='leaverequest',
            name='reason',
            field=schoolpoort.lib.encryption.EncryptedTextField(max_length=2000, verbose_name='reason'),
        ),
        migrations.AlterField(
            model_name='leaverequest',
            name='statement',
            field=models.FileField(blank=True, max_length=200, storage=schoolpoort.lib.encryption.encrypted_storage, upload_to=schoolpoort.absences.models.statement_path, verbose_name="employer's statement"),
        ),
        migrations.AlterField(
            model_name='leaverequest',
            name='statement_name',
            field=schoolpoort.lib.encryption.EncryptedTextField(blank=True, max_length=255),
        ),
    ]
