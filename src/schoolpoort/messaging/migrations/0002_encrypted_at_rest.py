# Files attached to messages, and their names, encrypted at rest (lib.encryption); 0003
# encrypts what was stored in the clear.

import schoolpoort.lib.encryption
import schoolpoort.messaging.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('messaging', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='messageattachment',
            name='file',
            field=models.FileField(max_length=200, storage=schoolpoort.lib.encryption.encrypted_storage, upload_to=schoolpoort.messaging.models.attachment_path),
        ),
        migrations.AlterField(
            model_name='messageattachment',
            name='original_name',
            field=schoolpoort.lib.encryption.EncryptedTextField(max_length=255, verbose_name='file name'),
        ),
    ]
